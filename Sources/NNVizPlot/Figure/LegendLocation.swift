/// Where the legend sits inside the axes, matplotlib's `loc`.
///
/// ```swift
/// ax.legend(.best)
/// ax.legend(LegendLocation(code: 1)!)   // plt.legend(loc=1), upper right
/// ```
public enum LegendLocation: String, Hashable, Sendable, CaseIterable {
    /// Of the nine other places, the one covering the fewest data points (ties go to the earlier in this list).
    case best
    case upperRight, upperLeft, lowerLeft, lowerRight, right
    case centerLeft, centerRight, lowerCenter, upperCenter, center

    /// matplotlib's numeric codes: 0 best, 1 upper right, 2 upper left, … 10 center; nil outside 0…10.
    public init?(code: Int) {
        guard (0..<LegendLocation.allCases.count).contains(code) else { return nil }
        self = LegendLocation.allCases[code]
    }

    /// matplotlib's names (`"upper right"`, `"best"`, …); nil for others.
    public init?(matplotlib name: String) {
        let key = name.replacingOccurrences(of: " ", with: "").lowercased()
        guard let match = LegendLocation.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
        self = match
    }

    /// Horizontal (0 left, 0.5 centre, 1 right) and vertical (0 top, 0.5 centre, 1 bottom) anchors.
    var anchor: (x: Double, y: Double) {
        switch self {
        case .best, .upperRight: return (1, 0)
        case .upperLeft: return (0, 0)
        case .lowerLeft: return (0, 1)
        case .lowerRight: return (1, 1)
        case .right, .centerRight: return (1, 0.5)
        case .centerLeft: return (0, 0.5)
        case .lowerCenter: return (0.5, 1)
        case .upperCenter: return (0.5, 0)
        case .center: return (0.5, 0.5)
        }
    }
}
