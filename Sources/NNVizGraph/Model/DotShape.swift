/// A Graphviz node shape.
///
/// ```swift
/// node.shape = .ellipse
/// node.shape = DotShape("octagon")
/// ```
public struct DotShape: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The shape's Graphviz name.
    public var name: String

    /// The shape Graphviz calls `name`.
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    /// A rectangle: torchviz's shape for every node.
    public static let box = DotShape("box")
    public static let ellipse = DotShape("ellipse")
    /// No outline: the label alone, used for HTML-like tables.
    public static let plaintext = DotShape("plaintext")
}
