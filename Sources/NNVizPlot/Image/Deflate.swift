/// A fast zlib (RFC 1950/1951) compressor for filtered PNG scanlines.
///
/// It finds only runs (matches at distance 1, zlib's `Z_RLE` strategy) and codes them with per-block
/// dynamic Huffman tables. Chart images are mostly long runs of identical filtered bytes, so this compresses
/// them nearly as well as zlib's default level at a small fraction of the time.
enum Deflate {
    /// `data` as a zlib stream.
    static func zlib(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var writer = BitWriter(prefix: [0x78, 0x01], capacity: data.count / 8)
        var tokens: [UInt32] = []
        tokens.reserveCapacity(blockTokens + 2)
        var i = 0
        let n = data.count
        let bytes = data.baseAddress.map(UnsafeRawPointer.init)
        repeat {
            tokens.removeAll(keepingCapacity: true)
            while i < n && tokens.count < blockTokens {
                if i > 0, let bytes {
                    let run = runLength(bytes, at: i, count: n)
                    if run >= 3 {
                        tokens.append(matchFlag | UInt32(run))
                        i += run
                        continue
                    }
                }
                tokens.append(UInt32(data[i]))
                i += 1
            }
            writeBlock(tokens, final: i >= n, to: &writer)
        } while i < n
        var stream = writer.finish()
        stream.appendBigEndian(adler32(data))
        return stream
    }

    private static let blockTokens = 1 << 16

