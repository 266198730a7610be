#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits the bytes of a CSV file into records of cells (RFC 4180, read leniently).
///
/// - A UTF-8 byte order mark at the start is skipped; any other invalid UTF-8 is an error.
/// - Lines end with LF, CRLF or a lone CR; the last line may end with none.
/// - A cell may be quoted: commas and line breaks inside quotes are content, `""` is one quote.
///   Spaces around a quoted cell are ignored; other text after the closing quote is an error.
///   A quote inside an unquoted cell is an ordinary character.
/// - Cells are trimmed of spaces and tabs, so `  epoch,  loss` has the names `epoch` and `loss`.
/// - Blank lines (no cells, or one empty cell) are skipped.
struct CSVScanner {
    /// Names the file in error messages.
    let file: String
    let bytes: [UInt8]

    /// One cell of a record: an unquoted cell is the trimmed byte range `start..<end` of the file, a quoted one
    /// a decoded text kept by its ``Record``.
    struct Cell {
        var start: Int
        var end: Int
        /// The number an unquoted cell spells, read while scanning it when it is a plain decimal that
        /// ``DecimalParser`` decides; nil otherwise.
        var number: Double?
        /// Where a quoted cell's decoded text is in its record's ``Record/quotedTexts``; nil for an unquoted cell.
        var quoted: Int?
    }

    /// One record, read a cell at a time with ``next()`` (so a row's numbers go straight to their columns).
    struct Record {
        let buffer: UnsafeBufferPointer<UInt8>
        fileprivate var cursor: Cursor
        private let file: String
        private var start = 0
        /// The first cell, scanned before the record is handed out to tell a blank line.
        fileprivate var pending: Cell?
        private var scanned = 0
        fileprivate private(set) var ended = false
        /// The decoded content of the record's quoted cells read so far, in order.
        private(set) var quotedTexts: [String] = []

        fileprivate init(cursor: Cursor, file: String) {
            buffer = cursor.buffer
            self.cursor = cursor
            self.file = file
        }

        /// Starts the record at the cursor (one value reused for every record of the file).
        fileprivate mutating func begin() {
            start = cursor.index
            scanned = 0
            ended = false
            if !quotedTexts.isEmpty { quotedTexts.removeAll(keepingCapacity: true) }
        }

        /// The next cell, or nil after the last one.
        @inline(__always)
        mutating func next() throws -> Cell? {
            if let cell = pending {
                pending = nil
                return cell
            }
            return ended ? nil : try scanCell()
        }

        /// The bytes read so far, from the record's first to the line end after its last cell once all are read.
        var byteCount: Int { cursor.index - start }

