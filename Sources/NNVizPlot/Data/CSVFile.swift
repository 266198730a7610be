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

    /// The bytes from the current position to the end: one read of the size the file has, then reads of
    /// whatever it grew by (a log still being written, or a pipe whose size is unknown).
    func readToEnd() throws -> [UInt8] {
        var info = stat()
        let size = fstat(fileno(stream), &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
        var bytes: [UInt8] = []
        var chunk = max(size + 1, 1 << 16)
        while true {
            let start = bytes.count
            let read = try [UInt8](unsafeUninitializedCapacity: chunk) { buffer, initialized in
                HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
                initialized = fread(buffer.baseAddress!, 1, chunk, stream)
                if initialized < chunk && ferror(stream) != 0 {
                    throw CSVError.unreadable(file: path, reason: Self.systemReason())
                }
            }
            if start == 0 { bytes = read } else { bytes += read }
            if read.count < chunk { return bytes }
            chunk = 1 << 16
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
