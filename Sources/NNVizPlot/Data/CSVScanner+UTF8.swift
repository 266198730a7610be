extension CSVScanner {
    /// Throws ``CSVError/invalidUTF8(file:line:byte:offset:value:)`` at the first byte sequence that is not
    /// well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    func validateUTF8() throws {
        guard let offset = Self.firstInvalidUTF8(bytes) else { return }
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            let byte = bytes[index]
            index += 1
            if byte == ASCII.lf || (byte == ASCII.cr && (index >= bytes.count || bytes[index] != ASCII.lf)) {
                line += 1
                lineStart = index
            }
        }
        throw CSVError.invalidUTF8(file: file, line: line, byte: offset - lineStart + 1, offset: offset,
                                   value: bytes[offset])
    }

    /// Whether the bytes of `range` are well-formed UTF-8 (a range that starts and ends at line starts, as the
    /// blocks of ``blockStarts(parts:)`` do, cuts no sequence).
    func isValidUTF8(in range: Range<Int>) -> Bool {
        Self.firstInvalidUTF8(bytes, in: range) == nil
    }

    /// The offset where the first ill-formed sequence starts, or `nil` if all of `bytes` (or of `range` in them)
    /// is UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8], in range: Range<Int>? = nil) -> Int? {
        bytes.withUnsafeBufferPointer { whole in
            let buffer = UnsafeBufferPointer(rebasing: whole[range ?? whole.indices])
            return firstInvalidUTF8(buffer).map { $0 + (range?.lowerBound ?? 0) }
        }
    }

    private static func firstInvalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = buffer.count
        let base = UnsafeRawPointer(buffer.baseAddress)
        while index < count {
            // Thirty-two ASCII bytes at a time, then eight.
            if let base, index + 32 <= count {
                let any = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                if any & 0x8080_8080_8080_8080 == 0 {
                    index += 32
                    continue
                }
            }
            if let base, index + 8 <= count,
               base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = buffer[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return index
            }
            guard index + length <= count, secondRange.contains(buffer[index + 1]) else { return index }
            for next in (index + 2)..<(index + length) where !(0x80...0xBF).contains(buffer[next]) {
                return index
            }
            index += length
        }
        return nil
    }
}
