/// The definitions a binder is inside, as a stack with a set for lookups.
final class ExpansionPath {
    private(set) var names: [String] = []
    private var members: [String: Int] = [:]

    var count: Int { names.count }

    func contains(_ name: String) -> Bool { members[name, default: 0] > 0 }

    func push(_ name: String) {
        names.append(name)
        members[name, default: 0] += 1
    }

    /// The path as it is now, apart from this one's later pushes and pops.
    func copy() -> ExpansionPath {
        let path = ExpansionPath()
        names.forEach(path.push)
        return path
    }

    func pop() {
        guard let name = names.popLast() else { return }
        members[name, default: 1] -= 1
    }
}
