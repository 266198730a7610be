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
    /// data exactly while bounding the work Cairo does by the width of the axes. The scales are monotonic, so
    /// the minimum and maximum are found on the raw values and only kept points are transformed.
    init(x: [Double]?, y: [Double], xAxis: AxisLayout, yAxis: AxisLayout, frame: Rect, pixelsPerPoint: Double) {
        var reducer = ColumnReducer(xAxis: xAxis, yAxis: yAxis, x: x, y: y)
        let logX = xAxis.scale == .log, logY = yAxis.scale == .log
        let firstColumn = Int((frame.minX * pixelsPerPoint).rounded(.down)) - 1
        let lastColumn = Int((frame.maxX * pixelsPerPoint).rounded(.up)) + 1
        let low = Double(firstColumn), high = Double(lastColumn)
        var seenInfinities = Set<Int>()

        y.withUnsafeBufferPointer { ys in
            var i = 0, slowUntil = 0
            let indexedLinear = x == nil && !logX
            while i < ys.count {
                let xv = x?[i] ?? Double(i)
                let yv = ys[i]
                guard yv.isFinite, xv.isFinite, !(logY && yv <= 0), !(logX && xv <= 0) else {
                    reducer.endPolyline()
                    if yv.isInfinite || xv.isInfinite,
                       let mark = ThinnedLine.infinityMark(xv, yv, xAxis: xAxis, yAxis: yAxis, frame: frame) {
                        let along = mark.direction == .top || mark.direction == .bottom ? mark.point.x : mark.point.y
                        let key = Int((along * pixelsPerPoint).rounded(.down)) * 4 + mark.direction.rawValue
                        if seenInfinities.insert(key).inserted { infinities.append(mark) }
                    }
                    i += 1
                    continue
                }
                let px = xAxis.position(xv) * pixelsPerPoint
                let column = ThinnedLine.column(ofPixel: px, bounds: (low, high))
                // With x the index on a linear axis, the rest of this column is a contiguous run of indices:
                // scan it for its extremes in one tight loop, unless some value in it is not drawable.
                if indexedLinear && i >= slowUntil,
                   let end = ThinnedLine.columnEnd(after: i, column: column, count: ys.count, xAxis: xAxis,
                                                   pixelsPerPoint: pixelsPerPoint, bounds: (low, high)) {
                    if let run = ThinnedLine.extremes(ys, from: i, to: end, positiveOnly: logY) {
                        reducer.addRun(first: i, last: end - 1, low: run.low, lowValue: ys[run.low],
                                       high: run.high, highValue: ys[run.high], column: column)
                        i = end
                        continue
                    }
                    slowUntil = end
                }
                // With x given, scan the points that follow in this column for their extremes in one tight loop.
                if let x, let run = ThinnedLine.columnRun(x: x, y: ys, from: i, column: column, xAxis: xAxis,
                                                          pixelsPerPoint: pixelsPerPoint, bounds: (low, high),
                                                          positiveOnly: logY) {
                    reducer.addRun(first: i, last: run.end - 1, low: run.low, lowValue: ys[run.low],
                                   high: run.high, highValue: ys[run.high], column: column)
                    i = run.end
                    continue
                }
                reducer.add(i, value: yv, column: column)
                i += 1
            }
        }
        reducer.endPolyline()
        polylines = reducer.polylines
    }

    /// The device-pixel column of the pixel coordinate `px`; everything left of `bounds.low` is in that column,
    /// everything right of `bounds.high` in that one.
    @inline(__always)
    private static func column(ofPixel px: Double, bounds: (low: Double, high: Double)) -> Int {
        if px < bounds.low { return Int(bounds.low) }
        if px > bounds.high { return Int(bounds.high) }
        // The floor, without a call to libm's: truncate, then one less for a negative fraction.
        let truncated = Int(px)
        return Double(truncated) > px ? truncated - 1 : truncated
    }

    /// The index after the last one in `column`, for x equal to the index on an increasing linear axis;
    /// nil when the axis runs the other way.
    private static func columnEnd(after i: Int, column: Int, count: Int, xAxis: AxisLayout, pixelsPerPoint: Double,
                                  bounds: (low: Double, high: Double)) -> Int? {
        let slope = (xAxis.position(1) - xAxis.position(0)) * pixelsPerPoint
        guard slope > 0 else { return nil }
        func columnOf(_ j: Int) -> Int {
            let px = xAxis.position(Double(j)) * pixelsPerPoint
            return ThinnedLine.column(ofPixel: px, bounds: bounds)
        }
        let origin = xAxis.position(0) * pixelsPerPoint
        let boundary = Double(column + 1)
        var estimate = boundary >= bounds.high ? Double(count) : ((boundary - origin) / slope).rounded(.up)
        if !estimate.isFinite { estimate = Double(count) }
        var end = Int(min(max(estimate, Double(i + 1)), Double(count)))
        while end > i + 1 && columnOf(end - 1) != column { end -= 1 }
        while end < count && columnOf(end) == column { end += 1 }
        return end
    }

    /// The run of points from `from` (drawable, in `column`) on that are drawable and in `column` too: where
    /// it ends and the indices of its lowest and highest y; nil for a log x axis, whose logarithms the run
    /// would take once more than the per-point path does.
    @inline(__always)
    private static func columnRun(x: [Double], y ys: UnsafeBufferPointer<Double>, from: Int, column: Int,
                                  xAxis: AxisLayout, pixelsPerPoint: Double, bounds: (low: Double, high: Double),
                                  positiveOnly: Bool) -> (end: Int, low: Int, high: Int)? {
        guard xAxis.scale == .linear else { return nil }
        return x.withUnsafeBufferPointer { xs in
            var low = from, high = from
            var lowValue = ys[from], highValue = ys[from]
            var j = from + 1
            while j < ys.count {
                let xv = xs[j], v = ys[j]
                guard xv.isFinite, v.isFinite, !(positiveOnly && v <= 0) else { break }
                let px = xAxis.position(scaled: xv) * pixelsPerPoint
                guard ThinnedLine.column(ofPixel: px, bounds: bounds) == column else { break }
                if v < lowValue { lowValue = v; low = j }
                if v > highValue { highValue = v; high = j }
                j += 1
            }
            return (j, low, high)
        }
    }

    /// Indices of the lowest and highest of `ys[from..<to]`, or nil if any is not drawable.
    @inline(__always)
    private static func extremes(_ ys: UnsafeBufferPointer<Double>, from: Int, to: Int,
                                 positiveOnly: Bool) -> (low: Int, high: Int)? {
        var low = from, high = from
        var lowValue = ys[from], highValue = ys[from]
        var allFinite = true
        for j in from..<to {
            let v = ys[j]
            allFinite = allFinite && v.isFinite && (!positiveOnly || v > 0)
            if v < lowValue { lowValue = v; low = j }
            if v > highValue { highValue = v; high = j }
        }
        return allFinite ? (low, high) : nil
    }

    /// The number of points left after thinning.
    var pointCount: Int { polylines.reduce(0) { $0 + $1.count } }

    /// The edge point for a value at ±∞ in one coordinate and finite in the other; nil otherwise.
    private static func infinityMark(_ xv: Double, _ yv: Double, xAxis: AxisLayout, yAxis: AxisLayout,
                                     frame: Rect) -> (point: Point, direction: Edge)? {
        let far = Double.greatestFiniteMagnitude
        let mark: (point: Point, direction: Edge)
        if yv.isInfinite && xv.isFinite && xAxis.scale.accepts(xv) {
            let edge: Edge = yAxis.position(yv < 0 ? -far : far) < frame.midY ? .top : .bottom
            mark = (Point(x: xAxis.position(xv), y: edge == .top ? frame.minY : frame.maxY), edge)
        } else if xv.isInfinite && yv.isFinite && yAxis.scale.accepts(yv) {
            let edge: Edge = xAxis.position(xv < 0 ? -far : far) < frame.midX ? .left : .right
            mark = (Point(x: edge == .left ? frame.minX : frame.maxX, y: yAxis.position(yv)), edge)
        } else {
            return nil
        }
        return frame.contains(mark.point) ? mark : nil
    }
}

