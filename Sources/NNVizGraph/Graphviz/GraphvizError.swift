/// What went wrong while laying out, rendering or saving a graph. Each case carries Graphviz's own
/// message when Graphviz reported one.
///
/// ```swift
/// do { try graph.render(to: "out/model.png") }
/// catch let error as GraphvizError { print(error) }   // e.g. "cannot write 'out/model.png': directory 'out' does not exist"
/// ```
public enum GraphvizError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A rendering option out of range (a resolution or pixel budget that is not a positive number).
    case invalidOption(String)
    /// `gvContext()` returned nothing (Graphviz's plugins could not be loaded).
    case contextUnavailable(message: String)
    /// Graphviz could not parse the DOT text.
    case syntax(message: String)
    /// The layout engine failed.
    case layout(engine: String, message: String)
    /// Graphviz could not produce `format` (an unknown format, or a renderer failure).
    case render(format: String, message: String)
    /// The graph has no drawing size to bound (Graphviz reported no bounding box).
    case missingBoundingBox(String)
    /// A file name whose extension names no output format.
    case unknownExtension(path: String)
    /// The directory to write into does not exist or is not a directory.
    case missingDirectory(path: String, directory: String)
    /// Writing or renaming the output file failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let message):
            return "invalid rendering option: " + message
        case .contextUnavailable(let message):
            return "Graphviz could not start (gvContext failed)" + suffix(message)
        case .syntax(let message):
            return "Graphviz could not read the DOT text" + suffix(message)
        case .layout(let engine, let message):
            return "Graphviz layout '\(engine)' failed" + suffix(message)
        case .render(let format, let message):
            return "Graphviz cannot render format '\(format)'" + suffix(message)
        case .missingBoundingBox(let text):
            return "Graphviz gave no usable bounding box after layout (bb=\"\(text)\")"
        case .unknownExtension(let path):
            return "cannot tell the output format of '\(path)': use an extension such as .png, .svg, .pdf or .dot"
        case .missingDirectory(let path, let directory):
            return "cannot write '\(path)': directory '\(directory)' does not exist"
        case .writeFailed(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        }
    }

    private func suffix(_ message: String) -> String {
        message.isEmpty ? "" : ": " + message
    }
}
