import Foundation

/// A series turned into canvas polylines: broken at non-finite values, thinned per device-pixel column.
struct ThinnedLine {
    /// Sub-paths in canvas points; a gap in the data starts a new one.
    var polylines: [[Point]] = []
    /// Where the data went to ±∞: points on the frame's edge, and the direction the infinity lies in.
    var infinities: [(point: Point, direction: Edge)] = []

    enum Edge: Int { case top, bottom, left, right }

    /// Converts (`x`, `y`) (x defaulting to the index) to canvas polylines.
    ///
    /// Consecutive points that land in the same device-pixel column (`pixelsPerPoint` pixels per point) are
    /// reduced to the first, the minimum, the maximum and the last of them, in their original order; columns
    /// beyond the frame's left and right edges are merged into one each. This keeps the drawn envelope of the
    /// data exactly while bounding the work Cairo does by the width of the axes.
    init(x: [Double]?, y: [Double], xAxis: AxisLayout, yAxis: AxisLayout, frame: Rect, pixelsPerPoint: Double) {
        let count = y.count
        let logX = xAxis.scale == .log, logY = yAxis.scale == .log
        let firstColumn = Int((frame.minX * pixelsPerPoint).rounded(.down)) - 1
        let lastColumn = Int((frame.maxX * pixelsPerPoint).rounded(.up)) + 1
        var current: [Point] = []
        var column = Int.min
        var first = 0, low = 0, high = 0, last = 0
        var lowValue = 0.0, highValue = 0.0
        var seenInfinities = Set<Int>()

        func point(_ i: Int) -> Point {
            Point(x: xAxis.position(x?[i] ?? Double(i)), y: yAxis.position(y[i]))
        }
        func flushColumn() {
            guard column != Int.min else { return }
            current.append(point(first))
            let (a, b) = low < high ? (low, high) : (high, low)
            if a != first && a != last { current.append(point(a)) }
            if b != first && b != last && b != a { current.append(point(b)) }
            if last != first { current.append(point(last)) }
            column = Int.min
        }
        func endPolyline() {
            flushColumn()
            if !current.isEmpty { polylines.append(current) }
            current.removeAll(keepingCapacity: true)
        }
        func markInfinity(_ xv: Double, _ yv: Double) {
            let edge: Edge, p: Point
            if yv.isInfinite && xv.isFinite && xAxis.scale.accepts(xv) {
                let toward = yAxis.position(yv < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude)
                edge = toward < frame.midY ? .top : .bottom
                p = Point(x: xAxis.position(xv), y: edge == .top ? frame.minY : frame.maxY)
            } else if xv.isInfinite && yv.isFinite && yAxis.scale.accepts(yv) {
                let toward = xAxis.position(xv < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude)
                edge = toward < frame.midX ? .left : .right
                p = Point(x: edge == .left ? frame.minX : frame.maxX, y: yAxis.position(yv))
            } else {
                return
            }
            guard frame.contains(p) else { return }
            let along = edge == .top || edge == .bottom ? p.x : p.y
            let key = Int((along * pixelsPerPoint).rounded(.down)) * 4 + edge.rawValue
            if seenInfinities.insert(key).inserted { infinities.append((p, edge)) }
        }

        for i in 0..<count {
            let yv = y[i]
            let xv = x?[i] ?? Double(i)
            guard yv.isFinite, xv.isFinite, !(logY && yv <= 0), !(logX && xv <= 0) else {
                endPolyline()
                if yv.isInfinite || xv.isInfinite { markInfinity(xv, yv) }
                continue
            }
            let px = xAxis.position(xv) * pixelsPerPoint
            let c = px < Double(firstColumn) ? firstColumn : px > Double(lastColumn) ? lastColumn : Int(px.rounded(.down))
            if c != column {
                flushColumn()
                column = c
                first = i; low = i; high = i; last = i
                lowValue = yv; highValue = yv
            } else {
                last = i
                if yv < lowValue { lowValue = yv; low = i }
                if yv > highValue { highValue = yv; high = i }
            }
        }
        endPolyline()
    }

    /// The number of points left after thinning.
    var pointCount: Int { polylines.reduce(0) { $0 + $1.count } }
}
