import CGraphviz
import Foundation

/// The one door into libgvc and libcgraph.
///
/// Both libraries keep process-wide state (the DOT parser, the error sink, plugin tables, layout
/// scratch data) and crash when two threads call them at once, so every call, including the frees
/// in the wrappers' `deinit`s, runs inside ``withLock(_:)``. The wrappers never leave the closure.
enum GraphvizLibrary {
    private static let lock = NSLock()

    /// Messages Graphviz reported since the last ``takeMessages()``; guarded by `lock`.
    nonisolated(unsafe) private static var messages = ""
    nonisolated(unsafe) private static var sinkInstalled = false

    /// Runs `body` while holding the library lock, with Graphviz's messages routed to ``takeMessages()``.
    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        if !sinkInstalled {
            _ = agseterrf(collectMessage)
            sinkInstalled = true
        }
        messages = ""
        return try body()
    }

    /// The messages Graphviz reported since the last call, trimmed; empties the buffer.
    /// Only call inside ``withLock(_:)``.
    static func takeMessages() -> String {
        defer { messages = "" }
        return messages.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Graphviz's error sink: it hands over a message in pieces ("Error", ": ", the text).
    private static let collectMessage: agusererrf = { text in
        if let text { GraphvizLibrary.messages += String(cString: text) }
        return 0
    }
}
