/// A canvas that keeps every drawing call, for tests: layout and drawing without Cairo.
///
/// Text is measured with fixed metrics (0.6 em per character, ink 0.73 em above the baseline and 0.24 em
/// below it for characters with descenders), so recorded positions do not depend on installed fonts.
///
/// ```swift
/// let canvas = RecordingCanvas(size: Size(width: 576, height: 432))
/// fig.draw(on: canvas)
/// let strokes = canvas.commands.filter { if case .stroke = $0 { true } else { false } }
/// ```
public final class RecordingCanvas: Canvas {
    public enum Command: Hashable {
        case stroke(Path, StrokeStyle)
        case fill(Path, Color)
        case text(String, origin: Point, font: Font, color: Color, angle: Double)
        case image(RasterImage, Rect)
        case pushClip(Rect)
        case popClip
    }

    public let size: Size
    public let pixelsPerPoint: Double
    public private(set) var commands: [Command] = []

    public init(size: Size, pixelsPerPoint: Double = 1) {
        self.size = size
        self.pixelsPerPoint = pixelsPerPoint
    }

    public func measure(_ text: String, font: Font) -> TextExtent {
        let descends = text.contains { "gjpqy(),;[]{}|".contains($0) }
        return TextExtent(width: 0.6 * font.size * Double(text.count), ascent: 0.73 * font.size,
                          descent: descends ? 0.24 * font.size : 0)
    }

    public func stroke(_ path: Path, style: StrokeStyle) { commands.append(.stroke(path, style)) }
    public func fill(_ path: Path, color: Color, snap: Bool) { commands.append(.fill(path, color)) }
    public func drawText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) {
        commands.append(.text(text, origin: origin, font: font, color: color, angle: angle))
    }
    public func drawImage(_ image: RasterImage, in rect: Rect) { commands.append(.image(image, rect)) }
    public func pushClip(_ rect: Rect) { commands.append(.pushClip(rect)) }
    public func popClip() { commands.append(.popClip) }

    /// The strokes drawn, in order.
    public var strokes: [(path: Path, style: StrokeStyle)] {
        commands.compactMap { if case .stroke(let p, let s) = $0 { return (p, s) } else { return nil } }
    }

    /// The fills drawn, in order.
    public var fills: [(path: Path, color: Color)] {
        commands.compactMap { if case .fill(let p, let c) = $0 { return (p, c) } else { return nil } }
    }

    /// The images drawn, in order, with the rectangles they fill.
    public var images: [(image: RasterImage, rect: Rect)] {
        commands.compactMap { if case .image(let i, let r) = $0 { return (i, r) } else { return nil } }
    }

    /// The texts drawn, in order.
    public var texts: [(text: String, origin: Point, font: Font)] {
        commands.compactMap { if case .text(let t, let o, let f, _, _) = $0 { return (t, o, f) } else { return nil } }
    }
}
