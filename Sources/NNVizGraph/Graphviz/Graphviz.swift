import Foundation

/// Graphviz, called in process through libgvc and libcgraph (never by starting `dot`).
///
/// Calls from many threads are safe: they take turns on one process-wide lock, because the
/// libraries are not thread-safe.
///
/// ```swift
/// let svg = try Graphviz.render(dot: "digraph { a -> b }", format: .svg)
/// let png = try Graphviz.render(dot: text, format: .png, dpi: 150, pixelBudget: 10_000_000)
/// ```
public enum Graphviz {
    /// The default largest bitmap, width × height: 40 million pixels (about 160 MB while drawing).
    public static let defaultPixelBudget = 40_000_000

    /// Lays out DOT text with the `dot` engine and draws it.
    ///
    /// Bitmaps are drawn at `dpi` (96 when `nil`) and shrunk, never enlarged, so that width × height
    /// stays within `pixelBudget` and neither side passes 32,000 pixels (Cairo's limit is 32,767);
    /// PDF pages stay within 14,400 points a side. `.dot` returns the text unchanged.
    ///
    /// - Throws: ``GraphvizError`` with Graphviz's message when the text does not parse, the layout
    ///   fails, or Graphviz does not know the format; ``GraphvizError/invalidOption(_:)`` for a
    ///   `dpi` or `pixelBudget` that is not positive.
    public static func render(dot: String, format: GraphFormat, dpi: Double? = nil,
                              pixelBudget: Int? = Graphviz.defaultPixelBudget) throws -> [UInt8]
    {
        if let dpi, !(dpi > 0 && dpi.isFinite) {
            throw GraphvizError.invalidOption("dpi must be a positive number, got \(dpi)")
        }
        if let pixelBudget, pixelBudget <= 0 {
            throw GraphvizError.invalidOption("the pixel budget must be positive, got \(pixelBudget)")
        }
        if format == .dot { return Array(dot.utf8) }
        return try GraphvizLibrary.withLock {
            let context = try GraphvizContext()
            let graph = try GraphvizGraph(dot: dot)
            let pixelsPerPoint: Double
            if format.isBitmap {
                let resolution = dpi ?? 96
                graph.set(attribute: "dpi", to: DotEncoder.number(resolution))
                pixelsPerPoint = resolution / 72
            } else {
                pixelsPerPoint = 1
            }
            let layout = try GraphvizLayout(context: context, graph: graph, engine: "dot")
            if format.isBitmap || format.baseName == "pdf" {
                try fit(layout, unitsPerPoint: pixelsPerPoint,
                        budget: format.isBitmap ? pixelBudget : nil,
                        maximumSide: format.isBitmap ? DrawingScale.bitmapMaximumSide : DrawingScale.pdfMaximumSide)
            }
            return try layout.render(format: format.name)
        }
    }

    /// Sets the `viewport` attribute (read when drawing, after layout) when the drawing must shrink
    /// more than the graph's own `size` asks.
    private static func fit(_ layout: GraphvizLayout, unitsPerPoint: Double, budget: Int?, maximumSide: Double) throws {
        let box = try layout.boundingBox()
        let pad = padding(layout.graph[attribute: "pad"])
        let width = box.width + 2 * pad.x, height = box.height + 2 * pad.y
        let preferred = DrawingScale.sizeZoom(size: layout.graph[attribute: "size"], width: width, height: height)
        let scale = DrawingScale(width: width, height: height, unitsPerPoint: unitsPerPoint,
                                 preferredZoom: preferred, budget: budget, maximumSide: maximumSide)
        guard scale.zoom < preferred else { return }
        let numbers = [width * scale.zoom, height * scale.zoom, scale.zoom, box.centerX, box.centerY]
        layout.graph.set(attribute: "viewport", to: numbers.map { String(format: "%.6f", $0) }.joined(separator: ","))
    }

    /// The padding around the drawing in points: the graph's `pad` (inches), else Graphviz's 4 points.
    private static func padding(_ text: String?) -> (x: Double, y: Double) {
        let numbers = (text ?? "").split(separator: ",").compactMap { Double($0) }
        guard let x = numbers.first, x >= 0 else { return (4, 4) }
        return (x * 72, (numbers.count > 1 ? numbers[1] : x) * 72)
    }
}
