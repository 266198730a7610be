import Foundation

/// The zoom that keeps a laid-out drawing inside a pixel budget and a largest side.
///
/// Graphviz draws a layout of `width × height` points at `dpi / 72` pixels per point, scaled by a
/// zoom (below 1 when the graph's `size` asks for less). This finds the largest zoom not above the
/// preferred one for which the rounded pixel width × height stays within the budget and neither side
/// passes the limit.
struct DrawingScale: Equatable {
    /// Cairo image surfaces stop at 32,767 pixels a side; Graphviz rescales (and complains on stderr)
    /// from there, so drawings stay clearly below.
    static let bitmapMaximumSide = 32_000.0
    /// PDF pages larger than 200 inches (14,400 points) a side are beyond the PDF 1.x limit that
    /// viewers enforce.
    static let pdfMaximumSide = 14_400.0

    let zoom: Double
    let width: Int
    let height: Int

    /// - Parameters:
    ///   - width, height: the drawing with its padding, in points.
    ///   - unitsPerPoint: output units (pixels, or points for vector formats) per point: `dpi / 72`.
    ///   - preferredZoom: the zoom Graphviz would use on its own (from the `size` attribute).
    ///   - budget: largest `width × height` in output units, or `nil` for no limit.
    ///   - maximumSide: largest side in output units, or `nil` for no limit.
    init(width: Double, height: Double, unitsPerPoint: Double, preferredZoom: Double, budget: Int?,
         maximumSide: Double?)
    {
        let w = max(width * unitsPerPoint, 1), h = max(height * unitsPerPoint, 1)
        var zoom = preferredZoom
        if let budget { zoom = min(zoom, (Double(budget) / (w * h)).squareRoot()) }
        if let maximumSide { zoom = min(zoom, maximumSide / w, maximumSide / h) }
        func fits(_ z: Double) -> Bool {
            let pw = (w * z).rounded(), ph = (h * z).rounded()
            if let budget, pw * ph > Double(budget) { return false }
            if let maximumSide, max(pw, ph) > maximumSide { return false }
            return true
        }
        // Rounding to whole pixels can overshoot by a pixel; step down until it fits.
        while !fits(zoom), zoom > 1e-6 { zoom *= 0.999 }
        self.zoom = zoom
        self.width = Int((w * zoom).rounded())
        self.height = Int((h * zoom).rounded())
    }

    /// The zoom Graphviz derives from a `size` attribute (`"w,h"` in inches, `!` to also enlarge)
    /// for a drawing of `width × height` points: 1 when the drawing fits or there is no size.
    static func sizeZoom(size: String?, width: Double, height: Double) -> Double {
        guard let size else { return 1 }
        let fill = size.hasSuffix("!")
        let numbers = size.replacingOccurrences(of: "!", with: "").split(separator: ",")
            .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard let first = numbers.first, first > 0.001, width > 0, height > 0 else { return 1 }
        let limitWidth = first * 72, limitHeight = (numbers.count > 1 ? numbers[1] : first) * 72
        guard limitHeight > 0.001 else { return 1 }
        let tooBig = limitWidth < width || limitHeight < height
        let tooSmall = fill && limitWidth > width && limitHeight > height
        return tooBig || tooSmall ? min(limitWidth / width, limitHeight / height) : 1
    }
}
