import Glibc

/// Writes files whole or not at all: the bytes go to a temporary sibling, which is then renamed into place,
/// so readers see the old file or the whole new one, never a part, and a failure leaves nothing behind.
///
/// ```swift
/// try AtomicFile.write(Array("digraph {}\n".utf8), to: "out/graph.dot")
/// ```
public enum AtomicFile {
    /// Writes `bytes` to `path`.
    ///
    /// - Throws: ``AtomicFileError`` naming `path` and the system's reason (a missing directory, a path that
    ///   is a directory, no permission, a full disk).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = Self.directory(of: path)
        var info = stat()
        guard stat(directory, &info) == 0 else {
            throw AtomicFileError(path: path, reason: "the directory '\(directory)' does not exist")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw AtomicFileError(path: path, reason: "'\(directory)' is not a directory")
        }
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw AtomicFileError(path: path, reason: "it is a directory")
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (directory == "." && !path.hasPrefix("./") ? "" : directory + "/")
            + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AtomicFileError(path: path, errno: errno) }
        var written = 0
        let writeStatus: Int32 = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return 0
        }
        let closeStatus = close(descriptor) == 0 ? 0 : errno
        if writeStatus != 0 || closeStatus != 0 {
            unlink(temporary)
            throw AtomicFileError(path: path, errno: writeStatus != 0 ? writeStatus : closeStatus)
        }
        guard rename(temporary, path) == 0 else {
            let error = AtomicFileError(path: path, errno: errno)
            unlink(temporary)
            throw error
        }
    }

    /// The directory part of `path`: `"."` for a bare file name, `"/"` for a file at the root.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}

/// Why ``AtomicFile/write(_:to:)`` wrote nothing.
///
/// ```swift
/// do { try AtomicFile.write(bytes, to: "missing/x.png") } catch let error as AtomicFileError {
///     print(error)   // cannot write 'missing/x.png': the directory 'missing' does not exist
/// }
/// ```
public struct AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path asked for.
    public let path: String
    /// What went wrong, in words.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        self.init(path: path, reason: String(cString: strerror(code)))
    }

    public var description: String { "cannot write '\(path)': \(reason)" }
}
