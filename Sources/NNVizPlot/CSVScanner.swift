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
    /// its decoded content.
    struct Cell {
        var start: Int
        var end: Int
        var quoted: String?

        /// The cell's text.
        func text(in buffer: UnsafeBufferPointer<UInt8>) -> String {
            quoted ?? String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        }

        /// Whether the cell holds nothing (blank, or `""`).
        var isEmpty: Bool { quoted?.isEmpty ?? (start == end) }
    }

    /// Calls `body` with each non-blank record: the 1-based line it starts on, the file's bytes and the
    /// record's cells (valid during the call only).
    func forEachRecord(_ body: (_ line: Int, _ buffer: UnsafeBufferPointer<UInt8>, _ cells: [Cell]) throws -> Void) throws {
        try validateUTF8()
        try bytes.withUnsafeBufferPointer { buffer in
            var cursor = Cursor(buffer: buffer, index: Self.hasByteOrderMark(bytes) ? 3 : 0)
            var cells: [Cell] = []
            while !cursor.atEnd {
                let line = cursor.line
                cells.removeAll(keepingCapacity: true)
                try scanRecord(&cursor, into: &cells)
                if cells.count == 1 && cells[0].isEmpty { continue }
                try body(line, buffer, cells)
            }
        }
    }

    static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    // MARK: - Records

    private func scanRecord(_ cursor: inout Cursor, into cells: inout [Cell]) throws {
        while true {
            cursor.skipBlanks()
            if cursor.peek == ASCII.quote {
                cells.append(Cell(start: cursor.index, end: cursor.index,
                                  quoted: try scanQuoted(&cursor, column: cells.count + 1)))
            } else {
                let (start, end) = cursor.scanUnquoted()
                cells.append(Cell(start: start, end: end, quoted: nil))
            }
            switch cursor.peek {
            case ASCII.comma:
                cursor.index += 1
            case nil:
                return
            default:
                cursor.consumeLineEnd()
                return
            }
        }
    }

    private func scanQuoted(_ cursor: inout Cursor, column: Int) throws -> String {
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

        /// The trimmed byte range up to the next comma or line end, which the cursor moves to.
        mutating func scanUnquoted() -> (start: Int, end: Int) {
            let start = index
            let count = buffer.count
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
            return (start, end)
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
