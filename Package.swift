// swift-tools-version:6.0
import PackageDescription

// Layers (see README "Layout"): Shell -> Engine/Render -> Result -> Store; Engine -> Language;
// Shell -> Ingest -> Store; Shell -> Postgres (libpq) -> Store, the engine reaching a database
// only through Store's RowSource; Diagnostics and Text (words and widths) under all.
// Store and Language never import each other. One third-party package: ZIPFoundation, to
// open Excel workbooks (zip archives of XML), with the system's zlib.
let package = Package(
    name: "custq",
    products: [
        .executable(name: "custq", targets: ["custq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // PostgreSQL's client library, for the live mode (`custq postgresql://…`).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .target(name: "CFileGuard"),
        // Text as people read it: grouped numbers, plurals, display width, did-you-mean.
        .target(name: "CustqText"),
        .target(name: "CustqDiagnostics", dependencies: ["CustqText"]),
        .target(name: "CustqStore"),
        .target(
            name: "CustqIngest",
            dependencies: ["CustqStore", "CustqDiagnostics", "CustqText", "CFileGuard", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // The loaders' inner loops append to builders held by class references; runtime
            // exclusivity checks cost 35% of a 1M-row CSV load (callgrind). Debug builds, which
            // the tests use, keep the checks, so a violation still fails there.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "CustqGenerator", dependencies: ["CustqStore"]),
        // The predictive customer models (BG/NBD, …): likelihoods, fitting, closed forms. Numbers only.
        .target(name: "CustqModels"),
        .target(name: "CustqLanguage", dependencies: ["CustqDiagnostics", "CustqText"]),
        // What a query gives, as data: the engine makes it, Render formats it.
        .target(name: "CustqResult", dependencies: ["CustqStore"]),
        .target(name: "CustqEngine", dependencies: ["CustqLanguage", "CustqStore", "CustqResult", "CustqDiagnostics", "CustqText", "CustqModels"]),
        // Tables on a PostgreSQL server: the catalog, statements run there, rows read back typed.
        .target(name: "CustqPostgres", dependencies: ["CLibPQ", "CustqStore"]),
        .target(name: "CustqRender", dependencies: ["CustqStore", "CustqResult", "CustqDiagnostics", "CustqText"]),
        .target(
            name: "CustqShell",
            dependencies: ["CEditLine", "CMalloc", "CustqStore", "CustqIngest", "CustqRender", "CustqResult", "CustqLanguage",
                           "CustqEngine", "CustqDiagnostics", "CustqText", "CustqGenerator", "CustqPostgres"]
        ),
        .executableTarget(name: "custq", dependencies: ["CustqShell"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CustqStoreTests", dependencies: ["CustqStore"]),
        .testTarget(name: "CustqDiagnosticsTests", dependencies: ["CustqDiagnostics", "CustqText"]),
        .testTarget(name: "CustqIngestTests", dependencies: ["CustqIngest", "CustqStore", "CustqRender", "CustqDiagnostics"]),
        .testTarget(name: "CustqLanguageTests", dependencies: ["CustqLanguage", "CustqDiagnostics"]),
        .testTarget(name: "CustqEngineTests", dependencies: ["TestSupport", "CustqEngine", "CustqResult", "CustqIngest", "CustqStore", "CustqLanguage", "CustqRender", "CustqDiagnostics"]),
        .testTarget(name: "CustqRenderTests", dependencies: ["CustqRender", "CustqResult", "CustqStore", "CustqDiagnostics", "CustqText"]),
        .testTarget(name: "CustqGeneratorTests", dependencies: ["TestSupport", "CustqGenerator", "CustqIngest", "CustqStore", "CustqRender"]),
        .testTarget(name: "CustqShellTests", dependencies: ["TestSupport", "CustqShell", "CustqRender", "CustqDiagnostics", "CustqText", "CustqStore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CustqModelsTests", dependencies: ["CustqModels"]),
        .testTarget(name: "CustqPostgresTests", dependencies: ["CustqPostgres", "CustqStore"]),
    ]
)
