/// One tensor's entry in a safetensors header: `"fc.weight": {"dtype": "F32", "shape": [2, 3],
/// "data_offsets": [0, 24]}` (offsets count from the start of the data section, end exclusive).
struct SafetensorsEntry {
    let name: String
    let dtype: SafetensorsDType
    let shape: [Int]
    let begin: Int
    let end: Int
}

/// The JSON header of a safetensors file, read by a parser that knows its one shape — an object of tensor
/// entries plus an optional `__metadata__` object of strings — and checked as safetensors checks it.
///
/// The parser is iterative (values it skips, under keys it does not know, may nest at most
/// ``maxDepth`` levels, serde_json's limit), rejects duplicate keys (which a generic JSON reader would
/// silently merge), and reports each problem with its byte offset in the header.
struct SafetensorsHeader {
    /// Tensors in data-offset order.
    let entries: [SafetensorsEntry]
    let metadata: [String: String]?

    /// How deep JSON may nest anywhere in the header.
    static let maxDepth = 128

    /// Parses `bytes` (the header, after the 8-byte length) and checks every entry against a data
    /// section of `dataSize` bytes. `path` names the file in errors.
    init(_ bytes: [UInt8], dataSize: Int, path: String) throws {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw SafetensorsError.invalidHeader(path: path, reason: "the header is not UTF-8 text")
        }
        var parser = HeaderParser(bytes: bytes, path: path)
        let (entries, metadata) = try parser.header()
        self.entries = try Self.checked(entries, dataSize: dataSize, path: path)
        self.metadata = metadata
    }

    /// safetensors' validation: in offset order, each tensor starts where the one before ends (the first at 0),
    /// spans exactly its shape's size, and the last ends where the data section ends.
    static func checked(_ entries: [SafetensorsEntry], dataSize: Int, path: String) throws -> [SafetensorsEntry] {
        func fail(_ entry: SafetensorsEntry, _ reason: String) -> SafetensorsError {
            .invalidTensor(path: path, name: entry.name, reason: reason)
        }
        var sizes: [String: Int] = [:]
        for entry in entries {
            let offsets = "data_offsets [\(entry.begin), \(entry.end)]"
            guard entry.end >= entry.begin else { throw fail(entry, "\(offsets) end before they begin") }
            var count = 1
            for extent in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                guard !overflow else { throw fail(entry, "shape \(entry.shape) overflows: it has more than \(Int.max) elements") }
                count = product
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: entry.dtype.size)
            guard !overflow else { throw fail(entry, "shape \(entry.shape) of \(entry.dtype.rawValue) overflows: more than \(Int.max) bytes") }
            sizes[entry.name] = bytes
        }
        let sorted = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var start = 0
        var previous: SafetensorsEntry?
        for entry in sorted {
            let offsets = "data_offsets [\(entry.begin), \(entry.end)]"
            if entry.begin < start, let previous {
                throw fail(entry, "\(offsets) overlap tensor \"\(previous.name)\" (data_offsets [\(previous.begin), \(previous.end)])")
            }
            if entry.begin > start {
                throw fail(entry, "\(offsets) leave bytes \(start)..<\(entry.begin) of the data section to no tensor")
            }
            guard entry.end <= dataSize else {
                throw fail(entry, "\(offsets) run past the end of the data section (\(dataSize) bytes)")
            }
            let bytes = sizes[entry.name]!
            guard entry.end - entry.begin == bytes else {
                throw fail(entry, "shape \(entry.shape) of \(entry.dtype.rawValue) takes \(bytes) bytes, but \(offsets) span \(entry.end - entry.begin)")
            }
            start = entry.end
            previous = entry
        }
        guard start == dataSize else { throw SafetensorsError.incompleteData(path: path, covered: start, dataSize: dataSize) }
        return sorted
    }
}

