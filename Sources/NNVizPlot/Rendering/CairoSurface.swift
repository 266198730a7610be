import CCairo

/// Collects the bytes Cairo writes to a stream.
final class ByteSink {
    var bytes: [UInt8] = []
}

/// The write callback Cairo calls with chunks of SVG, PDF or PNG output; `closure` is a ``ByteSink``.
private let appendToSink: cairo_write_func_t = { closure, data, length in
    guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    if let data, length > 0 { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length))) }
    return CAIRO_STATUS_SUCCESS
}

/// Throws when `status` is not success, naming the operation.
func checkCairo(_ status: cairo_status_t, _ operation: String) throws {
    guard status != CAIRO_STATUS_SUCCESS else { return }
    throw PlotError.cairo(operation: operation, message: String(cString: cairo_status_to_string(status)))
}

/// A Cairo surface: an ARGB32 image, or an SVG or PDF document streamed into memory. Destroyed in `deinit`.
final class CairoSurface {
    let pointer: OpaquePointer
    /// Receives SVG or PDF output; kept alive as long as the surface.
    let sink: ByteSink?

    private init(pointer: OpaquePointer, sink: ByteSink?, operation: String) throws {
        self.pointer = pointer
        self.sink = sink
        try checkCairo(cairo_surface_status(pointer), operation)
    }

    deinit { cairo_surface_destroy(pointer) }

    static func image(width: Int, height: Int) throws -> CairoSurface {
        guard (1...32767).contains(width), (1...32767).contains(height) else {
            throw PlotError.invalidImageSize(width: width, height: height)
        }
        return try CairoSurface(pointer: cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
                                sink: nil, operation: "cairo_image_surface_create")
    }

    /// An SVG document of `size` points.
    static func svg(size: Size) throws -> CairoSurface {
        let sink = ByteSink()
        let surface = cairo_svg_surface_create_for_stream(appendToSink, Unmanaged.passUnretained(sink).toOpaque(),
                                                          size.width, size.height)!
        return try CairoSurface(pointer: surface, sink: sink, operation: "cairo_svg_surface_create_for_stream")
    }

    /// A one-page PDF document of `size` points.
    static func pdf(size: Size) throws -> CairoSurface {
        let sink = ByteSink()
        let surface = cairo_pdf_surface_create_for_stream(appendToSink, Unmanaged.passUnretained(sink).toOpaque(),
                                                          size.width, size.height)!
        return try CairoSurface(pointer: surface, sink: sink, operation: "cairo_pdf_surface_create_for_stream")
    }

    /// Completes a vector document and returns its bytes.
    func finishDocument() throws -> [UInt8] {
        cairo_surface_finish(pointer)
        try checkCairo(cairo_surface_status(pointer), "cairo_surface_finish")
        return sink?.bytes ?? []
    }

    /// Encodes an image surface as PNG (with ``PNGEncoder``, several times faster than Cairo's libpng writer).
    func pngBytes(dpi: Double) throws -> [UInt8] {
        cairo_surface_flush(pointer)
        try checkCairo(cairo_surface_status(pointer), "cairo_surface_flush")
        let width = Int(cairo_image_surface_get_width(pointer)), height = Int(cairo_image_surface_get_height(pointer))
        let stride = Int(cairo_image_surface_get_stride(pointer)) / 4
        guard let base = cairo_image_surface_get_data(pointer) else {
            throw PlotError.cairo(operation: "cairo_image_surface_get_data", message: "the image has no pixel data")
        }
        return base.withMemoryRebound(to: UInt32.self, capacity: stride * height) {
            PNGEncoder.encode(width: width, height: height, stride: stride,
                              pixels: UnsafeBufferPointer(start: $0, count: stride * height), dpi: dpi)
        }
    }

    /// The pixels of an image surface as premultiplied ARGB32 words, row by row.
    func pixels() -> (width: Int, height: Int, stride: Int, data: [UInt32]) {
        cairo_surface_flush(pointer)
        let width = Int(cairo_image_surface_get_width(pointer)), height = Int(cairo_image_surface_get_height(pointer))
        let stride = Int(cairo_image_surface_get_stride(pointer)) / 4
        guard let base = cairo_image_surface_get_data(pointer) else { return (width, height, stride, []) }
        let words = base.withMemoryRebound(to: UInt32.self, capacity: stride * height) {
            Array(UnsafeBufferPointer(start: $0, count: stride * height))
        }
        return (width, height, stride, words)
    }
}
