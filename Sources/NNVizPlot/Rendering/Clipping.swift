/// Clips polylines to a rectangle in double precision, so no coordinate handed to Cairo is far outside the
/// canvas (Cairo's 24.8 fixed point silently drops lines beyond ±8,388,608 device pixels).
enum Clipping {
    /// The parts of `polyline` inside `rect`, as separate polylines (Liang–Barsky on each segment).
    static func clip(_ polyline: [Point], to rect: Rect) -> [[Point]] {
        guard !polyline.isEmpty else { return [] }
        if polyline.count == 1 { return rect.contains(polyline[0]) ? [polyline] : [] }
        var result: [[Point]] = []
        var current: [Point] = []
        for i in 1..<polyline.count {
            let a = polyline[i - 1], b = polyline[i]
            guard let (p, q) = clipSegment(a, b, to: rect) else {
                if !current.isEmpty { result.append(current); current = [] }
                continue
            }
            if current.isEmpty {
                current = [p, q]
            } else if current[current.count - 1] == p {
                current.append(q)
            } else {
                result.append(current)
                current = [p, q]
            }
            if q != b {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// The part of segment `a`–`b` inside `rect`, or nil when none is.
    ///
    /// A clipped end is put exactly on the edge it was cut at and interpolated from the nearer endpoint, so
    /// segments to points 1e300 away still land where they cross the box.
    static func clipSegment(_ a: Point, _ b: Point, to rect: Rect) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        var edge0 = -1, edge1 = -1
        let tests = [(-dx, a.x - rect.minX), (dx, rect.maxX - a.x), (-dy, a.y - rect.minY), (dy, rect.maxY - a.y)]
        for (edge, (p, q)) in tests.enumerated() {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return nil }
                    if r > t0 { t0 = r; edge0 = edge }
                } else {
                    if r < t0 { return nil }
                    if r < t1 { t1 = r; edge1 = edge }
                }
            }
        }
        func point(at t: Double, edge: Int) -> Point {
            var p = t < 0.5 ? Point(x: a.x + t * dx, y: a.y + t * dy) : Point(x: b.x - (1 - t) * dx, y: b.y - (1 - t) * dy)
            switch edge {
            case 0: p.x = rect.minX
            case 1: p.x = rect.maxX
            case 2: p.y = rect.minY
            default: p.y = rect.maxY
            }
            return p
        }
        let start = edge0 < 0 ? a : point(at: t0, edge: edge0)
        let end = edge1 < 0 ? b : point(at: t1, edge: edge1)
        return (start, end)
    }
}
