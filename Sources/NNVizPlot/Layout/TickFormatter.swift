import Foundation

/// Tick labels written as matplotlib writes them.
enum TickFormatter {
    static let minus = "\u{2212}"

    /// Replaces ASCII hyphen-minus with the Unicode minus sign, as matplotlib does.
    static func fixMinus(_ s: String) -> String { s.replacingOccurrences(of: "-", with: minus) }

    // MARK: - ScalarFormatter

    /// `ScalarFormatter` with its defaults: an offset when it saves four or more digits, scientific
    /// notation when the ticks reach 1e6 or fall to 1e-5, the fewest decimals that tell the ticks apart.
    struct Scalar {
        var offset: Double = 0
        var orderOfMagnitude = 0
        var decimals = 0

        /// Prepares labels for `ticks` (all the locator's ticks) on a view of `lower…upper`.
        init(ticks: [Double], lower: Double, upper: Double) {
            let vmin = min(lower, upper), vmax = max(lower, upper)
            let visible = ticks.filter { $0 >= vmin && $0 <= vmax }
            guard !ticks.isEmpty else { return }
            offset = Scalar.offset(visible)
            orderOfMagnitude = Scalar.orderOfMagnitude(visible, offset: offset, vmin: vmin, vmax: vmax)
            decimals = Scalar.decimals(ticks, offset: offset, order: orderOfMagnitude, vmin: vmin, vmax: vmax)
        }

        static func offset(_ locs: [Double]) -> Double {
            guard let lmin = locs.min(), let lmax = locs.max(), lmin != lmax, !(lmin <= 0 && 0 <= lmax) else { return 0 }
            let absMin = min(abs(lmin), abs(lmax)), absMax = max(abs(lmin), abs(lmax))
            let sign: Double = lmin < 0 ? -1 : 1
            let oomMax = log10(absMax).rounded(.up)
            func floorDiv(_ v: Double, _ oom: Double) -> Double { (v / pow(10, oom)).rounded(.down) }
            // Powers of ten below 1e-300 underflow; no tick range gets there.
            var oom = oomMax
            while floorDiv(absMin, oom) == floorDiv(absMax, oom) && oom > -300 { oom -= 1 }
            oom += 1
            if (absMax - absMin) / pow(10, oom) <= 1e-2 {
                oom = oomMax
                while floorDiv(absMax, oom) - floorDiv(absMin, oom) <= 1 && oom > -300 { oom -= 1 }
                oom += 1
            }
            return floorDiv(absMax, oom) >= 1000 ? sign * floorDiv(absMax, oom) * pow(10, oom) : 0
        }

        static func orderOfMagnitude(_ locs: [Double], offset: Double, vmin: Double, vmax: Double) -> Int {
            guard let top = locs.map(abs).max() else { return 0 }
            let oom: Int
            if offset != 0 {
                oom = Int(log10(vmax - vmin).rounded(.down))
            } else {
                oom = top == 0 ? 0 : Int(log10(top).rounded(.down))
            }
            return (oom <= -5 || oom >= 6) ? oom : 0
        }

        static func decimals(_ ticks: [Double], offset: Double, order: Int, vmin: Double, vmax: Double) -> Int {
            let base = ticks.count < 2 ? ticks + [vmin, vmax] : ticks
            var locs = base.map { ($0 - offset) / pow(10, Double(order)) }
            var range = (locs.max() ?? 0) - (locs.min() ?? 0)
            if range == 0 { range = locs.map(abs).max() ?? 0 }
            if range == 0 { range = 1 }
            if ticks.count < 2 { locs.removeLast(2) }
            let rangeOom = Int(log10(range).rounded(.down))
            var sigfigs = max(0, 3 - rangeOom)
            let threshold = 1e-3 * pow(10, Double(rangeOom))
            while sigfigs >= 0 {
                let p = pow(10, Double(sigfigs))
                let worst = locs.map { abs($0 - ($0 * p).rounded(.toNearestOrEven) / p) }.max() ?? 0
                if worst < threshold { sigfigs -= 1 } else { break }
            }
            return sigfigs + 1
        }

        func label(_ value: Double) -> String {
            var x = (value - offset) / pow(10, Double(orderOfMagnitude))
            if abs(x) < 1e-8 { x = 0 }
            return TickFormatter.fixMinus(String(format: "%.\(decimals)f", x))
        }

        /// The text shown at the end of the axis, such as `1e6`, `+1e3` or `1e−5+1`; empty when not needed.
        var offsetText: String {
            guard orderOfMagnitude != 0 || offset != 0 else { return "" }
            let sci = orderOfMagnitude != 0 ? "1e\(orderOfMagnitude)" : ""
            let off = offset != 0 ? (offset > 0 ? "+" : "") + Scalar.formatData(offset) : ""
            return TickFormatter.fixMinus(sci + off)
        }

        /// `ScalarFormatter.format_data`: `5e6`, `1.5e3`, `12`.
        static func formatData(_ value: Double) -> String {
            let e = Int(log10(abs(value)).rounded(.down))
            let s = (value / pow(10, Double(e)) * 1e10).rounded() / 1e10
            let significand = s.truncatingRemainder(dividingBy: 1) == 0 ? String(Int(s)) : String(format: "%1.10g", s)
            return e == 0 ? significand : "\(significand)e\(e)"
        }
    }

    // MARK: - LogFormatterSciNotation

    /// Labels for decade ticks (`10^k`, with a raised exponent) and, when the view spans too few decades
    /// for that, for some or all of the minor ticks (`2×10^k`).
    static func logLabels(_ ticks: [Double], lower: Double, upper: Double) -> [StyledText?] {
        let vmin = min(lower, upper), vmax = max(lower, upper)
        let lmin = log10(vmin), lmax = log10(vmax)
        let decadesSpanned = Int(lmax.rounded(.down)) - Int(lmin.nextDown.rounded(.down))
        let numdec = abs(lmax - lmin)
        let sublabels: Set<Int>
        if decadesSpanned > 1 {
            sublabels = [1]
        } else if numdec > 0.4 {
            sublabels = [1, 2, 3, 4, 6, 10]
        } else {
            sublabels = Set(1...10)
        }
        return ticks.map { x in
            let fx = log10(x)
            let isDecade = abs(fx - fx.rounded()) < 1e-10
            let exponent = isDecade ? Int(fx.rounded()) : Int(fx.rounded(.down))
            let coefficient = Int(pow(10, fx - Double(exponent)).rounded())
            guard sublabels.contains(coefficient) else { return nil }
            return StyledText.power(mantissa: isDecade ? "" : "\(coefficient)\u{00D7}",
                                    exponent: fixMinus(String(exponent)))
        }
    }
}
