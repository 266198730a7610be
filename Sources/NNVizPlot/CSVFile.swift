#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C `FILE` stream, closed when the object goes away. Every failure throws a ``CSVError`` naming `path`.
final class CSVFile {
    let path: String
    private let stream: UnsafeMutablePointer<FILE>

    /// Opens `path` with an `fopen` mode: `"rb"` to read, `"wb"` to create or truncate.
    init(path: String, mode: String) throws {
        self.path = path
        guard let stream = fopen(path, mode) else {
            let reason = Self.systemReason()
            throw mode.hasPrefix("r") ? CSVError.unreadable(file: path, reason: reason)
                                      : CSVError.unwritable(file: path, reason: reason)
        }
        self.stream = stream
    }

    deinit {
        fclose(stream)
    }

    /// Every byte of the file at `path`.
    static func readAll(path: String) throws -> [UInt8] {
        try CSVFile(path: path, mode: "rb").readToEnd()
    }

    /// The bytes from the current position to the end.
    func readToEnd() throws -> [UInt8] {
        var bytes: [UInt8] = []
        let chunk = 1 << 16
        while true {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            let read = bytes.withUnsafeMutableBufferPointer { buffer in
                fread(buffer.baseAddress! + start, 1, chunk, stream)
            }
            bytes.removeLast(chunk - read)
            if read < chunk {
                if ferror(stream) != 0 { throw CSVError.unreadable(file: path, reason: Self.systemReason()) }
                return bytes
            }
        }
    }

    /// Writes all of `text` and flushes it to the operating system, so a crash of this process loses nothing.
    func writeAndFlush(_ text: String) throws {
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, stream) }
        guard written == text.utf8.count, fflush(stream) == 0 else {
            throw CSVError.unwritable(file: path, reason: Self.systemReason())
        }
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
