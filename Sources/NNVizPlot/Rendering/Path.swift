/// A sequence of sub-paths in canvas points, what a ``Canvas`` strokes or fills.
///
/// ```swift
/// var path = Path()
/// path.move(to: Point(x: 0, y: 0))
/// path.line(to: Point(x: 10, y: 5))
/// ```
public struct Path: Hashable, Sendable {
    public enum Element: Hashable, Sendable {
        case move(Point)
        case line(Point)
        /// A circular arc from `start` to `end` radians, clockwise on screen (y grows downwards).
        case arc(center: Point, radius: Double, start: Double, end: Double)
        case close
    }

    public private(set) var elements: [Element] = []

    public init() {}

    public var isEmpty: Bool { elements.isEmpty }

    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func close() { elements.append(.close) }

    public mutating func addArc(center: Point, radius: Double, start: Double, end: Double) {
        elements.append(.arc(center: center, radius: radius, start: start, end: end))
    }

    public mutating func addCircle(center: Point, radius: Double) {
        move(to: Point(x: center.x + radius, y: center.y))
        addArc(center: center, radius: radius, start: 0, end: 2 * .pi)
        close()
    }

    public mutating func addRect(_ r: Rect) {
        addPolygon([Point(x: r.minX, y: r.minY), Point(x: r.maxX, y: r.minY),
                    Point(x: r.maxX, y: r.maxY), Point(x: r.minX, y: r.maxY)])
    }

    /// A rectangle with corners rounded by `radius`.
    public mutating func addRoundedRect(_ r: Rect, radius: Double) {
        let k = min(radius, r.width / 2, r.height / 2)
        move(to: Point(x: r.minX + k, y: r.minY))
        addArc(center: Point(x: r.maxX - k, y: r.minY + k), radius: k, start: -.pi / 2, end: 0)
        addArc(center: Point(x: r.maxX - k, y: r.maxY - k), radius: k, start: 0, end: .pi / 2)
        addArc(center: Point(x: r.minX + k, y: r.maxY - k), radius: k, start: .pi / 2, end: .pi)
        addArc(center: Point(x: r.minX + k, y: r.minY + k), radius: k, start: .pi, end: 1.5 * .pi)
        close()
    }

    /// Adds one element.
    public mutating func append(_ element: Element) { elements.append(element) }

    /// Adds all of `other`'s elements.
    public mutating func append(_ other: Path) { elements.append(contentsOf: other.elements) }

    /// A closed polygon through `points`.
    public mutating func addPolygon(_ points: [Point]) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
        close()
    }

    /// An open polyline through `points`.
    public mutating func addPolyline(_ points: some Collection<Point>) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
    }

    /// The points the path moves or draws lines to, in order (arcs contribute their centres).
    public var vertices: [Point] {
        elements.compactMap {
            switch $0 {
            case .move(let p), .line(let p): return p
            case .arc(let c, _, _, _): return c
            case .close: return nil
            }
        }
    }

    /// The smallest rectangle holding the path (arcs count as their whole circle); nil when empty.
    public var bounds: Rect? {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        func add(_ p: Point, _ r: Double = 0) {
            minX = min(minX, p.x - r); maxX = max(maxX, p.x + r)
            minY = min(minY, p.y - r); maxY = max(maxY, p.y + r)
        }
        for element in elements {
            switch element {
            case .move(let p), .line(let p): add(p)
            case .arc(let c, let r, _, _): add(c, r)
            case .close: continue
            }
        }
        return minX <= maxX ? Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY) : nil
    }

    /// How many sub-paths (`move` elements) the path has.
    public var subpathCount: Int {
        elements.reduce(0) { count, element in
            if case .move = element { return count + 1 }
            return count
        }
    }
}
