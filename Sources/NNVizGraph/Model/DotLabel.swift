/// A node label: plain text, as torchviz writes it, or an HTML-like table.
///
/// Line breaks in text are kept as real newlines in the DOT text, which is how torchviz writes
/// `"fc1.weight\n (2, 3)"`; Graphviz centres each line.
///
/// ```swift
/// let function: DotLabel = "AddmmBackward0"
/// let tensor: DotLabel = .text("fc1.weight\n (2, 3)")
/// let table: DotLabel = .table(DotTable(rows: [[.init("fc1.weight", bold: true)], [.init("(2, 3)")]]))
/// ```
public enum DotLabel: Hashable, Sendable, ExpressibleByStringLiteral {
    /// Plain text; `\n` breaks lines.
    case text(String)
    /// An HTML-like table.
    case table(DotTable)

    public init(stringLiteral value: String) { self = .text(value) }

    /// The label's lines as plain text: a table gives one line per row, its cells joined by spaces.
    public var lines: [String] {
        switch self {
        case .text(let text):
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        case .table(let table):
            return table.rows.map { $0.map(\.text).joined(separator: " ") }
        }
    }

    /// The label with `line` added below the others.
    public func appending(line: String) -> DotLabel {
        switch self {
        case .text(let text):
            return .text(text + "\n" + line)
        case .table(var table):
            let span = table.rows.map { $0.reduce(0) { $0 + $1.columnSpan } }.max() ?? 1
            table.rows.append([DotTable.Cell(line, columnSpan: span)])
            return .table(table)
        }
    }
}
