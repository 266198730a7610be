import Foundation

/// Writes a file through a temporary sibling and a rename, so readers see the old file or the
/// whole new one, never a part.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path) }
        var written = 0
        let status: Int32 = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return 0
        }
        let closeStatus = close(descriptor) == 0 ? 0 : errno
        if status != 0 || closeStatus != 0 {
            unlink(temporary)
            throw GraphvizError.writeFailed(path: path, reason: String(cString: strerror(status != 0 ? status : closeStatus)))
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }

    /// Throws unless the directory `path` goes into exists.
    static func checkDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GraphvizError.missingDirectory(path: path, directory: directory)
        }
    }

    private static func failure(_ path: String) -> GraphvizError {
        GraphvizError.writeFailed(path: path, reason: String(cString: strerror(errno)))
    }
}
