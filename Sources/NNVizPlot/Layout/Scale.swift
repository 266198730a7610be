import Foundation

/// How data values map onto an axis.
///
/// ```swift
/// ax.yscale = .log
/// ```
public enum Scale: Hashable, Sendable {
    case linear
    /// Base-10 logarithmic: decade ticks with minor ticks at 2…9; values ≤ 0 are dropped with a warning.
    case log

    /// The value in the scale's linear space (log10 for `.log`); NaN for values the scale cannot show.
    @inline(__always)
    func forward(_ v: Double) -> Double {
        switch self {
        case .linear: return v
        case .log: return v > 0 ? Foundation.log10(v) : .nan
        }
    }

    @inline(__always)
    func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: return t
        case .log: return Foundation.pow(10, t)
        }
    }

    /// Whether the scale can show `v` at all.
    @inline(__always)
    func accepts(_ v: Double) -> Bool {
        self == .linear || v > 0
    }
}
