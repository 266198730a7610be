/// A symbol drawn at each data point, matplotlib's marker shapes.
///
/// ```swift
/// ax.plot(accuracy, marker: .circle)
/// ax.scatter(xs, ys, marker: .triangleUp)
/// ```
public enum Marker: String, Hashable, Sendable, CaseIterable {
    /// `"o"`
    case circle
    /// `"."`, a small filled circle.
    case point
    /// `"s"`
    case square
    /// `"D"`
    case diamond
    /// `"^"`
    case triangleUp
    /// `"v"`
    case triangleDown
    /// `"+"`, stroked.
    case plus
    /// `"x"`, stroked.
    case cross

    /// matplotlib's one-character code (`"o"`, `"."`, `"s"`, `"D"`, `"^"`, `"v"`, `"+"`, `"x"`); nil for others.
    public init?(matplotlib code: String) {
        switch code {
        case "o": self = .circle
        case ".": self = .point
        case "s": self = .square
        case "D", "d": self = .diamond
        case "^": self = .triangleUp
        case "v": self = .triangleDown
        case "+": self = .plus
        case "x": self = .cross
        default: return nil
        }
    }

    /// Whether the shape is only an outline of strokes (no area to fill).
    var isStrokedOnly: Bool { self == .plus || self == .cross }

    /// The marker outline centred on `c` for a marker `size` points across (matplotlib's markersize).
    func path(at c: Point, size: Double) -> Path {
        let r = size / 2
        var path = Path()
        switch self {
        case .circle:
            path.addCircle(center: c, radius: r)
        case .point:
            path.addCircle(center: c, radius: r / 2)
        case .square:
            path.addRect(Rect(x: c.x - r, y: c.y - r, width: size, height: size))
        case .diamond:
            let d = r * 2.0.squareRoot()
            path.addPolygon([Point(x: c.x, y: c.y - d), Point(x: c.x + d, y: c.y),
                             Point(x: c.x, y: c.y + d), Point(x: c.x - d, y: c.y)])
        case .triangleUp, .triangleDown:
            let s: Double = self == .triangleUp ? 1 : -1
            path.addPolygon([Point(x: c.x, y: c.y - s * r), Point(x: c.x - r, y: c.y + s * r),
                             Point(x: c.x + r, y: c.y + s * r)])
        case .plus:
            path.move(to: Point(x: c.x - r, y: c.y)); path.line(to: Point(x: c.x + r, y: c.y))
            path.move(to: Point(x: c.x, y: c.y - r)); path.line(to: Point(x: c.x, y: c.y + r))
        case .cross:
            path.move(to: Point(x: c.x - r, y: c.y - r)); path.line(to: Point(x: c.x + r, y: c.y + r))
            path.move(to: Point(x: c.x - r, y: c.y + r)); path.line(to: Point(x: c.x + r, y: c.y - r))
        }
        return path
    }
}
