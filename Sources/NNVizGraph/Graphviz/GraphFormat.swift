/// An output format: Graphviz's `-T` name (`png`, `svg`, `pdf`, `jpg`, …) or `dot` for the DOT text
/// itself.
///
/// Any Graphviz format name is accepted; one Graphviz does not know makes rendering throw
/// ``GraphvizError/render(format:message:)`` with Graphviz's list of known formats.
///
/// ```swift
/// let png = try graph.render(format: .png)
/// let jpeg = try graph.render(format: GraphFormat("jpg"))
/// GraphFormat(pathExtension: "SVG")    // .svg
/// ```
public struct GraphFormat: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Graphviz's name for the format.
    public var name: String

    /// The format Graphviz calls `name` (`-T` option), e.g. `"jpg"` or `"png:cairo"`.
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    /// A bitmap drawn by Cairo.
    public static let png = GraphFormat("png")
    /// Scalable vector graphics.
    public static let svg = GraphFormat("svg")
    /// A PDF page drawn by Cairo.
    public static let pdf = GraphFormat("pdf")
    /// The DOT text of the prepared graph (no layout), written by ``DotEncoder``.
    public static let dot = GraphFormat("dot")
    /// A self-contained interactive page (see ``GraphPage``); not a Graphviz format.
    public static let html = GraphFormat("html")
    /// The page's data alone (see ``DotGraph/pageData``); not a Graphviz format.
    public static let json = GraphFormat("json")

    /// The format a file extension names (`png`, `svg`, `pdf`, `dot`/`gv`, `html`/`htm`, `json`,
    /// `jpg`/`jpeg`, `gif`, `bmp`, `webp`, `tif`/`tiff`), case-insensitively; `nil` for any other.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "svg": self = .svg
        case "pdf": self = .pdf
        case "dot", "gv": self = .dot
        case "html", "htm": self = .html
        case "json": self = .json
        case "jpg", "jpeg": self = GraphFormat("jpg")
        case "gif", "bmp", "webp": self = GraphFormat(pathExtension.lowercased())
        case "tif", "tiff": self = GraphFormat("tif")
        default: return nil
        }
    }

    /// Whether the output is a bitmap, whose pixel count the renderer bounds.
    public var isBitmap: Bool {
        ["png", "jpg", "jpeg", "jpe", "gif", "bmp", "webp", "tif", "tiff", "ico"].contains(baseName)
    }

    /// The format without a `:renderer:device` suffix (`png:cairo` → `png`).
    var baseName: String {
        String(name.prefix { $0 != ":" }).lowercased()
    }

    public var description: String { name }
}