        /// The text of `cell`, one of this record's.
        func text(_ cell: Cell) -> String {
            if let quoted = cell.quoted { return quotedTexts[quoted] }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[cell.start..<cell.end]), as: UTF8.self)
        }

        /// Whether `cell` holds nothing (blank, or `""`).
        func isEmpty(_ cell: Cell) -> Bool {
            if let quoted = cell.quoted { return quotedTexts[quoted].isEmpty }
            return cell.start == cell.end
        }

        /// Scans the next cell (kept out of line, so that ``next()`` stays small enough to inline).
        @inline(never)
        fileprivate mutating func scanCell() throws -> Cell {
            cursor.skipBlanks()
            let cell: Cell
            if cursor.peek == ASCII.quote {
                let start = cursor.index
                quotedTexts.append(try scanQuoted(column: scanned + 1))
                cell = Cell(start: start, end: start, number: nil, quoted: quotedTexts.count - 1)
            } else {
                cell = cursor.scanUnquoted()
            }
            scanned += 1
            switch cursor.peek {
            case ASCII.comma:
                cursor.index += 1
            case nil:
                ended = true
            default:
                cursor.consumeLineEnd()
                ended = true
            }
            return cell
        }

        private mutating func scanQuoted(column: Int) throws -> String {
            let openingLine = cursor.line
            cursor.index += 1
            var content: [UInt8] = []
            while true {
                guard let byte = cursor.peek else {
                    throw CSVError.unterminatedQuote(file: file, line: openingLine, column: column)
                }
                if byte == ASCII.quote {
                    if cursor.peek(at: 1) == ASCII.quote {
                        content.append(ASCII.quote)
                        cursor.index += 2
                        continue
                    }
                    cursor.index += 1
                    break
                }
                if byte == ASCII.cr || byte == ASCII.lf {
                    let start = cursor.index
                    cursor.consumeLineEnd()
                    content.append(contentsOf: cursor.buffer[start..<cursor.index])
                    continue
                }
                content.append(byte)
                cursor.index += 1
            }
            cursor.skipBlanks()
            switch cursor.peek {
            case nil, ASCII.comma, ASCII.cr, ASCII.lf:
                return ASCII.trimmed(String(decoding: content, as: UTF8.self))
            default:
                throw CSVError.textAfterQuote(file: file, line: cursor.line, column: column)
            }
        }
    }

    /// What ``forEachRecord(in:_:)`` hands each record to.
    protocol RecordHandler {
        /// When positive, a record of exactly this many plain decimals (no spaces, quotes or missing cells)
        /// goes to ``numbers(_:byteCount:)`` already read; every other record to ``record(line:_:)``.
        var numberColumns: Int { get }
        /// One record of ``numberColumns`` numbers, and how many bytes it took with its line end.
        mutating func numbers(_ values: UnsafeBufferPointer<Double>, byteCount: Int)
        /// One non-blank record at the 1-based `line` (counted from the range's start) to read cell by cell;
        /// the cells left unread are skipped (still checked for errors). The record is valid during the call only.
        mutating func record(line: Int, _ record: inout Record) throws
    }

    /// Hands `handler` each non-blank record of the lines in `range` (all of the file by default; a range
    /// starts at a line start). Returns the number of lines the range holds. ``validateUTF8()`` must have
    /// passed first.
    @discardableResult
    func forEachRecord<Handler: RecordHandler>(in range: Range<Int>? = nil, _ handler: inout Handler) throws -> Int {
        let range = range ?? bytes.indices
        return try bytes.withUnsafeBufferPointer { whole in
            let buffer = UnsafeBufferPointer(rebasing: whole[range])
            let skip = range.lowerBound == 0 && Self.hasByteOrderMark(bytes) ? 3 : 0
            var record = Record(cursor: Cursor(buffer: buffer, index: skip), file: file)
            try withUnsafeTemporaryAllocation(of: Double.self, capacity: 64) { scratch in
                while !record.cursor.atEnd {
                    let count = handler.numberColumns
                    if count > 0 && count <= scratch.count {
                        let start = record.cursor.index
                        if record.cursor.readNumbers(count, into: scratch.baseAddress!) {
                            handler.numbers(UnsafeBufferPointer(rebasing: scratch[..<count]),
                                            byteCount: record.cursor.index - start)
                            continue
                        }
                    }
                    let line = record.cursor.line
                    record.begin()
                    let first = try record.scanCell()
                    if record.ended && record.isEmpty(first) { continue }
                    record.pending = first
                    try handler.record(line: line, &record)
                    while !record.ended { _ = try record.scanCell() }
                }
            }
            return buffer.isEmpty ? 0 : record.cursor.line - (Self.endsLine(buffer) ? 1 : 0)
        }
    }

    /// Whether the last byte of `buffer` ends a line (so the cursor's line count is one past its lines).
    private static func endsLine(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let last = buffer.last else { return false }
        return last == ASCII.lf || last == ASCII.cr
    }

    /// Where to cut the file into `parts` blocks of whole lines for reading them on several threads: the
    /// offsets just after the line feeds nearest each even share, after the first line. Empty — read it in
    /// one piece — when the file is small or holds a quote anywhere (a quoted cell may hold a line break,
    /// so a cut could fall inside it).
    func blockStarts(parts: Int) -> [Int] {
        let count = bytes.count
        let hasQuote = bytes.withUnsafeBytes { $0.baseAddress.map { memchr($0, Int32(ASCII.quote), count) != nil } ?? false }
        guard parts > 1, count >= 1 << 20, !hasQuote, let firstLine = bytes.firstIndex(of: ASCII.lf) else { return [] }
        var starts: [Int] = []
        var previous = firstLine + 1
        starts.append(previous)
        for part in 1..<parts {
            let target = max(previous, firstLine + 1 + (count - firstLine - 1) * part / parts)
            guard let feed = bytes[target...].firstIndex(of: ASCII.lf), feed + 1 < count else { break }
            previous = feed + 1
            if previous > starts.last! { starts.append(previous) }
        }
        return starts
    }

    static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}

