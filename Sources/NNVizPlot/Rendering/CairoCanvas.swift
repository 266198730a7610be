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
    /// The first image Cairo could not create; reported by ``checkStatus(_:)``.
    private var imageFailure: PlotError?

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
        if let imageFailure { throw imageFailure }
        try checkCairo(cairo_status(context), operation)
    }

    // MARK: - Text

    /// Loads what text needs before any is measured: fontconfig's configuration and the DejaVu Sans face.
    /// The first measurement pays for it otherwise (about 8 ms); Cairo keeps both for the whole process.
    static func loadFont() {
        guard let surface = try? CairoSurface.image(width: 1, height: 1),
              let canvas = try? CairoCanvas(surface: surface, size: Size(width: 1, height: 1), scale: 1, pixelsPerPoint: 1)
        else { return }
        _ = canvas.measure("0", font: Font(size: Theme.fontSize))
    }

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

    // MARK: - Images

    func drawImage(_ image: RasterImage, in rect: Rect) {
        guard rect.width > 0, rect.height > 0, rect.minX.isFinite, rect.minY.isFinite else { return }
        let source: ImageSurface
        do {
            source = try ImageSurface(image)
        } catch {
            imageFailure = imageFailure ?? (error as? PlotError)
            return
        }
        // Corners on whole device pixels, as matplotlib places images.
        let k = pixelsPerPoint
        let x0 = (rect.minX * k).rounded() / k, y0 = (rect.minY * k).rounded() / k
        let x1 = (rect.maxX * k).rounded() / k, y1 = (rect.maxY * k).rounded() / k
        guard x1 > x0, y1 > y0 else { return }
        cairo_save(context)
        cairo_rectangle(context, x0, y0, x1 - x0, y1 - y0)
        cairo_clip(context)
        cairo_translate(context, x0, y0)
        cairo_scale(context, (x1 - x0) / Double(image.width), (y1 - y0) / Double(image.height))
        cairo_set_source_surface(context, source.pointer, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(cairo_get_source(context), CAIRO_EXTEND_PAD)
        cairo_paint(context)
        cairo_restore(context)
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

/// A Cairo ARGB32 image surface holding a ``RasterImage``, destroyed in `deinit`.
private final class ImageSurface {
    let pointer: OpaquePointer

    /// Throws ``PlotError/cairo(operation:message:)`` when Cairo cannot create the surface (out of memory, or
    /// a side above 32,767 pixels).
    init(_ image: RasterImage) throws {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(clamping: image.width),
                                                 Int32(clamping: image.height))!
        pointer = surface
        try checkCairo(cairo_surface_status(surface), "cairo_image_surface_create for a \(image.width)×\(image.height) image")
        guard let data = cairo_image_surface_get_data(surface) else {
            throw PlotError.cairo(operation: "cairo_image_surface_get_data", message: "the image has no pixel data")
        }
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        data.withMemoryRebound(to: UInt32.self, capacity: stride * image.height) { words in
            for row in 0..<image.height {
                for column in 0..<image.width {
                    words[row * stride + column] = Self.premultiplied(image[column, row])
                }
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    deinit { cairo_surface_destroy(pointer) }

    /// Cairo's pixel word: alpha, red, green, blue, the colours multiplied by alpha.
    private static func premultiplied(_ c: Color) -> UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32((max(0, min(1, v)) * 255).rounded()) }
        let a = max(0, min(1, c.alpha))
        return byte(a) << 24 | byte(c.red * a) << 16 | byte(c.green * a) << 8 | byte(c.blue * a)
    }
}