/// The running state of per-column thinning: the current column's first, lowest, highest and last points.
private struct ColumnReducer {
    let xAxis: AxisLayout
    let yAxis: AxisLayout
    let x: [Double]?
    let y: [Double]
    var polylines: [[Point]] = []
    private var current: [Point] = []
    private var column = Int.min
    private var first = 0, low = 0, high = 0, last = 0
    private var lowValue = 0.0, highValue = 0.0

    init(xAxis: AxisLayout, yAxis: AxisLayout, x: [Double]?, y: [Double]) {
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.x = x
        self.y = y
    }

    @inline(__always)
    mutating func add(_ i: Int, value: Double, column c: Int) {
        if c == column {
            last = i
            if value < lowValue { lowValue = value; low = i }
            if value > highValue { highValue = value; high = i }
        } else {
            flushColumn()
            column = c
            first = i; low = i; high = i; last = i
            lowValue = value; highValue = value
        }
    }

    /// Adds the indices `first…last`, all in `column`, whose extremes are already known.
    mutating func addRun(first runFirst: Int, last runLast: Int, low runLow: Int, lowValue runLowValue: Double,
                         high runHigh: Int, highValue runHighValue: Double, column c: Int) {
        if c != column {
            flushColumn()
            column = c
            first = runFirst
            low = runLow; high = runHigh
            lowValue = runLowValue; highValue = runHighValue
        } else {
            if runLowValue < lowValue { lowValue = runLowValue; low = runLow }
            if runHighValue > highValue { highValue = runHighValue; high = runHigh }
        }
        last = runLast
    }

    private func point(_ i: Int) -> Point {
        Point(x: xAxis.position(x?[i] ?? Double(i)), y: yAxis.position(y[i]))
    }

    private mutating func flushColumn() {
        guard column != Int.min else { return }
        current.append(point(first))
        let (a, b) = low < high ? (low, high) : (high, low)
        if a != first && a != last { current.append(point(a)) }
        if b != first && b != last && b != a { current.append(point(b)) }
        if last != first { current.append(point(last)) }
        column = Int.min
    }

    mutating func endPolyline() {
        flushColumn()
        if !current.isEmpty { polylines.append(current) }
        current.removeAll(keepingCapacity: true)
    }
}
