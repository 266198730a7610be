import Foundation

/// Graphviz style flags for nodes, edges and clusters, written comma-separated in a fixed order.
///
/// ```swift
/// node.style = [.filled, .dashed]      // style="filled,dashed"
/// edge.style = .dotted
/// ```
public struct DotStyle: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let filled = DotStyle(rawValue: 1 << 0)
    public static let rounded = DotStyle(rawValue: 1 << 1)
    public static let dashed = DotStyle(rawValue: 1 << 2)
    public static let dotted = DotStyle(rawValue: 1 << 3)
    public static let bold = DotStyle(rawValue: 1 << 4)
    public static let solid = DotStyle(rawValue: 1 << 5)
    public static let invisible = DotStyle(rawValue: 1 << 6)

    /// The styles named in Graphviz text such as `filled,dashed`; unknown names are ignored.
    public init(dotText: String) {
        self = DotStyle.names.reduce(into: DotStyle()) { style, entry in
            if dotText.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == entry.1 }) {
                style.insert(entry.0)
            }
        }
    }

    /// The Graphviz text, e.g. `filled,dashed`.
    public var dotText: String {
        DotStyle.names.filter { contains($0.0) }.map(\.1).joined(separator: ",")
    }

    private static let names: [(DotStyle, String)] = [
        (.filled, "filled"), (.rounded, "rounded"), (.dashed, "dashed"), (.dotted, "dotted"),
        (.bold, "bold"), (.solid, "solid"), (.invisible, "invis"),
    ]
}
