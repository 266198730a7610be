import Foundation

/// Writes files whole or not at all: to a temporary name in the same directory, then renamed into place.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw PlotError.cannotWrite(path: path, reason: "the directory '\(directory.path)' does not exist")
        }
        guard isDirectory.boolValue else {
            throw PlotError.cannotWrite(path: path, reason: "'\(directory.path)' is not a directory")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw PlotError.cannotWrite(path: path, reason: "it is a directory")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw PlotError.cannotWrite(path: path, reason: "cannot create a file in '\(directory.path)' (permission denied or disk full)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PlotError.cannotWrite(path: path, reason: reason)
        }
    }
}
