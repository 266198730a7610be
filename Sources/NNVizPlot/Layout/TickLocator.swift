import Foundation

/// Tick positions chosen as matplotlib chooses them: `MaxNLocator` with steps 1, 2, 2.5, 5, 10 for linear
/// axes and `LogLocator` (decades, minor ticks at 2…9) for log axes.
enum TickLocator {
    /// matplotlib's `nonsingular`: widens empty or infinite ranges so they can be divided.
    static func nonsingular(_ v0: Double, _ v1: Double, expander: Double = 0.001,
                            tiny: Double = 1e-15) -> (Double, Double) {
        guard v0.isFinite, v1.isFinite else { return (-expander, expander) }
        var vmin = min(v0, v1), vmax = max(v0, v1)
        let maxAbs = max(abs(vmin), abs(vmax))
        if maxAbs < (1e6 / tiny) * Double.leastNormalMagnitude {
            vmin = -expander
            vmax = expander
        } else if vmax - vmin <= maxAbs * tiny {
            if vmax == 0 && vmin == 0 {
                vmin = -expander
                vmax = expander
            } else {
                vmin -= expander * abs(vmin)
                vmax += expander * abs(vmax)
            }
        }
        return (vmin, vmax)
    }

    /// How many intervals fit along an axis `length` points long (matplotlib's `get_tick_space`, capped at 9):
    /// three label heights apart on x, two on y.
    static func binCount(axisLength length: Double, fontSize: Double, vertical: Bool) -> Int {
        let space = Int((length / (fontSize * (vertical ? 2 : 3))).rounded(.down))
        return min(max(space, 1), 9)
    }

    // MARK: - Linear

    static let steps: [Double] = [1, 2, 2.5, 5, 10]

    /// `MaxNLocator.tick_values`: ticks covering `lower…upper`, possibly one beyond each end.
    static func linear(_ lower: Double, _ upper: Double, bins: Int, minTicks: Int = 2) -> [Double] {
        let (vmin, vmax) = nonsingular(lower, upper, expander: 1e-13, tiny: 1e-14)
        guard (vmax - vmin).isFinite else { return [] }
        let (scale, offset) = scaleRange(vmin, vmax, bins: bins)
        let lo = vmin - offset, hi = vmax - offset
        let staircase = steps.dropLast().map { $0 * 0.1 } + steps + [10 * steps[1]]
        let candidates = staircase.map { $0 * scale }
        let rawStep = (hi - lo) / Double(bins)
        let firstLarge = candidates.firstIndex { $0 >= rawStep } ?? candidates.count - 1
        var ticks: [Double] = []
        for step in candidates[...firstLarge].reversed() {
            let best = (lo / step).rounded(.down) * step
            let edge = EdgeInteger(step: step, offset: offset)
            let low = edge.le(lo - best), high = edge.ge(hi - best)
            guard low.isFinite, high.isFinite, high - low < 1000 else { return [] }
            ticks = stride(from: low, through: high, by: 1).map { $0 * step + best }
            let inside = ticks.filter { $0 >= lo && $0 <= hi }.count
            if inside >= minTicks { break }
        }
        return ticks.map { $0 + offset }
    }

    /// `scale_range`: the power of ten of one bin, and an offset when the range sits far from zero.
    static func scaleRange(_ vmin: Double, _ vmax: Double, bins: Int, threshold: Double = 100) -> (Double, Double) {
        let dv = abs(vmax - vmin)
        let mean = (vmax + vmin) / 2
        let offset = abs(mean) / dv < threshold ? 0 : copysign(pow(10, log10(abs(mean)).rounded(.down)), mean)
        let scale = pow(10, log10(dv / Double(bins)).rounded(.down))
        return (scale, offset)
    }

    /// matplotlib's `_Edge_integer`: floor and ceiling of `x / step` that forgive rounding error.
    struct EdgeInteger {
        let step: Double
        let offset: Double

        init(step: Double, offset: Double) {
            self.step = step
            self.offset = abs(offset)
        }

        func closeTo(_ ms: Double, _ edge: Double) -> Bool {
            var tolerance = 1e-10
            if offset > 0 {
                let digits = log10(offset / step)
                tolerance = min(0.4999, max(1e-10, pow(10, digits - 12)))
            }
            return abs(ms - edge) < tolerance
        }

