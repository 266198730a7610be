/// A font: DejaVu Sans at a size in points, matplotlib's default face.
public struct Font: Hashable, Sendable {
    public var size: Double
    public var bold: Bool

    public init(size: Double, bold: Bool = false) {
        self.size = size
        self.bold = bold
    }
}

/// The size of a run of text: how far it advances the pen, and how far its ink reaches above and below
/// the baseline.
public struct TextExtent: Hashable, Sendable {
    /// Pen advance.
    public var width: Double
    public var ascent: Double
    public var descent: Double

    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }
}

public enum LineCap: Hashable, Sendable { case butt, round, projecting }
public enum LineJoin: Hashable, Sendable { case miter, round, bevel }

/// Everything a stroke needs; Cairo's defaults are not matplotlib's, so each property is explicit.
public struct StrokeStyle: Hashable, Sendable {
    public var color: Color
    /// In points.
    public var width: Double
    /// On/off lengths in points; empty for a solid line.
    public var dashes: [Double]
    public var cap: LineCap
    public var join: LineJoin
    /// Round axis-aligned coordinates to the device pixel grid so thin lines stay crisp (matplotlib's snapping).
    public var snap: Bool

    public init(color: Color, width: Double, dashes: [Double] = [], cap: LineCap = .projecting,
                join: LineJoin = .round, snap: Bool = false) {
        self.color = color
        self.width = width
        self.dashes = dashes
        self.cap = cap
        self.join = join
        self.snap = snap
    }
}

/// Measures text; layout depends only on this, so it can be computed and tested without Cairo.
public protocol TextMeasuring {
    func measure(_ text: String, font: Font) -> TextExtent
}

/// Where a figure is drawn: points from the top-left corner, y growing downwards.
///
/// ``CairoCanvas`` draws into PNG, SVG and PDF surfaces; ``RecordingCanvas`` keeps the calls for tests.
public protocol Canvas: AnyObject, TextMeasuring {
    /// The drawable area in points.
    var size: Size { get }
    /// Device pixels per point: `dpi / 72` for raster output. Huge series are thinned to this resolution.
    var pixelsPerPoint: Double { get }
    func stroke(_ path: Path, style: StrokeStyle)
    /// Fills `path` (non-zero winding); `snap` rounds its corners to the device pixel grid.
    func fill(_ path: Path, color: Color, snap: Bool)
    /// Draws `text` with its baseline starting at `origin`, turned `angle` degrees counter-clockwise about it.
    func drawText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double)
    /// Stretches `image` over `rect`, each pixel a sharp-edged block (no smoothing), the rectangle's edges on
    /// whole device pixels; transparent pixels leave what is underneath.
    func drawImage(_ image: RasterImage, in rect: Rect)
    /// Restricts drawing to `rect` until the matching ``popClip()``.
    func pushClip(_ rect: Rect)
    func popClip()
}

extension Canvas {
    public func fill(_ path: Path, color: Color) { fill(path, color: color, snap: false) }
}
