/// A listed colormap, as matplotlib's `ListedColormap`: N colours for values normalised to 0…1, the first for
/// values below 0, the last for values above 1, and a transparent "bad" colour for missing values.
///
/// ```swift
/// let cmap = Colormap.viridis
/// cmap.color(at: 0.5)          // the middle entry, a teal
/// cmap.color(at: .nan)         // transparent: drawn as the axes background
/// ```
public struct Colormap: Hashable, Sendable {
    /// The name matplotlib knows it by.
    public let name: String
    /// The entries, from the colour of 0 to that of 1.
    public let colors: [Color]
    /// What a missing value (NaN, or ≤ 0 on a log scale) is drawn with: transparent, as matplotlib's default.
    public var bad = Color(red: 0, green: 0, blue: 0, alpha: 0)

    init(name: String, entries: [(Double, Double, Double)]) {
        self.name = name
        colors = entries.map { Color(red: $0.0, green: $0.1, blue: $0.2) }
    }

    /// The colour of a normalised value, chosen as matplotlib does: entry ⌊x·N⌋, with 1 mapped to the last
    /// entry, values outside 0…1 clamped to the end entries, and NaN the ``bad`` colour.
    public func color(at x: Double) -> Color {
        guard let index = index(at: x) else { return bad }
        return colors[index]
    }

    /// The entry index of a normalised value; nil for NaN.
    func index(at x: Double) -> Int? {
        guard !x.isNaN else { return nil }
        let n = colors.count
        let scaled = x * Double(n)
        if scaled < 0 { return 0 }
        if scaled >= Double(n) { return n - 1 }
        return Int(scaled)
    }
}
