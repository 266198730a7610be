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
    static func clipSegment(_ a: Point, _ b: Point, to rect: Rect) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - rect.minX), (dx, rect.maxX - a.x), (-dy, a.y - rect.minY), (dy, rect.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return nil }
                    if r > t0 { t0 = r }
                } else {
                    if r < t0 { return nil }
                    if r < t1 { t1 = r }
                }
            }
        }
        let start = t0 == 0 ? a : Point(x: a.x + t0 * dx, y: a.y + t0 * dy)
        let end = t1 == 1 ? b : Point(x: a.x + t1 * dx, y: a.y + t1 * dy)
        return (start, end)
    }
}
