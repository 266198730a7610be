/// A safetensors file that cannot be read, written or loaded into a module. Every case names the file.
///
/// ```swift
/// do { try model.loadSafetensors("model.safetensors") } catch { print(error) }
/// // model.safetensors: Error(s) in loading state_dict for Sequential:
/// //     Missing key(s) in state_dict: "2.bias".
/// ```
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read (no such file, a directory, permission denied).
    case cannotRead(path: String, reason: String)
    /// The file cannot be written.
    case cannotWrite(path: String, reason: String)
    /// The file is shorter than the 8-byte header length that starts every safetensors file.
    case truncated(path: String, size: Int)
    /// The header length is above safetensors' 100 MB limit or runs past the end of the file.
    case invalidHeaderLength(path: String, length: UInt64, fileSize: Int)
    /// The header is not UTF-8, not JSON, or not the object of tensor entries safetensors writes.
    case invalidHeader(path: String, reason: String)
    /// One tensor's entry contradicts itself or the file (dtype, shape, data offsets).
    case invalidTensor(path: String, name: String, reason: String)
    /// The tensors do not cover the data section: bytes after the last tensor belong to none.
    case incompleteData(path: String, covered: Int, dataSize: Int)
    /// The file's tensors do not fit the module, worded as `load_state_dict(strict=True)` words it.
    case stateDict(path: String, message: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .cannotRead(let path, _), .cannotWrite(let path, _), .truncated(let path, _),
             .invalidHeaderLength(let path, _, _), .invalidHeader(let path, _), .invalidTensor(let path, _, _),
             .incompleteData(let path, _, _), .stateDict(let path, _):
            return path
        }
    }

    /// What is wrong, without the file name.
    public var reason: String {
        switch self {
        case .cannotRead(_, let reason):
            return "cannot read the file: \(reason)"
        case .cannotWrite(_, let reason):
            return "cannot write the file: \(reason)"
        case .truncated(_, let size):
            return "not a safetensors file: \(size) byte\(size == 1 ? "" : "s"), shorter than the 8-byte header length"
        case .invalidHeaderLength(_, let length, let fileSize):
            if length > UInt64(SafetensorsFile.maxHeaderLength) {
                return "header length \(length) is above safetensors' limit of \(SafetensorsFile.maxHeaderLength) bytes"
            }
            return "header length \(length) runs past the end of the file (\(fileSize) bytes, so at most \(fileSize - 8))"
        case .invalidHeader(_, let reason):
            return "invalid header: \(reason)"
        case .invalidTensor(_, let name, let reason):
            return "tensor \"\(name)\": \(reason)"
        case .incompleteData(_, let covered, let dataSize):
            return "the tensors cover \(covered) of the data section's \(dataSize) bytes (the last tensor must end where the file ends)"
        case .stateDict(_, let message):
            return message
        }
    }

    public var description: String { "\(path): \(reason)" }
}
