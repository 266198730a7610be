/// Reads a decimal number from bytes, correctly rounded to the nearest `Double` (ties to even) as `strtod` is.
///
/// Plain decimals (`-12.5`, `3e-7`, `0.30000000000000004`, up to 19 significant digits) take two fast paths:
/// Clinger's exact one (a mantissa below 2⁵³ times or over an exactly representable power of ten), then
/// Eisel–Lemire (a 64×128-bit product with a table of powers of ten, as in Go's `strconv` and Lemire's
/// `fast_float`), which gives up rather than guess when the product cannot decide the rounding. Everything else —
/// more digits, subnormal or overflowing results, an undecidable product, hexadecimal, `inf`, `nan` and any text
/// that is not a number — is left to Swift's `Double(_:)` (`strtod`) by the caller (``CSVScanner`` reads each
/// unquoted cell with it while scanning, ``CSVTable`` asks `Double(_:)` about the rest), so the answers are exactly
/// `Double(_:)`'s.
///
/// ```swift
/// let bytes = Array("0.1,2".utf8)
/// bytes.withUnsafeBufferPointer { DecimalParser.fastParse($0, from: 0) }   // Optional((value: 0.1, end: 3))
/// ```
enum DecimalParser {
    /// The plain decimal that starts at `bytes[start]` and where it ends (the index of the first byte after it,
    /// which the caller checks ends the cell), or nil when there is none there or the fast paths cannot decide:
    /// the caller then asks `Double(_:)` about the whole cell.
    @inline(__always)
    static func fastParse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: Double, end: Int)? {
        let count = bytes.count
        var i = start
        guard i < count else { return nil }
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }

        // All digits go into the mantissa (leading zeros add nothing to it); it wraps only past 19 significant
        // digits, which the count afterwards turns away.
        let digitsStart = i
        var mantissa: UInt64 = 0
        readDigits(bytes, &i, into: &mantissa)
        var digits = i - digitsStart
        var exponent = 0
        if i < count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            readDigits(bytes, &i, into: &mantissa)
            exponent = fractionStart - i
            digits += i - fractionStart
        }
        guard digits > 0 else { return nil }
        if digits > 19 {
            var leadingZeros = 0
            var j = digitsStart
            while j < i, bytes[j] == UInt8(ascii: "0") || bytes[j] == UInt8(ascii: ".") {
                if bytes[j] == UInt8(ascii: "0") { leadingZeros += 1 }
                j += 1
            }
            guard digits - leadingZeros <= 19 else { return nil }
        }
        if i < count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                negativeExponent = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            var sawExponentDigit = false
            while i < count, case let digit = bytes[i] &- 48, digit < 10 {
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(digit) }
                i += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += negativeExponent ? -written : written
        }
        if mantissa == 0 { return (negative ? -0.0 : 0.0, i) }
        if let value = clinger(mantissa, exponent) { return (negative ? -value : value, i) }
        guard let bits = eiselLemire(mantissa, exponent) else { return nil }
        return (Double(bitPattern: bits | (negative ? 1 << 63 : 0)), i)
    }

    // MARK: - Digits

    /// Reads the run of ASCII digits at `bytes[i]` into `mantissa` (times ten per digit, wrapping) and moves `i`
    /// past it: eight bytes at a time while eight remain (as `fast_float` does), then byte by byte.
    @inline(__always)
    private static func readDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, into mantissa: inout UInt64) {
        let count = bytes.count
        if let base = bytes.baseAddress {
            while i + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let digits = leadingDigits(word)
                guard digits > 0 else { return }
                guard digits < 8 else {
                    mantissa = mantissa &* 100_000_000 &+ eightDigits(word)
                    i += 8
                    continue
                }
                // The digits moved to the top bytes, zero bytes (read as leading zeros) below them.
                mantissa = mantissa &* smallPowers[digits] &+ eightDigits(word << UInt64(64 - 8 * digits))
                i += digits
                return
            }
        }
        while i < count, case let digit = bytes[i] &- 48, digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
    }

    /// 10⁰ … 10⁷.
    private static let smallPowers: [UInt64] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000]

    /// How many of the eight bytes of `word` (the first in its low byte) are ASCII digits before the first that is not.
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> Int {
        // Digits become 0…9; a byte is not a digit when it is above 9 (adding 0x76 sets its top bit) or has its
        // top bit set already. Masking the top bit first keeps each byte's sum from carrying into the next.
        let offset = word ^ 0x3030_3030_3030_3030
        let notDigit = (((offset & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | offset) & 0x8080_8080_8080_8080
        return notDigit.trailingZeroBitCount / 8
    }

    /// The number eight bytes spell, the first in the low byte the most significant; each byte is an ASCII digit or
    /// zero (a leading zero). Three multiplications, from `fast_float`'s `parse_eight_digits_unrolled`.
    @inline(__always)
    static func eightDigits(_ word: UInt64) -> UInt64 {
        var value = word & 0x0F0F_0F0F_0F0F_0F0F
        value = value &* 10 &+ (value >> 8)
        let pairs: UInt64 = 0x0000_00FF_0000_00FF
        value = ((value & pairs) &* 0x000F_4240_0000_0064 &+ ((value >> 16) & pairs) &* 0x0000_2710_0000_0001) >> 32
        return value & 0xFFFF_FFFF
    }

    // MARK: - Clinger's fast path

    /// The powers of ten a `Double` holds exactly.
    private static let exactPowers: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// `mantissa × 10^exponent` when both factors are exact doubles: one correctly rounded operation.
    @inline(__always)
    private static func clinger(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        guard mantissa <= 1 << 53, (-22...22).contains(exponent) else { return nil }
        let m = Double(mantissa)
        return exponent < 0 ? m / exactPowers[-exponent] : m * exactPowers[exponent]
    }

    // MARK: - Eisel–Lemire

    /// The bits of the positive double nearest `mantissa × 10^exponent` (`mantissa` > 0), or nil when the
    /// 128-bit product cannot settle the rounding or the result is subnormal or infinite.
    @inline(__always)
    static func eiselLemire(_ mantissa: UInt64, _ exponent: Int) -> UInt64? {
        guard exponent >= minPowerOfTen, exponent <= maxPowerOfTen else { return nil }
        let leadingZeros = mantissa.leadingZeroBitCount
        let man = mantissa << leadingZeros
        // floor(log2(10) × exponent) + 64 + the exponent bias, less the normalising shift.
        var exponent2 = ((217_706 &* exponent) >> 16) + 64 + 1023 - leadingZeros
        let index = 2 * (exponent - minPowerOfTen)
        var (high, low) = man.multipliedFullWidth(by: powersOfTen[index])
        // The table entry was rounded down: when the low bits of the 64-bit product are all ones, the carry
        // from the entry's lower half may change them, so take that half into account.
        if high & 0x1FF == 0x1FF && low &+ man < man {
            let (high2, low2) = man.multipliedFullWidth(by: powersOfTen[index + 1])
            var mergedHigh = high
            let mergedLow = low &+ high2
            if mergedLow < low { mergedHigh &+= 1 }
            if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && low2 &+ man < man { return nil }
            high = mergedHigh
            low = mergedLow
        }
        let top = Int(high >> 63)
        var result = high >> UInt64(top + 9)
        exponent2 -= 1 ^ top
        // Exactly halfway between two doubles (as far as 128 bits tell): leave it to strtod.
        if low == 0 && high & 0x1FF == 0 && result & 3 == 1 { return nil }
        result += result & 1
        result >>= 1
        if result >> 53 > 0 {
            result >>= 1
            exponent2 += 1
        }
        guard exponent2 > 0 && exponent2 < 0x7FF else { return nil }
        return UInt64(exponent2) << 52 | (result & 0x000F_FFFF_FFFF_FFFF)
    }
}