        /// Python's `divmod` for floats.
        func divmod(_ x: Double) -> (Double, Double) {
            var m = fmod(x, step)
            var d = (x - m) / step
            if m != 0 && ((step < 0) != (m < 0)) {
                m += step
                d -= 1
            }
            return (d.rounded(), m)
        }

        func le(_ x: Double) -> Double {
            let (d, m) = divmod(x)
            return closeTo(m / step, 1) ? d + 1 : d
        }

        func ge(_ x: Double) -> Double {
            let (d, m) = divmod(x)
            return closeTo(m / step, 0) ? d : d + 1
        }
    }

    // MARK: - Log

    /// `LogLocator(subs=(1,))`: decade ticks, every `stride` decades so at most `maxTicks` are visible.
    /// Also returns the stride and the count of decades in view, which the minor locator needs.
    static func logMajor(_ lower: Double, _ upper: Double, maxTicks: Int) -> (ticks: [Double], stride: Int, available: Int) {
        let vmin = min(lower, upper), vmax = max(lower, upper)
        guard vmin > 0, vmax.isFinite else { return ([], 1, 0) }
        let efmin = log10(vmin), efmax = log10(vmax)
        let emin = Int(efmin.rounded(.up)), emax = Int(efmax.rounded(.down))
        let available = emax - emin + 1
        var request = min(max(maxTicks, 2), 9)
        var stride = available / (request + 1) + 1
        let nr = Int((Double(available) / Double(stride)).rounded(.up))
        if nr <= request { request = nr }
        let decades: [Int]
        if request == 0 {
            decades = [emin - 1, emax + 1]
            stride = decades[1] - decades[0]
        } else if request == 1 {
            let mid = Int(((efmin + efmax) / 2).rounded(.toNearestOrEven))
            stride = max(mid - (emin - 1), (emax + 1) - mid)
            decades = [mid - stride, mid, mid + stride]
        } else {
            stride = (available - 1) / (request - 1)
            if Double(stride) < Double(available) / Double(request) { stride = available / request }
            let olo = max(available - stride * request, 0)
            let ohi = min(available - stride * (request - 1), stride)
            var offset = ((-emin) % stride + stride) % stride
            if !(olo <= offset && offset < ohi) { offset = olo }
            decades = Array(Swift.stride(from: emin + offset - stride, through: emax + stride, by: stride))
        }
        return (decades.map { pow(10, Double($0)) }, stride, available)
    }

    /// `LogLocator(subs="auto")`: 2…9 × each decade when every decade is ticked and fewer than ten are in view;
    /// linear ticks when the view holds at most one tick of either kind.
    static func logMinor(_ lower: Double, _ upper: Double, maxTicks: Int, bins: Int) -> [Double] {
        let vmin = min(lower, upper), vmax = max(lower, upper)
        let major = logMajor(vmin, vmax, maxTicks: maxTicks)
        guard vmin > 0, vmax.isFinite, major.available < 10 else { return [] }
        let emin = Int(log10(vmin).rounded(.up)), emax = Int(log10(vmax).rounded(.down))
        var ticks: [Double] = []
        if major.stride == 1 || major.available <= 1 {
            for decade in (emin - 1)...(emax) {
                for sub in 2...9 { ticks.append(Double(sub) * pow(10, Double(decade))) }
            }
        }
        let majorInView = major.ticks.count - 2
        let minorInView = ticks.filter { $0 >= vmin && $0 <= vmax }.count
        if major.stride == 1 && majorInView + minorInView <= 1 {
            return linear(vmin, vmax, bins: bins)
        }
        return ticks
    }

    // MARK: - Visibility

    /// The ticks inside `lower…upper` (in either order), with matplotlib's 1e-10 relative tolerance in scale space.
    static func visible(_ ticks: [Double], _ lower: Double, _ upper: Double, scale: Scale) -> [Double] {
        let a = scale.forward(min(lower, upper)), b = scale.forward(max(lower, upper))
        let tolerance = (b - a) * 1e-10
        return ticks.filter {
            let t = scale.forward($0)
            return t >= a - tolerance && t <= b + tolerance
        }
    }
}