/// Reads the header's JSON byte by byte, without recursion.
private struct HeaderParser {
    let bytes: [UInt8]
    let path: String
    var position = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    mutating func header() throws -> ([SafetensorsEntry], [String: String]?) {
        skipWhitespace()
        guard peek == UInt8(ascii: "{") else {
            throw fail(position == bytes.count ? "the header is empty" : "the header is not a JSON object (it starts with \(found))")
        }
        position += 1
        var entries: [SafetensorsEntry] = []
        var metadata: [String: String]?
        var keys = Set<String>()
        try members(closing: "}") {
            let keyStart = $0.position
            let key = try $0.string("a tensor name")
            guard keys.insert(key).inserted else { throw $0.fail("duplicate key \"\(key)\"", at: keyStart) }
            try $0.expect(":", "after the key \"\(key)\"")
            if key == "__metadata__" {
                metadata = try $0.stringMap()
            } else {
                entries.append(try $0.entry(named: key))
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected \(found) after the header's JSON object") }
        return (entries, metadata)
    }

    /// `"__metadata__": {"format": "pt"}`: string values only.
    mutating func stringMap() throws -> [String: String] {
        try expect("{", "for __metadata__ (an object of strings)")
        var map: [String: String] = [:]
        try members(closing: "}") {
            let keyStart = $0.position
            let key = try $0.string("a __metadata__ key")
            guard map[key] == nil else { throw $0.fail("duplicate __metadata__ key \"\(key)\"", at: keyStart) }
            try $0.expect(":", "after the __metadata__ key \"\(key)\"")
            map[key] = try $0.string("the __metadata__ value of \"\(key)\"")
        }
        return map
    }

    /// `{"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}`; other keys are skipped, as safetensors skips them.
    mutating func entry(named name: String) throws -> SafetensorsEntry {
        try expect("{", "for tensor \"\(name)\" (an object with dtype, shape and data_offsets)")
        var dtype: SafetensorsDType?
        var shape: [Int]?
        var offsets: [Int]?
        try members(closing: "}") {
            let keyStart = $0.position
            let key = try $0.string("a field of tensor \"\(name)\"")
            try $0.expect(":", "after \"\(key)\" of tensor \"\(name)\"")
            switch key {
            case "dtype":
                guard dtype == nil else { throw $0.fail("tensor \"\(name)\" has two dtype fields", at: keyStart) }
                let valueStart = $0.position
                let text = try $0.string("the dtype of tensor \"\(name)\"")
                guard let known = SafetensorsDType(rawValue: text) else {
                    let names = SafetensorsDType.allCases.reversed().map(\.rawValue).joined(separator: ", ")
                    throw $0.fail("tensor \"\(name)\" has dtype \"\(text)\", which nnviz does not read (it reads \(names))", at: valueStart)
                }
                dtype = known
            case "shape":
                guard shape == nil else { throw $0.fail("tensor \"\(name)\" has two shape fields", at: keyStart) }
                shape = try $0.integers("the shape of tensor \"\(name)\"")
            case "data_offsets":
                guard offsets == nil else { throw $0.fail("tensor \"\(name)\" has two data_offsets fields", at: keyStart) }
                let valueStart = $0.position
                let pair = try $0.integers("the data_offsets of tensor \"\(name)\"")
                guard pair.count == 2 else {
                    throw $0.fail("the data_offsets of tensor \"\(name)\" are \(pair.count) numbers, not 2 (begin, end)", at: valueStart)
                }
                offsets = pair
            default:
                try $0.skipValue(depth: 2)
            }
        }
        guard let dtype else { throw fail("tensor \"\(name)\" has no dtype") }
        guard let shape else { throw fail("tensor \"\(name)\" has no shape") }
        guard let offsets else { throw fail("tensor \"\(name)\" has no data_offsets") }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    /// `[2, 3]`: non-negative integers that fit in `Int`.
    mutating func integers(_ what: String) throws -> [Int] {
        try expect("[", "for \(what) (a list of integers)")
        var values: [Int] = []
        try members(closing: "]") { values.append(try $0.integer(what)) }
        return values
    }

    mutating func integer(_ what: String) throws -> Int {
        skipWhitespace()
        let start = position
        if peek == UInt8(ascii: "-") { throw fail("\(what) has a negative number") }
        guard let first = peek, isDigit(first) else { throw fail("expected a number in \(what), found \(found)") }
        var value = 0
        while let digit = peek, isDigit(digit) {
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflowShift, !overflowAdd else { throw fail("a number in \(what) is larger than \(Int.max)", at: start) }
            value = sum
            position += 1
        }
        if first == UInt8(ascii: "0"), position - start > 1 { throw fail("a number in \(what) has a leading zero", at: start) }
        if let next = peek, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw fail("a number in \(what) is not an integer", at: start)
        }
        return value
    }

    // MARK: - JSON

    /// The members of an object or array whose opening bracket was just read: calls `member` for each,
    /// with the separating commas between and `closing` after.
    mutating func members(closing: Unicode.Scalar, _ member: (inout HeaderParser) throws -> Void) throws {
        skipWhitespace()
        if peek == UInt8(ascii: closing) { position += 1; return }
        while true {
            try member(&self)
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: closing): position += 1; return
            default: throw fail("expected ',' or '\(closing)', found \(found)")
            }
        }
    }

