import Foundation

/// How data values map to 0…1 before a ``Colormap`` colours them (matplotlib's `Normalize` and `LogNorm`).
///
/// ```swift
/// let norm = ColorNorm(scale: .log, values: [1e-3, 0.1, 10])   // vmin 1e-3, vmax 10
/// norm.fraction(0.1)                                           // 0.5
/// ```
public struct ColorNorm: Hashable, Sendable {
    public var scale: Scale
    /// The values coloured by the first and the last entry of the colormap.
    public var vmin: Double
    public var vmax: Double

    public init(scale: Scale, vmin: Double, vmax: Double) {
        self.scale = scale
        self.vmin = vmin
        self.vmax = vmax
    }

    /// Limits autoscaled to the finite values the scale can show (positive ones on a log scale), as
    /// matplotlib's `autoscale_None`; 1…10 on a log scale and 0…1 on a linear one when there are none.
    public init(scale: Scale, values: some Sequence<Double>, vmin: Double? = nil, vmax: Double? = nil) {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite && scale.accepts(v) {
            low = min(low, v)
            high = max(high, v)
        }
        if low > high { (low, high) = scale == .log ? (1, 10) : (0, 1) }
        self.init(scale: scale, vmin: vmin ?? low, vmax: vmax ?? high)
    }

    /// `value` normalised: 0 at ``vmin``, 1 at ``vmax`` (linearly in the scale's space), NaN for a value that
    /// is missing or that the scale cannot show (matplotlib masks it, and the colormap draws it "bad"). When
    /// vmin equals vmax every shown value is 0, as in matplotlib.
    public func fraction(_ value: Double) -> Double {
        guard value.isFinite, scale.accepts(value) else { return .nan }
        let t0 = scale.forward(vmin), t1 = scale.forward(vmax)
        guard t1 != t0 else { return 0 }
        return (scale.forward(value) - t0) / (t1 - t0)
    }
}
