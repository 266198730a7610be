/// A small picture of `width`×`height` colours, row 0 at the top, that a ``Canvas`` stretches over a
/// rectangle without smoothing (each colour a sharp-edged block), as matplotlib draws a heatmap enlarged.
///
/// ```swift
/// let image = RasterImage(width: 2, height: 1, pixels: [.white, .black])
/// canvas.drawImage(image, in: Rect(x: 10, y: 10, width: 100, height: 50))
/// ```
public struct RasterImage: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major, top row first.
    public let pixels: [Color]

    public init(width: Int, height: Int, pixels: [Color]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height,
                     "RasterImage: \(pixels.count) pixels for a \(width)×\(height) image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Pixel (`column`, `row`), row 0 at the top.
    public subscript(column: Int, row: Int) -> Color { pixels[row * width + column] }
}
