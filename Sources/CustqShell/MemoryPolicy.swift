#if canImport(Glibc)
import CMalloc
#endif

/// How the C allocator serves large blocks, switched between loading and querying.
///
/// Loading grows column buffers with `realloc`; blocks the allocator maps on their own are
/// moved by remapping pages instead of copying, so loads keep glibc's default (large blocks
/// mapped). Queries make and drop many temporary arrays of a few megabytes; mapped blocks are
/// returned to the kernel when freed, and every new one costs a page fault and a zeroed page
/// per 4 KB. After loading, large blocks come from the heap and are kept for reuse: measured
/// on 1,000,000 customers, warm `rfm` 390 → 280 ms and `abc by annual_revenue` 230 → 180 ms.
/// Peak memory is unchanged; memory freed after a query stays with the process for the next.
enum MemoryPolicy {
    static func forLoading() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 128 * 1024)
        #endif
    }

    static func forQueries() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        #endif
    }
}
