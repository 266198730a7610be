/// A CSV file read as named columns of numbers, noting for each column what was not a number.
///
/// The first row is the header if any of its cells is text (neither a number nor a missing-value mark);
/// otherwise the file has no header and its columns are named `value` (one column) or `value1`, `value2`, ….
/// An empty header cell is named `column N` (N counts cells from 1) and a repeated name gets `.1`, `.2`, …
/// appended, as pandas does.
struct CSVTable {
    /// Names the file in error messages.
    let file: String
    private(set) var columns: [Column] = []
    /// The data rows, not counting the header.
    private(set) var rowCount = 0
    private(set) var hasHeader = false

    init(file: String, bytes: [UInt8]) throws {
        self.file = file
        var expected = 0
        try CSVScanner(file: file, bytes: bytes).forEachRecord { line, record in
            if expected == 0 {
                var cells: [CSVScanner.Cell] = []
                while let cell = try record.next() { cells.append(cell) }
                expected = cells.count
                hasHeader = cells.contains { Cell($0, in: record) == .text }
                let header = hasHeader ? cells.map { record.text($0) } : nil
                columns = Self.names(header: header, count: cells.count).map(Column.init)
                if hasHeader { return }
                for (index, cell) in cells.enumerated() { append(cell, of: record, to: index, line: line) }
            } else {
                var count = 0
                while let cell = try record.next() {
                    if count < expected { append(cell, of: record, to: count, line: line) }
                    count += 1
                }
                guard count == expected else {
                    throw CSVError.raggedRow(file: file, line: line, cells: count, expected: expected)
                }
            }
            if rowCount == 0 {
                // Room for as many rows as lines like the first data row fit in the file, and a tenth more.
                let estimate = bytes.count / max(record.byteCount, 1) * 11 / 10
                for index in columns.indices { columns[index].reserve(estimate) }
            }
            rowCount += 1
        }
        if expected == 0 { throw CSVError.empty(file: file) }
        if rowCount == 0 { throw CSVError.noDataRows(file: file) }
    }

    /// Adds `cell` to the values of column `column` (straight to its array: one copy of the data, so reading a
    /// large log stays within the heap that ``HeapTuning`` keeps).
    @inline(__always)
    private mutating func append(_ cell: CSVScanner.Cell, of record: CSVScanner.Record, to column: Int, line: Int) {
        columns[column].append(Cell(cell, in: record), text: record.text(cell), line: line)
    }

    var names: [String] { columns.map(\.name) }

    /// The index of the column called `name`: the one spelled exactly so, else the first equal ignoring case.
    func index(of name: String) -> Int? {
        if let index = columns.firstIndex(where: { $0.name == name }) { return index }
        let lowered = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == lowered }
    }

    // MARK: - Names

    private static func names(header: [String]?, count: Int) -> [String] {
        guard let header else {
            return count == 1 ? ["value"] : (1...count).map { "value\($0)" }
        }
        var names: [String] = []
        var taken = Set<String>()
        for (index, cell) in header.enumerated() {
            let base = cell.isEmpty ? "column \(index + 1)" : cell
            var name = base
            var copy = 0
            while taken.contains(name) {
                copy += 1
                name = "\(base).\(copy)"
            }
            taken.insert(name)
            names.append(name)
        }
        return names
    }
}

// MARK: - Cells

extension CSVTable {
    /// What one cell holds.
    enum Cell: Equatable {
        /// Empty, `NA`, `N/A`, `NaN` (any case or sign), `null` or `None`.
        case missing
        /// A decimal or hexadecimal number, `inf` or `-inf`.
        case number(Double)
        /// Anything else.
        case text

        private static let missingMarks: Set<String> = ["na", "n/a", "null", "none"]

        /// Classifies a trimmed cell.
        init(_ text: String) {
            if text.isEmpty {
                self = .missing
            } else if let value = Double(text) {
                self = value.isNaN ? .missing : .number(value)
            } else if Self.missingMarks.contains(text.lowercased()) {
                self = .missing
            } else {
                self = .text
            }
        }

        /// Classifies a scanned cell: the number the scanner read, else its text classified.
        @inline(__always)
        init(_ cell: CSVScanner.Cell, in record: CSVScanner.Record) {
            if let value = cell.number {
                self = .number(value)
            } else {
                self.init(record.text(cell))
            }
        }
    }
}

// MARK: - Columns

extension CSVTable {
    /// One column's numbers, one per data row, with NaN where the cell is missing or text.
    struct Column {
        let name: String
        private(set) var values: [Double] = []
        private(set) var numberCount = 0
        private(set) var textCount = 0
        /// The first text cell, as the line it is on and its content.
        private(set) var firstText: (line: Int, value: String)?

        init(name: String) {
            self.name = name
        }

        mutating func reserve(_ count: Int) { values.reserveCapacity(count) }

        /// Whether every row holds a number, so no value is NaN.
        var isComplete: Bool { numberCount == values.count }

        mutating func append(_ cell: Cell, text: @autoclosure () -> String, line: Int) {
            switch cell {
            case .missing:
                values.append(.nan)
            case let .number(value):
                values.append(value)
                numberCount += 1
            case .text:
                values.append(.nan)
                textCount += 1
                if firstText == nil { firstText = (line, text()) }
            }
        }

        /// What the column holds, judged by its non-missing cells.
        var kind: Kind {
            guard let (line, value) = firstText else { return numberCount == 0 ? .empty : .numeric }
            return numberCount > textCount ? .numericWithStrayText(line: line, value: value)
                                           : .text(line: line, value: value)
        }

        /// What a column holds; `line` and `value` show its first word.
        enum Kind {
            /// Numbers and missing cells only, at least one number.
            case numeric
            /// More numbers than words, and at least one word: a broken cell, reported as an error.
            case numericWithStrayText(line: Int, value: String)
            /// Mostly or only words, such as a timestamp or a name.
            case text(line: Int, value: String)
            /// Only missing cells.
            case empty
        }
    }
}