    /// Skips one JSON value of any kind, nested at most to ``SafetensorsHeader/maxDepth`` counting the
    /// `depth` it already stands at. Iterative: the open brackets are a stack.
    mutating func skipValue(depth: Int) throws {
        var open: [UInt8] = []
        while true {
            // A value starts here.
            skipWhitespace()
            switch peek {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth + open.count < SafetensorsHeader.maxDepth else {
                    throw fail("JSON nested deeper than \(SafetensorsHeader.maxDepth) levels")
                }
                let bracket = bytes[position]
                position += 1
                skipWhitespace()
                let closing = bracket == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if peek != closing {
                    open.append(bracket)
                    if bracket == UInt8(ascii: "{") { try key() }
                    continue
                }
                position += 1
            case UInt8(ascii: "\""):
                _ = try string("a string")
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
            // The value ended: close what ends here, or go on to the next member.
            while let bracket = open.last {
                skipWhitespace()
                let closing = bracket == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if peek == closing {
                    position += 1
                    open.removeLast()
                } else if peek == UInt8(ascii: ",") {
                    position += 1
                    if bracket == UInt8(ascii: "{") { try key() }
                    break
                } else {
                    throw fail("expected ',' or '\(Unicode.Scalar(closing))', found \(found)")
                }
            }
            if open.isEmpty { return }
        }
    }

    private mutating func key() throws {
        _ = try string("an object key")
        try expect(":", "after an object key")
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<(position + expected.count)]) == expected else {
            throw fail("expected a JSON value, found \(found)")
        }
        position += expected.count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws {
        let start = position
        func digits(_ parser: inout HeaderParser) -> Int {
            let from = parser.position
            while let d = parser.peek, parser.isDigit(d) { parser.position += 1 }
            return parser.position - from
        }
        if peek == UInt8(ascii: "-") { position += 1 }
        let first = peek
        guard digits(&self) > 0 else { throw fail("expected a JSON value, found \(found)", at: start) }
        if first == UInt8(ascii: "0"), position - start > (bytes[start] == UInt8(ascii: "-") ? 2 : 1) {
            throw fail("a number has a leading zero", at: start)
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw fail("a number has no digits after its '.'", at: start) }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw fail("a number has no digits in its exponent", at: start) }
        }
    }

    /// A JSON string with its escapes resolved (`\uD83D\uDE00` pairs included).
    mutating func string(_ what: String) throws -> String {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw fail("expected a string for \(what), found \(found)") }
        let start = position
        position += 1
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw fail("the string starting here never ends", at: start) }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &text)
            case 0..<0x20:
                throw fail("a string holds the control character 0x\(String(byte, radix: 16)) unescaped", at: position - 1)
            default:
                text.append(byte)
            }
        }
    }

    private mutating func escape(into text: inout [UInt8]) throws {
        let start = position - 1
        guard let kind = peek else { throw fail("the header ends inside an escape", at: start) }
        position += 1
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        if let byte = simple[kind] {
            text.append(byte)
            return
        }
        guard kind == UInt8(ascii: "u") else { throw fail("invalid escape '\\\(Unicode.Scalar(kind))'", at: start) }
        var value = try hex4(start)
        if (0xD800..<0xDC00).contains(value) {
            guard peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw fail("a \\u escape holds a lone surrogate", at: start)
            }
            position += 2
            let low = try hex4(start)
            guard (0xDC00..<0xE000).contains(low) else { throw fail("a \\u escape holds a lone surrogate", at: start) }
            value = 0x10000 + (value - 0xD800) << 10 + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw fail("a \\u escape holds a lone surrogate", at: start)
        }
        text.append(contentsOf: Array(String(Character(Unicode.Scalar(value)!)).utf8))
    }

    private mutating func hex4(_ start: Int) throws -> UInt32 {
        guard bytes.count - position >= 4,
              let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16),
              bytes[position..<(position + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
            throw fail("a \\u escape needs four hex digits", at: start)
        }
        position += 4
        return value
    }

    // MARK: - Bytes

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// What stands at the current position, for messages: `'['`, `end of header`.
    var found: String {
        guard let byte = peek else { return "the end of the header" }
        return byte >= 0x20 && byte < 0x7F ? "'\(Unicode.Scalar(byte))'" : "byte 0x\(String(byte, radix: 16))"
    }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    mutating func expect(_ scalar: Unicode.Scalar, _ context: String) throws {
        skipWhitespace()
        guard peek == UInt8(ascii: scalar) else { throw fail("expected '\(scalar)' \(context), found \(found)") }
        position += 1
    }

    func fail(_ reason: String, at offset: Int? = nil) -> SafetensorsError {
        .invalidHeader(path: path, reason: "\(reason) (header byte \(offset ?? position))")
    }
}