// MARK: - Cursor

extension CSVScanner {
    /// A position in the bytes, with the physical line it is on.
    struct Cursor {
        let buffer: UnsafeBufferPointer<UInt8>
        var index: Int
        var line = 1

        var atEnd: Bool { index >= buffer.count }
        var peek: UInt8? { index < buffer.count ? buffer[index] : nil }

        func peek(at offset: Int) -> UInt8? {
            index + offset < buffer.count ? buffer[index + offset] : nil
        }

        mutating func skipBlanks() {
            while let byte = peek, byte == ASCII.space || byte == ASCII.tab { index += 1 }
        }

        /// Consumes LF, CRLF or CR and counts the line.
        mutating func consumeLineEnd() {
            if peek == ASCII.cr { index += 1 }
            if peek == ASCII.lf { index += 1 }
            line += 1
        }

        /// Reads a record of exactly `count` plain decimals separated by commas, and its line end, into
        /// `values` and moves past it; false, the cursor unmoved, for any other record. Every number is the
        /// one ``scanUnquoted()`` reads from the same cell.
        @inline(__always)
        mutating func readNumbers(_ count: Int, into values: UnsafeMutablePointer<Double>) -> Bool {
            let size = buffer.count
            var i = index
            for column in 0..<count {
                guard let (value, end) = DecimalParser.fastParse(buffer, from: i) else { return false }
                values[column] = value
                i = end
                if column + 1 < count {
                    guard i < size, buffer[i] == ASCII.comma else { return false }
                    i += 1
                }
            }
            if i < size {
                switch buffer[i] {
                case ASCII.lf:
                    i += 1
                case ASCII.cr:
                    i += i + 1 < size && buffer[i + 1] == ASCII.lf ? 2 : 1
                default:
                    return false
                }
                line += 1
            }
            index = i
            return true
        }

        /// The unquoted cell up to the next comma or line end, which the cursor moves to: its trimmed byte
        /// range and, when it is a plain decimal, its number, read in the same pass over its bytes.
        @inline(__always)
        mutating func scanUnquoted() -> Cell {
            let start = index
            let count = buffer.count
            if let (value, end) = DecimalParser.fastParse(buffer, from: start) {
                var i = end
                while i < count, buffer[i] == ASCII.space || buffer[i] == ASCII.tab { i += 1 }
                if i == count || buffer[i] == ASCII.comma || buffer[i] == ASCII.lf || buffer[i] == ASCII.cr {
                    index = i
                    return Cell(start: start, end: end, number: value, quoted: nil)
                }
            }
            var i = index
            while i < count {
                let byte = buffer[i]
                // Every byte that ends a cell is below 0x2D; most cell bytes (digits, letters) are above.
                if byte < 0x2D && (byte == ASCII.comma || byte == ASCII.cr || byte == ASCII.lf) { break }
                i += 1
            }
            index = i
            var end = i
            while end > start, buffer[end - 1] == ASCII.space || buffer[end - 1] == ASCII.tab { end -= 1 }
            return Cell(start: start, end: end, number: nil, quoted: nil)
        }
    }
}

// MARK: - Bytes

extension CSVScanner {
    /// The ASCII bytes CSV syntax is made of.
    enum ASCII {
        static let tab: UInt8 = 0x09
        static let lf: UInt8 = 0x0A
        static let cr: UInt8 = 0x0D
        static let space: UInt8 = 0x20
        static let quote: UInt8 = 0x22
        static let comma: UInt8 = 0x2C

        /// `text` without leading and trailing spaces and tabs.
        static func trimmed(_ text: String) -> String {
            let utf8 = text.utf8
            guard let first = utf8.firstIndex(where: { $0 != space && $0 != tab }),
                  let last = utf8.lastIndex(where: { $0 != space && $0 != tab })
            else { return "" }
            return String(text[first...last])
        }
    }
}
