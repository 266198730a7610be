import NNVizSupport

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

    /// Reads `bytes`, the content of `file`. A large file without quotes is read in blocks of lines on
    /// several threads (the first line first, on the caller's), each block checking its own UTF-8; any error
    /// there is found again by reading the whole file in one piece, so messages name the same line either way.
    init(file: String, bytes: [UInt8]) throws {
        self.file = file
        let scanner = CSVScanner(file: file, bytes: bytes)
        let starts = scanner.blockStarts(parts: Parallel.partCount(bytes.count, cost: Self.costPerByte))
        guard starts.count > 1, scanner.isValidUTF8(in: 0..<starts[0]) else {
            try readWhole(scanner)
            return
        }
        let line = try read(scanner, lines: 0..<starts[0])
        guard !columns.isEmpty, let blocks = Self.readBlocks(scanner, starts: starts, columns: columns.count) else {
            (columns, rowCount, hasHeader) = ([], 0, false)
            try readWhole(scanner)
            return
        }
        merge(blocks, firstLine: line)
        if rowCount == 0 { throw CSVError.noDataRows(file: file) }
    }

    /// Checks and reads the whole file in one piece.
    private mutating func readWhole(_ scanner: CSVScanner) throws {
        try scanner.validateUTF8()
        try read(scanner, lines: nil)
    }

    /// Appends the blocks' rows to the columns, a column per thread; `firstLine` is the number of lines before
    /// the first block. The room is taken on the caller's thread first: its heap has the file's bytes, freed
    /// by now, to give (a worker thread's heap would take fresh pages from the system).
    private mutating func merge(_ blocks: [Block], firstLine: Int) {
        var offsets: [Int] = []
        var line = firstLine
        for block in blocks {
            offsets.append(line)
            line += block.lines
        }
        rowCount += blocks.reduce(0) { $0 + $1.rowCount }
        let rows = rowCount
        for index in columns.indices { columns[index].reserve(rows) }
        columns.withUnsafeMutableBufferPointer { columns in
            Parallel.forEachPart(columns.count, cost: rows) { _, indices in
                for index in indices {
                    for (block, offset) in zip(blocks, offsets) { columns[index].append(block.columns[index], lineOffset: offset) }
                }
            }
        }
    }

    /// Reading a byte of a log costs about this many nanoseconds (what the file is split by).
    private static let costPerByte = 6

    /// Reads the records of `range` (the whole file when nil): the first one decides the header and the
    /// column count. Throws at the first error, naming its line; returns the number of lines read.
    @discardableResult
    private mutating func read(_ scanner: CSVScanner, lines range: Range<Int>?) throws -> Int {
        var rows = Rows(file: file, size: range?.count ?? scanner.bytes.count)
        let lines = try scanner.forEachRecord(in: range, &rows)
        (columns, rowCount, hasHeader) = (rows.columns, rows.count, rows.hasHeader)
        if range == nil {
            if rows.expected == 0 { throw CSVError.empty(file: file) }
            if rowCount == 0 { throw CSVError.noDataRows(file: file) }
        }
        return lines
    }

    /// One block of data lines read on its own thread: its columns' values and the block's line count;
    /// lines in its columns are counted from the block's start.
    private struct Block {
        var columns: [Column]
        var rowCount = 0
        var lines = 0
    }

    /// Reads the data lines from `starts[0]` on, in blocks from each start to the next, on several threads;
    /// nil when any block holds an error.
    private static func readBlocks(_ scanner: CSVScanner, starts: [Int], columns count: Int) -> [Block]? {
        let ranges = (0..<starts.count).map { starts[$0]..<($0 + 1 < starts.count ? starts[$0 + 1] : scanner.bytes.count) }
        let results = UnsafeMutableBufferPointer<Block?>.allocate(capacity: ranges.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize().deallocate() }
        Parallel.forEachPart(ranges.count, cost: Parallel.grain) { _, parts in
            for part in parts {
                guard scanner.isValidUTF8(in: ranges[part]) else { continue }
                var rows = Rows(file: scanner.file, size: ranges[part].count, columns: count)
                guard let lines = try? scanner.forEachRecord(in: ranges[part], &rows) else { continue }
                results[part] = Block(columns: rows.columns, rowCount: rows.count, lines: lines)
            }
        }
        let blocks = results.compactMap { $0 }
        return blocks.count == ranges.count ? blocks : nil
    }

    /// Records read into columns: the first record of a file decides its header and column count; a block
    /// starts with the column count known.
    private struct Rows: CSVScanner.RecordHandler {
        let file: String
        /// The bytes being read (what the columns reserve room by).
        let size: Int
        /// The number of cells every record must have; 0 until the first record is read.
        private(set) var expected = 0
        private(set) var columns: [Column] = []
        private(set) var hasHeader = false
        /// The data rows read.
        private(set) var count = 0

        init(file: String, size: Int) {
            self.file = file
            self.size = size
        }

        init(file: String, size: Int, columns count: Int) {
            self.init(file: file, size: size)
            expected = count
            columns = (0..<count).map { _ in Column(name: "") }
        }

        var numberColumns: Int { expected }

        mutating func numbers(_ values: UnsafeBufferPointer<Double>, byteCount: Int) {
            if count == 0 { reserve(rowBytes: byteCount) }
            columns.withUnsafeMutableBufferPointer { columns in
                for index in columns.indices { columns[index].append(number: values[index]) }
            }
            count += 1
        }

        mutating func record(line: Int, _ record: inout CSVScanner.Record) throws {
            if expected == 0 {
                var cells: [CSVScanner.Cell] = []
                while let cell = try record.next() { cells.append(cell) }
                expected = cells.count
                hasHeader = cells.contains { Cell($0, in: record) == .text }
                let header = hasHeader ? cells.map { record.text($0) } : nil
                columns = CSVTable.names(header: header, count: cells.count).map(Column.init)
                if hasHeader { return }
                for (index, cell) in cells.enumerated() { columns[index].append(cell, of: record, line: line) }
            } else {
                var cells = 0
                while let cell = try record.next() {
                    if cells < expected { columns[cells].append(cell, of: record, line: line) }
                    cells += 1
                }
                guard cells == expected else {
                    throw CSVError.raggedRow(file: file, line: line, cells: cells, expected: expected)
                }
            }
            if count == 0 { reserve(rowBytes: record.byteCount) }
            count += 1
        }

        /// Room for as many rows as lines like the first data row fit in ``size``, and a tenth more.
        private mutating func reserve(rowBytes: Int) {
            let estimate = size / max(rowBytes, 1) * 11 / 10
            for index in columns.indices { columns[index].reserve(estimate) }
        }
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

        /// Room for `count` values, on huge pages when that is many.
        mutating func reserve(_ count: Int) {
            values.reserveCapacity(count)
            let capacity = values.capacity
            values.withUnsafeMutableBufferPointer { buffer in
                HugePages.advise(UnsafeMutableRawBufferPointer(start: buffer.baseAddress, count: capacity * MemoryLayout<Double>.stride))
            }
        }

        /// Whether every row holds a number, so no value is NaN.
        var isComplete: Bool { numberCount == values.count }

        /// Adds a scanned cell (straight to the values array: one copy of the data, so reading a large log
        /// stays within the heap that ``HeapTuning`` keeps).
        @inline(__always)
        mutating func append(_ cell: CSVScanner.Cell, of record: CSVScanner.Record, line: Int) {
            append(Cell(cell, in: record), text: record.text(cell), line: line)
        }

        /// Adds the values of `block`, a column of the same table read from lines further on, whose lines
        /// are counted from `lineOffset`.
        mutating func append(_ block: Column, lineOffset: Int) {
            values += block.values
            numberCount += block.numberCount
            textCount += block.textCount
            if firstText == nil, let (line, value) = block.firstText { firstText = (line + lineOffset, value) }
        }

        /// Adds a number read from a row of plain numbers.
        @inline(__always)
        mutating func append(number: Double) {
            values.append(number)
            numberCount += 1
        }

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
