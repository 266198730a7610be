import Foundation

/// Text positioned on the canvas: each run's baseline origin, the font, the rotation and the bounds.
struct PlacedText {
    struct Run {
        var text: String
        var origin: Point
        var font: Font
    }

    var runs: [Run]
    /// Degrees counter-clockwise.
    var angle: Double
    var color: Color
    /// The axis-aligned box around the (rotated) text box, matplotlib's window extent.
    var bounds: Rect

    var plainText: String { runs.map(\.text).joined() }
}

/// matplotlib's text box rules: a box at least as tall as the font's typographic ascent and descent
/// (DejaVu Sans: 1556 and 492 of 2048 units), aligned against an anchor point, optionally rotated.
enum TextLayout {
    static let minimumAscent = 1556.0 / 2048
    static let minimumDescent = 492.0 / 2048

    /// How rotated text is aligned: `.box` aligns the rotated bounding box (matplotlib's default),
    /// `.anchor` aligns the unrotated text and then turns it about the anchor (used for the y label).
    enum RotationMode { case box, anchor }

    static func place(_ text: StyledText, font: Font, color: Color = .black, at anchor: Point,
                      horizontal: HorizontalAlignment, vertical: VerticalAlignment, angle: Double = 0,
                      mode: RotationMode = .box, measurer: TextMeasuring) -> PlacedText {
        // Lay the runs out along a baseline at y = 0, y pointing up.
        var x = 0.0, inkAscent = 0.0, inkDescent = 0.0
        var local: [(text: String, x: Double, y: Double, font: Font)] = []
        for run in text.runs {
            let runFont = Font(size: font.size * run.scale, bold: font.bold)
            let rise = run.rise * font.size
            x += run.kern * font.size
            let extent = run.text.isEmpty ? TextExtent(width: 0, ascent: 0, descent: 0)
                : measurer.measure(run.text, font: runFont)
            local.append((run.text, x, rise, runFont))
            if !run.text.isEmpty {
                inkAscent = max(inkAscent, rise + extent.ascent)
                inkDescent = max(inkDescent, extent.descent - rise)
            }
            x += extent.width
        }
        // The box spans the pen advance from the origin, as matplotlib's does.
        let width = x
        let ascent = max(inkAscent, minimumAscent * font.size)
        let descent = max(inkDescent, minimumDescent * font.size)

        let radians = angle * .pi / 180
        let c = cos(radians), s = sin(radians)
        func rotate(_ px: Double, _ py: Double) -> (Double, Double) { (px * c - py * s, px * s + py * c) }
        let corners = [(0.0, -descent), (0.0, ascent), (width, ascent), (width, -descent)].map { rotate($0.0, $0.1) }
        let xmin = corners.map(\.0).min()!, xmax = corners.map(\.0).max()!
        let ymin = corners.map(\.1).min()!, ymax = corners.map(\.1).max()!

        var offset: (Double, Double)
        switch mode {
        case .box:
            let ox: Double = horizontal == .left ? xmin : horizontal == .right ? xmax : (xmin + xmax) / 2
            let oy: Double
            switch vertical {
            case .bottom: oy = ymin
            case .top: oy = ymax
            case .center: oy = (ymin + ymax) / 2
            case .baseline: oy = ymin + descent
            case .centerBaseline: oy = ymax - ascent / 2
            }
            offset = (ox, oy)
        case .anchor:
            let ox: Double = horizontal == .left ? 0 : horizontal == .right ? width : width / 2
            let oy: Double
            switch vertical {
            case .bottom: oy = -descent
            case .top: oy = ascent
            case .center: oy = (ascent - descent) / 2
            case .baseline: oy = 0
            case .centerBaseline: oy = ascent / 2
            }
            offset = rotate(ox, oy)
        }
        // Local (y up) to canvas (y down) about the anchor.
        func toCanvas(_ p: (Double, Double)) -> Point {
            Point(x: anchor.x + p.0 - offset.0, y: anchor.y - (p.1 - offset.1))
        }
        let runs = local.map { run in
            PlacedText.Run(text: run.text, origin: toCanvas(rotate(run.x, run.y)), font: run.font)
        }
        let bounds = Rect(corner: toCanvas((xmin, ymin)), corner: toCanvas((xmax, ymax)))
        return PlacedText(runs: runs, angle: angle, color: color, bounds: bounds)
    }
}
