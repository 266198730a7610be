/// Why a figure could not be turned into a file or bytes.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    /// The file name's extension is not `.png`, `.svg` or `.pdf`.
    case unknownFormat(path: String)
    /// The file could not be written; nothing was left at `path`.
    case cannotWrite(path: String, reason: String)
    /// The image would exceed Cairo's 32,767 pixel limit, or has no pixels.
    case invalidImageSize(width: Int, height: Int)
    /// Cairo reported an error while drawing or encoding.
    case cairo(operation: String, message: String)

    public var description: String {
        switch self {
        case .unknownFormat(let path):
            return "cannot tell the image format of '\(path)': use a name ending in .png, .svg or .pdf"
        case .cannotWrite(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        case .invalidImageSize(let width, let height):
            return "an image of \(width)×\(height) pixels cannot be drawn: each side must be 1…32767 pixels (lower the size or the dpi)"
        case .cairo(let operation, let message):
            return "Cairo failed in \(operation): \(message)"
        }
    }
}
