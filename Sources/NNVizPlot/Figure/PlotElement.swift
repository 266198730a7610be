/// A line series: matplotlib's `plot`.
struct LineSeries {
    var x: [Double]?
    var y: [Double]
    var label: String?
    var color: Color
    var lineStyle: LineStyle
    var lineWidth: Double
    var marker: Marker?
    var markerSize: Double
    var alpha: Double
    /// TensorBoard smoothing weight in 0…1; the raw curve is drawn faintly underneath.
    var smoothing: Double?
}

/// Points with no line: matplotlib's `scatter`.
struct ScatterSeries {
    var x: [Double]
    var y: [Double]
    var label: String?
    var color: Color
    var marker: Marker
    /// Marker diameter in points (matplotlib's `s` is its square).
    var size: Double
    var alpha: Double
}

/// Vertical bars: matplotlib's `bar`.
struct BarSeries {
    var x: [Double]
    var heights: [Double]
    var bottom: [Double]?
    var width: Double
    var label: String?
    var color: Color
    var alpha: Double
}

/// The area between two curves: matplotlib's `fill_between`.
struct BandSeries {
    var x: [Double]
    var lower: [Double]
    var upper: [Double]
    var label: String?
    var color: Color
    var alpha: Double
}

/// A line across the whole axes at a fixed value: matplotlib's `axhline` and `axvline`.
struct ReferenceLine {
    enum Orientation { case horizontal, vertical }
    var orientation: Orientation
    var value: Double
    var label: String?
    var color: Color
    var lineStyle: LineStyle
    var lineWidth: Double
}

/// A text annotation: matplotlib's `text`.
struct TextAnnotation {
    var x: Double
    var y: Double
    var text: String
    var coordinates: Axes.TextCoordinates
    var fontSize: Double
    var color: Color
    var horizontalAlignment: HorizontalAlignment
    var verticalAlignment: VerticalAlignment
}

/// A grid of values coloured through a colormap: matplotlib's `imshow` (with `aspect='auto'` and an `extent`).
/// Row 0 is drawn at the top; column `c` spans `xEdges[c]...xEdges[c + 1]`, row `r` spans `r - 0.5...r + 0.5`.
struct HeatmapSeries {
    /// Row-major, `rows × columns`.
    var values: [Double]
    var rows: Int
    var columns: Int
    var xEdges: [Double]
    var norm: ColorNorm
    var colormap: Colormap

    /// The picture: one pixel per cell, ``Colormap/bad`` where the norm masks the value.
    var image: RasterImage {
        RasterImage(width: columns, height: rows, pixels: values.map { colormap.color(at: norm.fraction($0)) })
    }
}

/// One thing drawn in an axes, in the order it was added.
enum PlotElement {
    case line(LineSeries)
    case scatter(ScatterSeries)
    case bars(BarSeries)
    case band(BandSeries)
    case reference(ReferenceLine)
    case text(TextAnnotation)
    case heatmap(HeatmapSeries)

    var label: String? {
        switch self {
        case .line(let s): return s.label
        case .scatter(let s): return s.label
        case .bars(let s): return s.label
        case .band(let s): return s.label
        case .reference(let s): return s.label
        case .text, .heatmap: return nil
        }
    }

    /// matplotlib's z-order: images (0) under patches and collections (1) under lines (2) under text (3).
    var zOrder: Int {
        switch self {
        case .heatmap: return 0
        case .bars, .band, .scatter: return 1
        case .line, .reference: return 2
        case .text: return 3
        }
    }
}

/// How text sits horizontally against its anchor point.
public enum HorizontalAlignment: Hashable, Sendable { case left, center, right }

/// How text sits vertically against its anchor point.
public enum VerticalAlignment: Hashable, Sendable {
    case top, center, bottom, baseline
    /// Half the ascent above the baseline, matplotlib's choice for y tick labels.
    case centerBaseline
}
