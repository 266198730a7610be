import CCairo
import Foundation

/// A ``Canvas`` drawing through Cairo onto a ``CairoSurface``, in points scaled to the surface's units.
///
/// Text uses Cairo's toy API with DejaVu Sans and hint metrics off, so PNG, SVG and PDF lay text out alike.
final class CairoCanvas: Canvas {
    let surface: CairoSurface
    let size: Size
    let pixelsPerPoint: Double
    private let context: OpaquePointer
    private var currentFont: Font?

    /// A canvas of `size` points on `surface`; `scale` is surface units per point (dpi/72 for images, 1 for SVG
    /// and PDF); `pixelsPerPoint` is the resolution series are thinned to.
    init(surface: CairoSurface, size: Size, scale: Double, pixelsPerPoint: Double) throws {
        precondition(scale.isFinite && scale > 0, "CairoCanvas: scale \(scale) must be positive")
        self.surface = surface
        self.size = size
        self.pixelsPerPoint = pixelsPerPoint
        context = cairo_create(surface.pointer)
        try checkCairo(cairo_status(context), "cairo_create")
        cairo_scale(context, scale, scale)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
        try checkStatus("setting up the context")
    }

    deinit { cairo_destroy(context) }

    /// Throws if any drawing so far failed (Cairo's errors are sticky: the first one is kept).
    func checkStatus(_ operation: String) throws {
        try checkCairo(cairo_status(context), operation)
    }

    // MARK: - Text

    private func select(_ font: Font) {
        guard font != currentFont else { return }
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
        currentFont = font
    }

    /// Text extents as matplotlib's Agg backend reports them (hinted to the pixel grid): the advance and the
    /// ink's reach above and below the baseline, each rounded to whole device pixels.
    func measure(_ text: String, font: Font) -> TextExtent {
        select(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        let k = pixelsPerPoint
        let width = (extents.x_advance * k).rounded() / k
        guard extents.width > 0 else { return TextExtent(width: width, ascent: 0, descent: 0) }
        return TextExtent(width: width, ascent: (-extents.y_bearing * k).rounded() / k,
                          descent: ((extents.height + extents.y_bearing) * k).rounded() / k)
    }

    func drawText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) {
        guard origin.x.isFinite, origin.y.isFinite else { return }
        select(font)
        setColor(color)
        cairo_save(context)
        cairo_translate(context, origin.x, origin.y)
        if angle != 0 { cairo_rotate(context, -angle * .pi / 180) }
        cairo_move_to(context, 0, 0)
        cairo_show_text(context, text)
        cairo_restore(context)
    }

    // MARK: - Paths

    func stroke(_ path: Path, style: StrokeStyle) {
        guard style.width > 0, style.color.alpha > 0 else { return }
        setColor(style.color)
        cairo_set_line_width(context, style.width)
        switch style.cap {
        case .butt: cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        case .projecting: cairo_set_line_cap(context, CAIRO_LINE_CAP_SQUARE)
        }
        switch style.join {
        case .miter: cairo_set_line_join(context, CAIRO_LINE_JOIN_MITER)
        case .round: cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        case .bevel: cairo_set_line_join(context, CAIRO_LINE_JOIN_BEVEL)
        }
        cairo_set_miter_limit(context, 10)
        style.dashes.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
        // Cairo's cost for one stroke grows faster than linearly with crossing segments (a thinned noisy
        // series zigzags through every pixel column). Solid opaque strokes look the same drawn in pieces.
        if style.dashes.isEmpty && style.color.alpha == 1 && path.elements.count > 2 * CairoCanvas.strokeChunk {
            for piece in CairoCanvas.pieces(of: path) {
                build(piece, snapWidth: style.snap ? style.width : nil)
                cairo_stroke(context)
            }
        } else {
            build(path, snapWidth: style.snap ? style.width : nil)
            cairo_stroke(context)
        }
    }

    private static let strokeChunk = 64

    /// `path` cut into runs of about ``strokeChunk`` elements, each continuing from where the last ended.
    private static func pieces(of path: Path) -> [Path] {
        var pieces: [Path] = []
        var current = Path()
        var lastPoint: Point?
        for element in path.elements {
            if current.elements.count >= strokeChunk, case .line = element, let start = lastPoint {
                pieces.append(current)
                current = Path()
                current.move(to: start)
            }
            current.append(element)
            switch element {
            case .move(let p), .line(let p): lastPoint = p
            case .arc, .close: lastPoint = nil
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    func fill(_ path: Path, color: Color, snap: Bool) {
        guard color.alpha > 0 else { return }
        setColor(color)
        cairo_set_fill_rule(context, CAIRO_FILL_RULE_WINDING)
        build(path, snapWidth: snap ? 0 : nil)
        cairo_fill(context)
    }

    func pushClip(_ rect: Rect) {
        cairo_save(context)
        cairo_new_path(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    func popClip() { cairo_restore(context) }

    private func setColor(_ c: Color) {
        cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha)
    }

    /// Replays `path` into the context. With `snapWidth`, coordinates are rounded to device pixels as
    /// matplotlib snaps them: pixel centres for lines an odd number of pixels wide, pixel edges otherwise.
    private func build(_ path: Path, snapWidth: Double?) {
        cairo_new_path(context)
        var transform: (Point) -> Point = { $0 }
        if let width = snapWidth {
            let k = pixelsPerPoint
            let offset = Int((width * k).rounded()) % 2 == 1 ? 0.5 : 0
            transform = { p in
                Point(x: ((p.x * k + 0.5).rounded(.down) + offset) / k, y: ((p.y * k + 0.5).rounded(.down) + offset) / k)
            }
        }
        for element in path.elements {
            switch element {
            case .move(let p):
                let q = transform(p)
                guard q.x.isFinite, q.y.isFinite else { continue }
                cairo_move_to(context, q.x, q.y)
            case .line(let p):
                let q = transform(p)
                guard q.x.isFinite, q.y.isFinite else { continue }
                cairo_line_to(context, q.x, q.y)
            case .arc(let c, let r, let start, let end):
                guard c.x.isFinite, c.y.isFinite, r.isFinite else { continue }
                cairo_arc(context, c.x, c.y, r, start, end)
            case .close:
                cairo_close_path(context)
            }
        }
    }
}
