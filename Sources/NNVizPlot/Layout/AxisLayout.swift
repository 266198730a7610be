import Foundation

/// One axis after layout: its view limits, where they fall on the canvas, and its ticks and labels.
struct AxisLayout {
    let scale: Scale
    /// View limits in data values; `lower` is drawn at `start`, `upper` at `end`.
    let lower: Double
    let upper: Double
    /// Canvas coordinates of the limits (x grows rightwards, y downwards, so y's `start` is the bottom).
    let start: Double
    let end: Double
    /// Visible major ticks and their labels (nil for an unlabelled tick).
    var majorTicks: [Double] = []
    var majorLabels: [StyledText?] = []
    var minorTicks: [Double] = []
    var minorLabels: [StyledText?] = []
    /// ScalarFormatter's offset or scale, e.g. `1e6`; empty when not used.
    var offsetText = ""

    private let slope: Double
    private let intercept: Double

    init(scale: Scale, lower: Double, upper: Double, start: Double, end: Double) {
        self.scale = scale
        self.lower = lower
        self.upper = upper
        self.start = start
        self.end = end
        let t0 = scale.forward(lower), t1 = scale.forward(upper)
        slope = t1 == t0 ? 0 : (end - start) / (t1 - t0)
        intercept = start - slope * t0
    }

    /// The canvas coordinate of a data value; NaN when the scale cannot show it.
    @inline(__always)
    func position(_ v: Double) -> Double { slope * scale.forward(v) + intercept }

    /// The canvas coordinate of a fraction of the axis (0 at `lower`, 1 at `upper`).
    func position(fraction f: Double) -> Double { start + f * (end - start) }
}

// MARK: - Ticks

extension AxisLayout {
    /// Fills in ticks and labels as matplotlib's default locators and formatters would.
    mutating func locateTicks(override: Axes.TickOverride?, bins: Int) {
        let lo = min(lower, upper), hi = max(lower, upper)
        if let override {
            var kept: [Double] = [], labels: [StyledText?] = []
            let visible = Set(TickLocator.visible(override.positions, lo, hi, scale: scale))
            let formatter = TickFormatter.Scalar(ticks: override.positions, lower: lo, upper: hi)
            for (i, p) in override.positions.enumerated() where visible.contains(p) {
                kept.append(p)
                labels.append(StyledText(override.labels?[i] ?? formatter.label(p)))
            }
            majorTicks = kept
            majorLabels = labels
            if override.labels == nil && scale == .linear { offsetText = formatter.offsetText }
            return
        }
        switch scale {
        case .linear:
            let all = TickLocator.linear(lo, hi, bins: bins)
            let formatter = TickFormatter.Scalar(ticks: all, lower: lo, upper: hi)
            majorTicks = TickLocator.visible(all, lo, hi, scale: .linear)
            majorLabels = majorTicks.map { StyledText(formatter.label($0)) }
            offsetText = formatter.offsetText
        case .log:
            let major = TickLocator.logMajor(lo, hi, maxTicks: bins).ticks
            majorTicks = TickLocator.visible(major, lo, hi, scale: .log)
            majorLabels = TickFormatter.logLabels(majorTicks, lower: lo, upper: hi)
            let majorSet = Set(majorTicks)
            minorTicks = TickLocator.visible(TickLocator.logMinor(lo, hi, maxTicks: bins, bins: bins), lo, hi, scale: .log)
                .filter { !majorSet.contains($0) }
            minorLabels = TickFormatter.logLabels(minorTicks, lower: lo, upper: hi)
        }
    }
}

// MARK: - Autoscaling

/// The finite extent of some data along one axis, and matplotlib's "sticky" edges (bar bottoms).
struct DataExtent {
    var lower = Double.infinity
    var upper = -Double.infinity
    var stickies: [Double] = []

    var isEmpty: Bool { lower > upper }

    @inline(__always)
    mutating func add(_ v: Double) {
        if v < lower { lower = v }
        if v > upper { upper = v }
    }

    /// matplotlib's autoscale: the data range widened by `margin` of itself on each side (in scale space),
    /// not past a sticky edge, with fixed bounds taking precedence. Empty data shows 0…1 (1…10 on log axes).
    func limits(scale: Scale, margin: Double, fixed: (lower: Double?, upper: Double?)) -> (Double, Double) {
        let lowerFixed = fixed.lower.flatMap { $0.isFinite && scale.accepts($0) ? $0 : nil }
        let upperFixed = fixed.upper.flatMap { $0.isFinite && scale.accepts($0) ? $0 : nil }
        if let l = lowerFixed, let u = upperFixed, l != u { return (l, u) }
        var (x0, x1) = autoscaled(scale: scale, margin: margin)
        if let l = lowerFixed { x0 = l }
        if let u = upperFixed { x1 = u }
        if x0 == x1 {
            switch scale {
            case .linear: (x0, x1) = TickLocator.nonsingular(x0, x1, expander: 0.05)
            case .log: (x0, x1) = (DataExtent.decadeBelow(x0), DataExtent.decadeAbove(x1))
            }
        }
        return DataExtent.spanLimited(x0, x1)
    }

    /// Limits whose difference is finite: ±1.8e308 data would otherwise make every position NaN.
    static func spanLimited(_ x0: Double, _ x1: Double) -> (Double, Double) {
        guard !(x1 - x0).isFinite else { return (x0, x1) }
        let half = Double.greatestFiniteMagnitude / 4
        return (min(max(x0, -half), half), min(max(x1, -half), half))
    }

    private func autoscaled(scale: Scale, margin: Double) -> (Double, Double) {
        guard !isEmpty else { return scale == .log ? (1, 10) : (0, 1) }
        var (x0, x1) = DataExtent.spanLimited(lower, upper)
        switch scale {
        case .linear:
            (x0, x1) = TickLocator.nonsingular(x0, x1, expander: 0.05)
        case .log:
            if x0 == x1 { (x0, x1) = (DataExtent.decadeBelow(x0), DataExtent.decadeAbove(x1)) }
        }
        let tolerance = 1e-5 * abs(x1 - x0)
        let lowBound = stickies.filter { $0 < x0 + tolerance }.max()
        let highBound = stickies.filter { $0 > x1 - tolerance }.min()
        let t0 = scale.forward(x0), t1 = scale.forward(x1)
        let delta = (t1 - t0) * margin
        x0 = scale.inverse(t0 - delta)
        x1 = scale.inverse(t1 + delta)
        if scale == .log {
            // Margins around data near the ends of Double's range must not reach 0 or ∞.
            x0 = max(x0, Double.leastNormalMagnitude)
            x1 = min(x1, Double.greatestFiniteMagnitude)
        }
        if let lowBound { x0 = max(x0, lowBound) }
        if let highBound { x1 = min(x1, highBound) }
        if scale == .linear { (x0, x1) = TickLocator.nonsingular(x0, x1) }
        return (x0, x1)
    }

    /// The largest power of ten below `x`.
    static func decadeBelow(_ x: Double) -> Double {
        let e = log10(x)
        return pow(10, e == e.rounded() ? e - 1 : e.rounded(.down))
    }

    /// The smallest power of ten above `x`.
    static func decadeAbove(_ x: Double) -> Double {
        let e = log10(x)
        return pow(10, e == e.rounded() ? e + 1 : e.rounded(.up))
    }
}
