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
    /// `ascending` is ``ascends(_:)`` of `x`, for callers that thin several curves against one x.
    init(x: [Double]?, y: [Double], xAxis: AxisLayout, yAxis: AxisLayout, frame: Rect, pixelsPerPoint: Double,
         ascending: Bool? = nil) {
        var reducer = ColumnReducer(xAxis: xAxis, yAxis: yAxis, x: x, y: y)
        let logX = xAxis.scale == .log, logY = yAxis.scale == .log
        let firstColumn = Int((frame.minX * pixelsPerPoint).rounded(.down)) - 1
        let lastColumn = Int((frame.maxX * pixelsPerPoint).rounded(.up)) + 1
        let low = Double(firstColumn), high = Double(lastColumn)
        var seenInfinities = Set<Int>()

        // With x ascending (or the index), each column's points are one run of indices: its end is found
        // by a search, its extremes by one tight loop over y.
        let ascending = ascending ?? x.map(ThinnedLine.ascends) ?? true
        y.withUnsafeBufferPointer { ys in
            var i = 0, slowUntil = 0
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
                let column = ThinnedLine.column(ofPixel: xAxis.position(xv) * pixelsPerPoint, bounds: (low, high))
                if ascending && i >= slowUntil {
                    let end = ThinnedLine.columnEnd(after: i, count: ys.count, column: column) { j in
                        ThinnedLine.column(ofPixel: xAxis.position(x?[j] ?? Double(j)) * pixelsPerPoint, bounds: (low, high))
                    }
                    // x ascends from a drawable value, so the run's x values are drawable when its last one is finite.
                    if (x?[end - 1] ?? 0).isFinite, let run = ThinnedLine.extremes(ys, from: i, to: end, positiveOnly: logY) {
                        reducer.addRun(first: i, last: end - 1, low: run.low, lowValue: ys[run.low],
                                       high: run.high, highValue: ys[run.high], column: column)
                        i = end
                        continue
                    }
                    slowUntil = end
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

    /// Whether every value is at most the next (so none is NaN), compared four pairs at a time.
    static func ascends(_ values: [Double]) -> Bool {
        values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return true }
            var ascending = SIMDMask<SIMD4<Int64>>(repeating: true)
            var i = 0
            while i + 5 <= v.count {
                let here = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Double>.self)
                let next = UnsafeRawPointer(base + i + 1).loadUnaligned(as: SIMD4<Double>.self)
                ascending = ascending .& (here .<= next)
                i += 4
            }
            while i + 1 < v.count {
                if !(v[i] <= v[i + 1]) { return false }
                i += 1
            }
            return all(ascending)
        }
    }

    /// The index after the last one in `column` of the run from `i` (in it), given `columnOf` for every index
    /// up to `count`, which is monotonic: doubling the step until past the column, then halving it.
    @inline(__always)
    private static func columnEnd(after i: Int, count: Int, column: Int, _ columnOf: (Int) -> Int) -> Int {
        // Indices below `inside` are in the column; `outside` is not (or is `count`).
        var inside = i + 1, step = 1
        var outside = i + 1
        while outside < count && columnOf(outside) == column {
            inside = outside + 1
            step *= 2
            outside = i + step
        }
        outside = min(outside, count)
        while inside < outside {
            let middle = (inside + outside) / 2
            if columnOf(middle) == column { inside = middle + 1 } else { outside = middle }
        }
        return inside
    }

    /// Indices of the lowest and highest of `ys[from..<to]` (the first of equal ones), or nil if any is not drawable.
    @inline(__always)
    private static func extremes(_ ys: UnsafeBufferPointer<Double>, from: Int, to: Int,
                                 positiveOnly: Bool) -> (low: Int, high: Int)? {
        let range = DrawableRange(ys, from: from, to: to, floor: positiveOnly ? 0 : -.infinity)
        guard range.excluded == 0 else { return nil }
        var low = from, high = from
        while ys[low] != range.low { low += 1 }
        while ys[high] != range.high { high += 1 }
        return (low, high)
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
