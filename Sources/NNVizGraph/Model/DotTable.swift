/// An HTML-like table label: rows of cells with text, alignment, weight and colours.
///
/// The encoder escapes the cell text (`&`, `<`, `>`, `"`) and turns newlines into `<BR/>`, so any
/// string is safe in a cell.
///
/// ```swift
/// let label = DotTable(rows: [
///     [DotTable.Cell("AddmmBackward0", bold: true, columnSpan: 2)],
///     [DotTable.Cell("alpha", alignment: .left), DotTable.Cell("1", alignment: .right)],
/// ])
/// node.label = .table(label)
/// ```
public struct DotTable: Hashable, Sendable {
    /// Horizontal placement of a cell's text.
    public enum Alignment: String, Hashable, Sendable {
        case left = "LEFT", center = "CENTER", right = "RIGHT"
    }

    /// One table cell.
    public struct Cell: Hashable, Sendable {
        public var text: String
        public var alignment: Alignment
        public var bold: Bool
        public var fontColor: DotColor?
        public var background: DotColor?
        public var columnSpan: Int
        /// Width and height in points of a fixed-size cell (a colour swatch); `nil` fits the text.
        public var fixedSize: DotTable.Size?

        /// A cell showing `text` (newlines break lines); `fixedSize` makes a colour swatch.
        public init(_ text: String, alignment: Alignment = .center, bold: Bool = false,
                    fontColor: DotColor? = nil, background: DotColor? = nil, columnSpan: Int = 1,
                    fixedSize: DotTable.Size? = nil)
        {
            precondition(columnSpan >= 1, "a table cell spans at least one column, got \(columnSpan)")
            self.text = text
            self.alignment = alignment
            self.bold = bold
            self.fontColor = fontColor
            self.background = background
            self.columnSpan = columnSpan
            self.fixedSize = fixedSize
        }
    }

    /// A cell size in points.
    public struct Size: Hashable, Sendable {
        public var width: Int
        public var height: Int
        public init(width: Int, height: Int) { self.width = width; self.height = height }
    }

    /// The rows, each a list of cells.
    public var rows: [[Cell]]
    /// Width of the outer frame in points.
    public var border: Int
    /// Width of each cell's frame in points.
    public var cellBorder: Int
    public var cellSpacing: Int
    public var cellPadding: Int
    public var background: DotColor?

    /// A table without frames or spacing, so it reads as a plain multi-line label.
    public init(rows: [[Cell]], border: Int = 0, cellBorder: Int = 0, cellSpacing: Int = 0,
                cellPadding: Int = 2, background: DotColor? = nil)
    {
        self.rows = rows
        self.border = border
        self.cellBorder = cellBorder
        self.cellSpacing = cellSpacing
        self.cellPadding = cellPadding
        self.background = background
    }

    // MARK: - HTML-like text

    /// The table as Graphviz HTML-like markup (without the outer `<` `>`).
    public var markup: String {
        var html = "<TABLE BORDER=\"\(border)\" CELLBORDER=\"\(cellBorder)\" CELLSPACING=\"\(cellSpacing)\""
            + " CELLPADDING=\"\(cellPadding)\""
        if let background { html += " BGCOLOR=\"\(DotTable.escape(background.name))\"" }
        html += ">"
        for row in rows {
            html += "<TR>"
            for cell in row { html += DotTable.markup(of: cell) }
            html += "</TR>"
        }
        return html + "</TABLE>"
    }

    private static func markup(of cell: Cell) -> String {
        var html = "<TD ALIGN=\"\(cell.alignment.rawValue)\" BALIGN=\"\(cell.alignment.rawValue)\""
        if cell.columnSpan > 1 { html += " COLSPAN=\"\(cell.columnSpan)\"" }
        if let background = cell.background { html += " BGCOLOR=\"\(escape(background.name))\"" }
        if let size = cell.fixedSize { html += " FIXEDSIZE=\"TRUE\" WIDTH=\"\(size.width)\" HEIGHT=\"\(size.height)\"" }
        html += ">"
        var text = cell.text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escape(String($0)) }.joined(separator: "<BR/>")
        if cell.bold, !text.isEmpty { text = "<B>" + text + "</B>" }
        if let color = cell.fontColor, !text.isEmpty { text = "<FONT COLOR=\"\(escape(color.name))\">" + text + "</FONT>" }
        return html + text + "</TD>"
    }

    /// Text with the characters that HTML-like labels reserve written as entities.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }
}