    /// How many bytes from `i` (at most 258) repeat the byte before `i`, compared eight at a time.
    @inline(__always)
    private static func runLength(_ bytes: UnsafeRawPointer, at i: Int, count n: Int) -> Int {
        let previous = bytes.load(fromByteOffset: i - 1, as: UInt8.self)
        let limit = min(258, n - i)
        let pattern = UInt64(previous) &* 0x0101_0101_0101_0101
        var run = 0
        while run + 8 <= limit {
            let word = bytes.loadUnaligned(fromByteOffset: i + run, as: UInt64.self)
            if word != pattern {
                return run + ((word ^ pattern).littleEndian.trailingZeroBitCount >> 3)
            }
            run += 8
        }
        while run < limit && bytes.load(fromByteOffset: i + run, as: UInt8.self) == previous { run += 1 }
        return run
    }
    /// Marks a token as a run of `token & 0xffff` copies of the previous byte.
    private static let matchFlag: UInt32 = 1 << 31

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                            67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
                                             5, 5, 5, 5, 0]
    /// Length code index (0…28) for each match length 3…258.
    private static let lengthCode: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 259)
        for code in 0..<29 {
            let top = code == 28 ? 258 : lengthBase[code] + (1 << lengthExtra[code]) - 1
            for length in lengthBase[code]...min(top, 258) { table[length] = UInt8(code) }
        }
        table[258] = 28
        return table
    }()
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    // MARK: - Blocks

    private static func writeBlock(_ tokens: [UInt32], final: Bool, to writer: inout BitWriter) {
        // Local copies: reading a static array in the loops below would re-check its lazy initialisation.
        let lengthCode = Deflate.lengthCode, lengthBase = Deflate.lengthBase, lengthExtra = Deflate.lengthExtra
        var literalCounts = [Int](repeating: 0, count: 286)
        for token in tokens {
            if token & matchFlag != 0 {
                literalCounts[257 + Int(lengthCode[Int(token & 0xffff)])] += 1
            } else {
                literalCounts[Int(token)] += 1
            }
        }
        literalCounts[256] = 1
        let literalLengths = huffmanLengths(literalCounts, limit: 15)
        let distanceLengths: [Int] = [1]
        let literalCodes = canonicalCodes(literalLengths)

        let hlit = max(257, (literalLengths.lastIndex { $0 > 0 } ?? 256) + 1)
        let lengths = Array(literalLengths[..<hlit]) + distanceLengths
        // Run-length code the code lengths (symbols 16, 17, 18).
        var symbols: [(symbol: Int, extra: Int, bits: Int)] = []
        var k = 0
        while k < lengths.count {
            let value = lengths[k]
            var run = 1
            while k + run < lengths.count && lengths[k + run] == value { run += 1 }
            var remaining = run
            if value == 0 {
                while remaining >= 11 { let r = min(remaining, 138); symbols.append((18, r - 11, 7)); remaining -= r }
                if remaining >= 3 { symbols.append((17, remaining - 3, 3)); remaining = 0 }
            } else {
                symbols.append((value, 0, 0)); remaining -= 1
                while remaining >= 3 { let r = min(remaining, 6); symbols.append((16, r - 3, 2)); remaining -= r }
            }
            for _ in 0..<remaining { symbols.append((value, 0, 0)) }
            k += run
        }
        var codeLengthCounts = [Int](repeating: 0, count: 19)
        for s in symbols { codeLengthCounts[s.symbol] += 1 }
        let codeLengthLengths = huffmanLengths(codeLengthCounts, limit: 7)
        let codeLengthCodes = canonicalCodes(codeLengthLengths)
        let hclen = max(4, (codeLengthOrder.lastIndex { codeLengthLengths[$0] > 0 } ?? 0) + 1)

        writer.write(final ? 1 : 0, bits: 1)
        writer.write(2, bits: 2)
        writer.write(UInt64(hlit - 257), bits: 5)
        writer.write(UInt64(distanceLengths.count - 1), bits: 5)
        writer.write(UInt64(hclen - 4), bits: 4)
        for index in codeLengthOrder.prefix(hclen) { writer.write(UInt64(codeLengthLengths[index]), bits: 3) }
        for s in symbols {
            writer.write(codeLengthCodes[s.symbol], bits: codeLengthLengths[s.symbol])
            if s.bits > 0 { writer.write(UInt64(s.extra), bits: s.bits) }
        }
        let distanceCode: UInt64 = 0
        for token in tokens {
            if token & matchFlag != 0 {
                let length = Int(token & 0xffff)
                let code = Int(lengthCode[length])
                writer.write(literalCodes[257 + code], bits: literalLengths[257 + code])
                if lengthExtra[code] > 0 { writer.write(UInt64(length - lengthBase[code]), bits: lengthExtra[code]) }
                writer.write(distanceCode, bits: distanceLengths[0])
            } else {
                writer.write(literalCodes[Int(token)], bits: literalLengths[Int(token)])
            }
        }
        writer.write(literalCodes[256], bits: literalLengths[256])
    }

    // MARK: - Huffman codes

    /// Code lengths for symbol `counts`, no longer than `limit` bits (frequencies are halved until they fit).
    static func huffmanLengths(_ counts: [Int], limit: Int) -> [Int] {
        var weights = counts
        while true {
            let lengths = unlimitedLengths(weights)
            if (lengths.max() ?? 0) <= limit { return lengths }
            weights = weights.map { $0 == 0 ? 0 : max(1, $0 / 2) }
        }
    }

    private static func unlimitedLengths(_ counts: [Int]) -> [Int] {
        var lengths = [Int](repeating: 0, count: counts.count)
        let used = counts.indices.filter { counts[$0] > 0 }
        if used.count == 1 { lengths[used[0]] = 1; return lengths }
        if used.isEmpty { return lengths }
        // Nodes: leaves then internal; a sorted list merged two at a time (few symbols, so simple is fast).
        var weight = used.map { counts[$0] }
        var parent = [Int](repeating: -1, count: used.count)
        var queue = Array(used.indices).sorted { weight[$0] < weight[$1] }
        while queue.count > 1 {
            let a = queue.removeFirst(), b = queue.removeFirst()
            let node = weight.count
            weight.append(weight[a] + weight[b])
            parent.append(-1)
            parent[a] = node
            parent[b] = node
            let position = queue.firstIndex { weight[$0] > weight[node] } ?? queue.count
            queue.insert(node, at: position)
        }
        for (leaf, symbol) in used.enumerated() {
            var depth = 0, node = leaf
            while parent[node] >= 0 { node = parent[node]; depth += 1 }
            lengths[symbol] = depth
        }
        return lengths
    }

    /// Canonical Huffman codes for `lengths`, bit-reversed for deflate's least-significant-bit-first order.
    static func canonicalCodes(_ lengths: [Int]) -> [UInt64] {
        let maxLength = lengths.max() ?? 0
        var countPerLength = [Int](repeating: 0, count: maxLength + 1)
        for l in lengths where l > 0 { countPerLength[l] += 1 }
        var next = [Int](repeating: 0, count: maxLength + 2)
        var code = 0
        if maxLength >= 1 {
            for bits in 1...maxLength {
                code = (code + countPerLength[bits - 1]) << 1
                next[bits] = code
            }
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            let c = next[length]
            next[length] += 1
            var reversed: UInt64 = 0
            for bit in 0..<length where c & (1 << bit) != 0 { reversed |= 1 << UInt64(length - 1 - bit) }
            return reversed
        }
    }

    // MARK: - Checksums

    static func adler32(_ data: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let base = data.baseAddress else { return 1 }
        let bytes = UnsafeRawPointer(base)
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        while i < data.count {
            let end = min(i + 5552, data.count)
            while i + 8 <= end {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if word == 0 {
                    // Filtered chart rows are mostly zeros: eight zero bytes only add 8a to b.
                    b &+= 8 &* a
                } else {
                    // Eight bytes: b gains 8a plus the bytes weighted 8, 7, …, 1.
                    var sum: UInt32 = 0, weighted: UInt32 = 0
                    for k in 0..<8 {
                        let byte = UInt32(truncatingIfNeeded: word >> UInt64(8 * k)) & 0xff
                        sum &+= byte
                        weighted &+= UInt32(8 - k) &* byte
                    }
                    b &+= 8 &* a &+ weighted
                    a &+= sum
                }
                i += 8
            }
            while i < end {
                a &+= UInt32(base[i])
                b &+= a
                i += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }
}

/// Collects bits least significant first, as deflate wants, 64 at a time.
struct BitWriter {
    private var words: [UInt64] = []
    private var buffer: UInt64 = 0
    private var count = 0

    /// Bytes written before the bit stream starts (the zlib header).
    private var prefix: [UInt8] = []

    init(prefix: [UInt8] = [], capacity: Int = 0) {
        self.prefix = prefix
        words.reserveCapacity(capacity / 8 + 1)
    }

    /// Appends the low `bits` bits of `value` (at most 57).
    @inline(__always)
    mutating func write(_ value: UInt64, bits: Int) {
        buffer |= value << UInt64(count)
        let total = count + bits
        if total >= 64 {
            words.append(buffer.littleEndian)
            buffer = value >> UInt64(64 - count)
            count = total - 64
        } else {
            count = total
        }
    }

    /// The bytes written so far, the last one padded with zero bits.
    func finish() -> [UInt8] {
        var bytes = prefix
        bytes.reserveCapacity(prefix.count + words.count * 8 + 8)
        words.withUnsafeBytes { bytes.append(contentsOf: $0) }
        var rest = buffer, bits = count
        while bits > 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
            bits -= 8
        }
        return bytes
    }
}
