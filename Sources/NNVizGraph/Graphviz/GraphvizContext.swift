import CGraphviz
import Foundation

/// A Graphviz context (`GVC_t`): the loaded layout and render plugins. Freed in `deinit`.
/// Create and drop only inside ``GraphvizLibrary/withLock(_:)``.
final class GraphvizContext {
    let handle: OpaquePointer

    init() throws {
        guard let handle = gvContext() else {
            throw GraphvizError.contextUnavailable(message: GraphvizLibrary.takeMessages())
        }
        self.handle = handle
    }

    deinit {
        gvFreeContext(handle)
    }

    /// The output formats (`-T` names) the loaded plugins provide, sorted and without duplicates.
    func formats() -> [String] {
        var count: Int32 = 0
        guard let list = gvPluginList(handle, "device", &count, nil) else { return [] }
        defer { free(list) }
        var names = Set<String>()
        for index in 0..<Int(count) {
            guard let name = list[index] else { continue }
            // Entries read "png:cairo"; the part before the colon is the format.
            names.insert(String(String(cString: name).prefix { $0 != ":" }))
            free(name)
        }
        return names.sorted()
    }
}
