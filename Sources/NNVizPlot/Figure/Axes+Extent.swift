// MARK: - Data extents and data warnings

extension Axes {
    /// The finite extents of everything drawn, over the points each scale can show, and the problems with the
    /// data that the chart works around (values a log axis cannot show, no data at all). Each series array is
    /// read once, however many series share it (curves of one log share its x).
    func scanData() -> (extents: (x: DataExtent, y: DataExtent), warnings: [String]) {
        var ranges = DrawableRange.Memo()
        let extents = dataExtents(&ranges)
        return (extents, dataWarnings(extents: extents, &ranges))
    }

    private func dataExtents(_ ranges: inout DrawableRange.Memo) -> (x: DataExtent, y: DataExtent) {
        var x = DataExtent(), y = DataExtent()
        for element in elements {
            switch element {
            case .line(let s):
                addPoints(x: s.x, y: s.y, to: &x, &y, &ranges)
            case .scatter(let s):
                addPoints(x: s.x, y: s.y, to: &x, &y, &ranges)
            case .bars(let s):
                for i in s.heights.indices {
                    let bottom = s.bottom?[i] ?? 0
                    let left = s.x[i] - s.width / 2, right = s.x[i] + s.width / 2, top = bottom + s.heights[i]
                    guard left.isFinite, right.isFinite, bottom.isFinite, top.isFinite else { continue }
                    for v in [left, right] where xscale.accepts(v) { x.add(v) }
                    for v in [bottom, top] where yscale.accepts(v) { y.add(v) }
                    y.stickies.append(bottom)
                }
            case .band(let s):
                addPoints(x: s.x, y: s.lower, to: &x, &y, &ranges)
                addPoints(x: s.x, y: s.upper, to: &x, &y, &ranges)
            case .reference(let r):
                guard r.value.isFinite else { continue }
                switch r.orientation {
                case .horizontal: if yscale.accepts(r.value) { y.add(r.value) }
                case .vertical: if xscale.accepts(r.value) { x.add(r.value) }
                }
            case .text:
                continue
            case .heatmap(let h):
                for edge in [h.xEdges.first!, h.xEdges.last!] where edge.isFinite && xscale.accepts(edge) { x.add(edge) }
                for edge in [-0.5, Double(h.rows) - 0.5] where yscale.accepts(edge) { y.add(edge) }
            }
        }
        return (x, y)
    }

    private func addPoints(x xs: [Double]?, y ys: [Double], to x: inout DataExtent, _ y: inout DataExtent,
                           _ ranges: inout DrawableRange.Memo) {
        // A value is drawable above its scale's floor and below +∞ (NaN is neither).
        let xFloor = xscale == .log ? 0 : -Double.infinity, yFloor = yscale == .log ? 0 : -Double.infinity
        guard let xs else {
            // x is the index (0 is not drawable on a log axis): only the first and last drawable indices matter.
            let first = xscale == .log ? 1 : 0
            ys.withUnsafeBufferPointer { values in
                let range = ranges.range(of: values, from: first, floor: yFloor)
                if range.excluded == 0 {
                    guard !range.isEmpty else { return }
                    y.add(range.low); y.add(range.high)
                    x.add(Double(first)); x.add(Double(values.count - 1))
                    return
                }
                var firstIndex = -1, lastIndex = -1
                for i in first..<max(first, values.count) where values[i] > yFloor && values[i] < .infinity {
                    if firstIndex < 0 { firstIndex = i }
                    lastIndex = i
                    y.add(values[i])
                }
                if firstIndex >= 0 { x.add(Double(firstIndex)); x.add(Double(lastIndex)) }
            }
            return
        }
        xs.withUnsafeBufferPointer { xValues in
            ys.withUnsafeBufferPointer { yValues in
                let count = min(xValues.count, yValues.count)
                let xRange = ranges.range(of: UnsafeBufferPointer(rebasing: xValues[..<count]), floor: xFloor)
                let yRange = ranges.range(of: UnsafeBufferPointer(rebasing: yValues[..<count]), floor: yFloor)
                if xRange.excluded == 0 && yRange.excluded == 0 {
                    guard count > 0 else { return }
                    x.add(xRange.low); x.add(xRange.high)
                    y.add(yRange.low); y.add(yRange.high)
                    return
                }
                // Some points are not drawable: only those whose x and y both are count.
                for i in 0..<count {
                    let xv = xValues[i], yv = yValues[i]
                    guard xv > xFloor && xv < .infinity && yv > yFloor && yv < .infinity else { continue }
                    x.add(xv)
                    y.add(yv)
                }
            }
        }
    }

    private func dataWarnings(extents: (x: DataExtent, y: DataExtent), _ ranges: inout DrawableRange.Memo) -> [String] {
        var warnings: [String] = []
        for element in elements {
            let name = element.label.map { "'\($0)'" } ?? "a series"
            var xs: [Double]? = nil, ys: [[Double]] = []
            switch element {
            case .line(let s): xs = s.x; ys = [s.y]
            case .scatter(let s): xs = s.x; ys = [s.y]
            case .band(let s): xs = s.x; ys = [s.lower, s.upper]
            case .bars(let s): xs = s.x; ys = [s.heights]
            case .reference(let r):
                let scale = r.orientation == .horizontal ? yscale : xscale
                if !scale.accepts(r.value) {
                    warnings.append("reference line at \(r.value) cannot be shown on a log axis; dropped")
                }
                continue
            case .text: continue
            case .heatmap(let h):
                if h.norm.scale == .log {
                    let masked = h.values.lazy.filter { $0.isFinite && $0 <= 0 }.count
                    if masked > 0 {
                        warnings.append("heatmap: \(masked) value(s) ≤ 0 cannot be shown on the log colour scale; "
                            + "drawn blank")
                    }
                }
                continue
            }
            if yscale == .log {
                let dropped = ys.reduce(0) { $0 + Self.countNotPositive($1, &ranges) }
                if dropped > 0 { warnings.append("\(name): \(dropped) value(s) ≤ 0 dropped from the log y axis") }
            }
            if xscale == .log, let xs {
                let dropped = Self.countNotPositive(xs, &ranges)
                if dropped > 0 { warnings.append("\(name): \(dropped) x value(s) ≤ 0 dropped from the log x axis") }
            }
        }
        if !elements.isEmpty && extents.x.isEmpty && extents.y.isEmpty { warnings.append("no finite data to plot") }
        return warnings
    }

    /// How many of `values` are ≤ 0 (what a log axis drops); none when every value is drawable on a log axis.
    private static func countNotPositive(_ values: [Double], _ ranges: inout DrawableRange.Memo) -> Int {
        values.withUnsafeBufferPointer { v in
            guard ranges.range(of: v, floor: 0).excluded > 0 else { return 0 }
            return v.reduce(0) { $0 + ($1 <= 0 ? 1 : 0) }
        }
    }
}
