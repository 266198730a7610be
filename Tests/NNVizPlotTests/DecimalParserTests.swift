import Testing
@testable import NNVizPlot

/// The fast decimal parser, with `Double(_:)` (`strtod`, correctly rounded) as the oracle: what the CSV reader
/// computes is `fastParse(cell) ?? Double(cell)`, and it must equal `Double(cell)` bit for bit.
@Suite struct DecimalParserTests {
    /// The fast parse of all of `text`: nil when it cannot decide or the number ends before the text does.
    private func fast(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            DecimalParser.fastParse(bytes, from: 0).flatMap { $0.end == bytes.count ? $0.value : nil }
        }
    }

    /// The fast parse of `text` followed by more of a CSV row (so that eight bytes at a time are read across its
    /// end): nil when it cannot decide or the number does not end where `text` does.
    private func fastInRow(_ text: String) -> Double? {
        Array((text + ",0.5\n").utf8).withUnsafeBufferPointer { bytes in
            DecimalParser.fastParse(bytes, from: 0).flatMap { $0.end == text.utf8.count ? $0.value : nil }
        }
    }

    /// Whether the reader gets what `strtod` gets for `text`, bit for bit, alone and inside a row.
    private func readsAsStrtod(_ text: String) -> Bool {
        let oracle = Double(text)
        return [fast(text) ?? oracle, fastInRow(text) ?? oracle].allSatisfy { read in
            read?.bitPattern == oracle?.bitPattern || (read?.isNaN == true && oracle?.isNaN == true)
        }
    }

    @Test func eightDigitsAtATime() {
        let word = { (text: String) in Array(text.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }
        #expect(DecimalParser.leadingDigits(word("12345678")) == 8)
        #expect(DecimalParser.leadingDigits(word("1234567,")) == 7)
        #expect(DecimalParser.leadingDigits(word("30.02136")) == 2)
        #expect(DecimalParser.leadingDigits(word(".0213600")) == 0)
        #expect(DecimalParser.leadingDigits(word("9:/0\u{7F}\u{B9}\0\n")) == 1)   // ':' and '/' border the digits
        #expect(DecimalParser.eightDigits(word("12345678")) == 12_345_678)
        #expect(DecimalParser.eightDigits(word("00000009")) == 9)
        #expect(DecimalParser.eightDigits(word("99999999")) == 99_999_999)
        #expect(DecimalParser.eightDigits(word("12345678") << 40) == 123)   // three digits, five zero bytes below
        #expect(fastInRow("30.02136") == 30.02136 && fastInRow("0.003210221") == 0.003210221)
        #expect(fastInRow("123456789012345678") == 123456789012345678)
    }

    @Test func plainDecimalsTakeTheFastPath() {
        #expect(fast("0.1") == 0.1)
        #expect(fast("-12.5") == -12.5)
        #expect(fast("+3e-7") == 3e-7)
        #expect(fast("1.") == 1)
        #expect(fast(".5") == 0.5)
        #expect(fast("0.30000000000000004") == 0.30000000000000004)
        #expect(fast("1.7976931348623157e308") == .greatestFiniteMagnitude)
        #expect(fast("2.2250738585072014E-308") == .leastNormalMagnitude)
        #expect(fast("9007199254740995") == 9007199254740996)   // 2^53 + 3: a tie, to even, decided by 128 bits
        #expect(fast("123456789012345678e-5") == 1234567890123.45678)
        #expect(fast("-0")?.bitPattern == (-0.0).bitPattern)
        #expect(fast("0e999")?.bitPattern == 0.0.bitPattern)
        #expect(fast("0.000") == 0)
    }

    @Test func readsFromAnOffsetAndSaysWhereTheNumberEnds() {
        Array("x,-1.25e2,7 ".utf8).withUnsafeBufferPointer { bytes in
            #expect(DecimalParser.fastParse(bytes, from: 0) == nil)
            #expect(DecimalParser.fastParse(bytes, from: 2).map { [$0.value, Double($0.end)] } == [-125, 9])
            #expect(DecimalParser.fastParse(bytes, from: 10).map { [$0.value, Double($0.end)] } == [7, 11])
            #expect(DecimalParser.fastParse(bytes, from: 12) == nil)
        }
    }

    @Test func whatItCannotDecideIsLeftToStrtod() {
        for text in ["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "0x1p3", "inf", "-Infinity",
                     "nan", "NaN", "1e400", "4.9e-324", "2.4703282292062327e-324", "1234567890123456789012",
                     "1.00000000000000000000001",
                     "9007199254740993"] {   // 2^53 + 1: exactly halfway as far as 128 bits tell
            #expect(fast(text) == nil, "\(text)")
        }
    }

    @Test func hardCasesMatchStrtod() {
        let cases = [
            // Halfway between two doubles, and one digit either side of halfway.
            "9007199254740993", "9007199254740995", "9007199254740994.9999", "9007199254740993.0000001",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.0000000000000001110223024625156540423631668090820312", "1.0000000000000001110223024625156540423631668090820313",
            "0.1000000000000000055511151231257827021181583404541015625",
            // 17 to 19 significant digits, and more.
            "0.30000000000000004", "3.1415926535897932", "2.7182818284590452354", "1.2345678901234567890123",
            "18446744073709551615", "18446744073709551616", "9999999999999999999", "99999999999999999999",
            // Subnormals and the limits of the exponent.
            "4.9406564584124654e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-323", "5e-324",
            "2.2250738585072009e-308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "1e308", "1e309", "1e400", "-1e400", "1e-400", "1e-350", "1e-342", "1e-343", "1e-348", "1e-349", "1e347",
            "1e22", "1e23", "8.988465674311579e307", "7e-10", "1e-5", "123456.789e-300",
            // Signs, zeros and other spellings.
            "-0", "+0", "-0.0", "0e-999999", "1e+5", "1E5", "-inf", "inf", "+Inf", "INFINITY", "nan", "-nan", "NaN",
            "0x1.8p1", "1_000", "١",
        ]
        #expect(cases.filter { !readsAsStrtod($0) } == [])
    }

    @Test func randomDecimalsMatchStrtod() {
        var rng = TestRandom(state: 17)
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let digits = 1 + Int(rng.next() * 19)
            var mantissa = ""
            for position in 0..<digits {
                let digit = Int(rng.next() * 10)
                mantissa += String(position == 0 && digits > 1 ? max(digit, 1) : digit)
            }
            let point = Int(rng.next() * Double(digits + 1))
            var text = String(mantissa.prefix(point)) + "." + String(mantissa.dropFirst(point))
            if rng.next() < 0.5 { text += "e\(Int(rng.next() * 700) - 350)" }
            if rng.next() < 0.3 { text = "-" + text }
            if !readsAsStrtod(text) { mismatches.append(text) }
        }
        // Shortest round-trip forms of random doubles over the whole range.
        for _ in 0..<100_000 {
            let bits = UInt64(rng.next() * 0x7FE0_0000_0000_0000) & 0x7FFF_FFFF_FFFF_FFFF
            let value = Double(bitPattern: bits)
            guard value.isFinite else { continue }
            if !readsAsStrtod(value.description) || fast(value.description) ?? Double(value.description) != value {
                mismatches.append(value.description)
            }
        }
        #expect(mismatches == [])
    }
}
