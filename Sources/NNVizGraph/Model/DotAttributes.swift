/// The value of a Graphviz attribute: ordinary text, or an HTML-like label.
///
/// Text is quoted and escaped by ``DotEncoder`` only when DOT needs it, so
/// `"lightblue"` is written bare and `"12,12"` in quotes.
///
/// ```swift
/// let size: DotValue = "12,12"
/// let height: DotValue = 0.2
/// let table: DotValue = .html("<B>x</B>")
/// ```
public enum DotValue: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    /// A plain string, written as a DOT identifier, numeral or quoted string.
    case text(String)
    /// HTML-like markup, written between `<` and `>` without escaping.
    case html(String)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .text(String(value)) }
    public init(floatLiteral value: Double) { self = .text(String(value)) }

    /// The plain text, or `nil` for HTML-like markup.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}

/// An ordered set of Graphviz attributes: keys are unique and keep the order they were first set in.
///
/// The encoder writes them in that order, which keeps the DOT text deterministic.
///
/// ```swift
/// var attributes: DotAttributes = ["shape": "box", "style": "filled"]
/// attributes["fontsize"] = 10
/// attributes["shape"] = nil          // removes it
/// ```
public struct DotAttributes: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    /// One key and its value.
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: DotValue
    }

    /// The entries in the order they were first set.
    public private(set) var entries: [Entry] = []

    /// An empty attribute list.
    public init() {}

    public init(dictionaryLiteral elements: (String, DotValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// The value for `key`; setting replaces it in place, setting `nil` removes it.
    public subscript(key: String) -> DotValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Whether no attribute is set.
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
