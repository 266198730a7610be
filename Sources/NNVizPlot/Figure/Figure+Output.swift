import Foundation
import NNVizSupport

/// The file formats a figure can be written in.
public enum ImageFormat: String, Hashable, Sendable, CaseIterable {
    case png, svg, pdf

    /// The format named by `path`'s extension (case-insensitive); nil for anything else.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(rawValue: name[name.index(after: dot)...].lowercased())
    }
}

// MARK: - Output

extension Figure {
    /// Starts loading the text font on a thread of its own, so that the first figure drawn later does not
    /// wait for fontconfig and FreeType (about 8 ms): call it before other slow work, such as reading a large log.
    ///
    /// ```swift
    /// Figure.loadFontInBackground()
    /// let log = try LossLog.read(contentsOf: "metrics.csv")
    /// ```
    public static func loadFontInBackground() {
        Thread.detachNewThread { CairoCanvas.loadFont() }
    }

    /// The figure as a PNG of ``pixelSize`` pixels.
    public func pngData() throws -> Data { try encoded(.png).data }

    /// The figure as an SVG document sized in points.
    public func svgData() throws -> Data { try encoded(.svg).data }

    /// The figure as a one-page PDF sized in points.
    public func pdfData() throws -> Data { try encoded(.pdf).data }

    /// The figure encoded as `format`.
    public func data(format: ImageFormat) throws -> Data { try encoded(format).data }

    /// Writes the figure to `path`, in the format its extension names (`.png`, `.svg`, `.pdf`) unless
    /// `format` is given, and returns the problems with the data that the drawing worked around (the same as
    /// ``warnings``); nothing is printed, the caller decides what to do with them. The file is written whole
    /// to a temporary name beside it and then renamed, so a failure never leaves a partial file.
    ///
    /// ```swift
    /// let warnings = try fig.save(to: "loss_transition.png")
    /// for warning in warnings { print("warning:", warning) }   // 'loss': 3 value(s) ≤ 0 dropped from the log y axis
    /// ```
    /// - Throws: ``PlotError``.
    @discardableResult
    public func save(to path: String, format: ImageFormat? = nil) throws -> [String] {
        guard let format = format ?? ImageFormat(path: path) else { throw PlotError.unknownFormat(path: path) }
        let (bytes, warnings) = try encoded(format)
        do {
            try AtomicFile.write(Array(bytes), to: path)
        } catch let error as AtomicFileError {
            throw PlotError.cannotWrite(path: path, reason: error.reason)
        }
        return warnings
    }

    /// Writes the figure to a file URL and returns its warnings; see ``save(to:format:)``.
    @discardableResult
    public func save(to url: URL, format: ImageFormat? = nil) throws -> [String] {
        try save(to: url.path, format: format)
    }

    /// Problems with the data that the drawing works around, e.g. values ≤ 0 dropped from a log axis.
    public var warnings: [String] {
        subplots.enumerated().flatMap { index, axes in
            labelled(axes.scanData().warnings, subplot: index)
        }
    }

    private func labelled(_ warnings: [String], subplot index: Int) -> [String] {
        subplots.count > 1 ? warnings.map { "axes [\(index / cols), \(index % cols)]: \($0)" } : warnings
    }

    /// Draws the figure on any canvas, e.g. a ``RecordingCanvas`` in tests.
    public func draw(on canvas: Canvas) {
        FigureRenderer(figure: self).render(on: canvas)
    }

    /// Draws and encodes the figure, returning the bytes and the layouts' warnings.
    private func encoded(_ format: ImageFormat) throws -> (data: Data, warnings: [String]) {
        let surface: CairoSurface
        switch format {
        case .png:
            let (width, height) = pixelSize
            surface = try CairoSurface.image(width: width, height: height)
        case .svg: surface = try CairoSurface.svg(size: pointSize)
        case .pdf: surface = try CairoSurface.pdf(size: pointSize)
        }
        let scale = format == .png ? Double(pixelSize.width) / pointSize.width : 1
        let canvas = try CairoCanvas(surface: surface, size: pointSize, scale: scale, pixelsPerPoint: dpi / 72)
        let layouts = FigureRenderer(figure: self).render(on: canvas)
        try canvas.checkStatus("drawing the figure")
        let warnings = layouts.enumerated().flatMap { labelled($1.warnings, subplot: $0) }
        let bytes = format == .png ? try surface.pngBytes(dpi: dpi) : try surface.finishDocument()
        return (Data(bytes), warnings)
    }
}
