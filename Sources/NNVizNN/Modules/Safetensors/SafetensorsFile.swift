import Foundation
import NNVizCore
import NNVizSupport

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype, shape and byte range, then the tensors' bytes back to back.
///
/// Reading checks the header against the real file before anything is allocated for what it claims, so
/// a truncated or lying file is a ``SafetensorsError``, never a crash or a huge allocation. Writing
/// produces the bytes `safetensors.torch.save_file` writes for the same tensors.
enum SafetensorsFile {
    /// safetensors' limit on the header length (100 MB).
    static let maxHeaderLength = 100_000_000

    // MARK: - Reading

    /// The tensors in `path`, in the order of their data (the order `safetensors.torch.load_file` gives).
    static func read(_ path: String) throws -> [(name: String, tensor: Tensor)] {
        let file = try ReadableFile(path)
        guard file.size >= 8 else { throw SafetensorsError.truncated(path: path, size: file.size) }
        let length = try file.read(at: 0, count: 8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(maxHeaderLength), length <= UInt64(file.size - 8) else {
            throw SafetensorsError.invalidHeaderLength(path: path, length: length, fileSize: file.size)
        }
        let headerLength = Int(length)
        let dataSize = file.size - 8 - headerLength
        let header = try SafetensorsHeader(try file.read(at: 8, count: headerLength), dataSize: dataSize, path: path)
        let data = try file.read(at: 8 + headerLength, count: dataSize)
        return data.withUnsafeBytes { buffer in
            header.entries.map { entry in
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[entry.begin..<entry.end])
                return (entry.name, entry.dtype.tensor(shape: entry.shape, bytes: bytes))
            }
        }
    }

    // MARK: - Writing

    /// The file's bytes for `tensors`, as safetensors writes them: entries sorted by descending dtype
    /// order and then by name (bytewise), data in that order, the header padded with spaces to a multiple
    /// of 8 bytes, `__metadata__` (keys sorted) first when given.
    static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]?) -> [UInt8] {
        let sorted = tensors.map { (name: $0.name, key: Array($0.name.utf8), dtype: SafetensorsDType($0.tensor.dtype), tensor: $0.tensor) }
            .sorted { $0.dtype.rank != $1.dtype.rank ? $0.dtype.rank > $1.dtype.rank : $0.key.lexicographicallyPrecedes($1.key) }
        var members: [String] = []
        if let metadata {
            let pairs = metadata.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            members.append(jsonString("__metadata__") + ":{" + pairs.map { jsonString($0.key) + ":" + jsonString($0.value) }.joined(separator: ",") + "}")
        }
        var data: [UInt8] = []
        for entry in sorted {
            let begin = data.count
            data += SafetensorsDType.bytes(of: entry.tensor)
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            members.append(jsonString(entry.name) + ":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(data.count)]}")
        }
        var header = Array(("{" + members.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + data.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + header + data
    }

    /// Writes `tensors` to `path` whole or not at all (``AtomicFile``: a temporary sibling renamed into place).
    static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]?, to path: String) throws {
        do {
            try AtomicFile.write(encode(tensors, metadata: metadata), to: path)
        } catch let error as AtomicFileError {
            throw SafetensorsError.cannotWrite(path: path, reason: error.reason)
        }
    }

    /// A JSON string as serde_json writes it: `"` and `\` escaped, control characters as `\n`-style or
    /// `\u00XX` escapes, everything else (non-ASCII included) as is.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A file open for reading, closed when released; reads are exact or throw.
private final class ReadableFile {
    let path: String
    let descriptor: Int32
    let size: Int

    init(_ path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SafetensorsError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw SafetensorsError.cannotRead(path: path, reason: reason)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            let kind = info.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : "it is not a regular file"
            throw SafetensorsError.cannotRead(path: path, reason: kind)
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Exactly `count` bytes from `offset` (the caller has checked they lie inside the file).
    func read(at offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        let failure: String? = bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let result = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if result < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if result == 0 { return "the file ended at byte \(offset + done), before the \(size) bytes it had when opened" }
                done += result
            }
            return nil
        }
        if let failure { throw SafetensorsError.cannotRead(path: path, reason: failure) }
        return bytes
    }
}
