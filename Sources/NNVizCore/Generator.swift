import Foundation

/// PyTorch's CPU random generator, bit for bit: mt19937 seeded as `torch.manual_seed` seeds it,
/// with PyTorch's rules for uniform and normal draws (see `rand`, `randn`, `randperm`).
///
/// ```swift
/// manualSeed(1)
/// let w = Tensor.rand([5])     // 0.4963, 0.7682, 0.0885, 0.1320, 0.3074 — as torch.rand(5)
/// ```
///
/// A generator is a reference type guarded by a lock, so the default one can be shared by threads;
/// give each thread its own ``Generator`` for reproducible parallel streams.
public final class Generator: @unchecked Sendable {
    /// mt19937's 624 words, owned by the generator (freed in `deinit`).
    private let state = UnsafeMutablePointer<UInt32>.allocate(capacity: 624)
    private var index = 624
    /// The second of a pair of Box-Muller samples, kept for the next scalar normal draw (PyTorch's `next_double_normal_sample`).
    private var cachedNormal: Double?
    private let lock = NSLock()
    public private(set) var initialSeed: UInt64

    /// A generator seeded with `seed`, like `torch.Generator().manual_seed(seed)`.
    public init(seed: UInt64 = 67280421310721) {
        initialSeed = seed
        reseed(seed)
    }

    deinit { state.deallocate() }

    /// Reseeds the generator and clears its cached normal sample, like `manual_seed`.
    public func manualSeed(_ seed: UInt64) {
        lock.lock(); defer { lock.unlock() }
        reseed(seed)
    }

    private func reseed(_ seed: UInt64) {
        initialSeed = seed
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            let prev = state[i - 1]
            state[i] = 1812433253 &* (prev ^ (prev >> 30)) &+ UInt32(i)
        }
        index = 624
        cachedNormal = nil
    }

    // MARK: - Engine (call with the lock held)

    /// Regenerates the 624 words: mt19937's recurrence, split at the wrap-around points so that no index needs a modulo.
    private func twist() {
        let mt = state
        @inline(__always) func mix(_ i: Int, _ next: Int, _ far: Int) {
            let y = (mt[i] & 0x8000_0000) | (mt[next] & 0x7fff_ffff)
            mt[i] = mt[far] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
        }
        for i in 0..<227 { mix(i, i + 1, i + 397) }
        for i in 227..<623 { mix(i, i + 1, i - 227) }
        mix(623, 0, 396)
        index = 0
    }

    @inline(__always)
    private static func temper(_ word: UInt32) -> UInt32 {
        var y = word
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// Hands `body` the engine's next outputs in chunks of at most 624 draws of `wordsPerDraw` raw 32-bit
    /// outputs each, with the draws' index range: the bulk path of `rand`, `randn` and Dropout's masks, the
    /// same outputs as calling ``next32()`` one at a time.
    private func forEachChunk(draws count: Int, wordsPerDraw: Int,
                              _ body: (UnsafePointer<UInt32>, Range<Int>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 624 * wordsPerDraw) { buffer in
            let words = buffer.baseAddress!
            var start = 0, i = index
            while start < count {
                let draws = Swift.min(624, count - start)
                var filled = 0
                while filled < draws * wordsPerDraw {
                    if i >= 624 { twist(); i = 0 }
                    let n = Swift.min(624 - i, draws * wordsPerDraw - filled)
                    let source = state + i, target = words + filled
                    for j in 0..<n { target[j] = Generator.temper(source[j]) }
                    i += n
                    filled += n
                }
                body(words, start..<(start + draws))
                start += draws
            }
            index = i
        }
    }

    /// `count` values made from one raw output each (`transform(word)`), in draw order.
    @inline(__always)
    private func draws32<T>(_ count: Int, _ transform: (UInt32) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { out, initialized in
            forEachChunk(draws: count, wordsPerDraw: 1) { words, range in
                for j in range { out[j] = transform(words[j - range.lowerBound]) }
            }
            initialized = count
        }
    }

    /// `count` values made from one 53-bit uniform each (two raw outputs, high word first), in draw order.
    @inline(__always)
    private func drawsDouble<T>(_ count: Int, _ transform: (Double) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { out, initialized in
            forEachChunk(draws: count, wordsPerDraw: 2) { words, range in
                for j in range {
                    let w = 2 * (j - range.lowerBound)
                    out[j] = transform(Generator.unitDouble((UInt64(words[w]) << 32) | UInt64(words[w + 1])))
                }
            }
            initialized = count
        }
    }

    @inline(__always)
    private static func unitFloat(_ word: UInt32) -> Float {
        Float(word & 0xFF_FFFF) * Float(1.0 / 16_777_216.0)
    }

    @inline(__always)
    private static func unitDouble(_ bits: UInt64) -> Double {
        Double(bits & ((1 << 53) - 1)) * (1.0 / 9_007_199_254_740_992.0)
    }

    @inline(__always)
    private func next32() -> UInt32 {
        if index >= 624 { twist() }
        let y = state[index]
        index += 1
        return Generator.temper(y)
    }

    @inline(__always)
    private func next64() -> UInt64 {
        let hi = UInt64(next32())
        let lo = UInt64(next32())
        return (hi << 32) | lo
    }

    @inline(__always)
    private func uniformFloat() -> Float {
        Generator.unitFloat(next32())
    }

    @inline(__always)
    private func uniformDouble() -> Double {
        Generator.unitDouble(next64())
    }

    private func scalarNormal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        let u1 = uniformDouble()
        let u2 = uniformDouble()
        let r = (-2 * Foundation.log1p(-u2)).squareRoot()
        let theta = 2 * Double.pi * u1
        cachedNormal = r * Foundation.sin(theta)
        return r * Foundation.cos(theta)
    }

    // MARK: - Draws

    /// One raw 32-bit output of the engine (`random()`).
    public func random32() -> UInt32 {
        lock.lock(); defer { lock.unlock() }
        return next32()
    }

    /// `count` uniform samples in [low, high), in PyTorch's float32 arithmetic.
    func uniformFloats(_ count: Int, low: Float = 0, high: Float = 1) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        // PyTorch computes u · (high − low) + low in double, with the span rounded to float32.
        let span = Double(high - low), base = Double(low)
        return draws32(count) { Float(Double(Generator.unitFloat($0)) * span + base) }
    }

    /// `count` uniform samples in [low, high) with 53 random bits each.
    func uniformDoubles(_ count: Int, low: Double = 0, high: Double = 1) -> [Double] {
        lock.lock(); defer { lock.unlock() }
        let span = high - low
        return drawsDouble(count) { $0 * span + low }
    }

    /// `count` normal samples in float32, following PyTorch's `normal_fill` for 16 or more elements
    /// and its scalar Box-Muller path (with the cached second sample) below that.
    func normalFloats(_ count: Int, mean: Float = 0, std: Float = 1) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        if count >= 16 {
            var d = draws32(count, Generator.unitFloat)
            func block(_ start: Int) {
                for j in 0..<8 {
                    let u1 = 1 - d[start + j]
                    let u2 = d[start + j + 8]
                    let radius = (-2 * VectorMath.log(u1)).squareRoot()
                    let (sinT, cosT) = VectorMath.sincos(VectorMath.twoPi * u2)
                    d[start + j] = mean.addingProduct(radius * cosT, std)
                    d[start + j + 8] = mean.addingProduct(radius * sinT, std)
                }
            }
            var start = 0
            while start + 16 <= count { block(start); start += 16 }
            if count % 16 != 0 {
                for i in (count - 16)..<count { d[i] = uniformFloat() }
                block(count - 16)
            }
            return d
        }
        return (0..<count).map { _ in Float(scalarNormal() * Double(std) + Double(mean)) }
    }

    /// `count` normal samples in float64, with the same two paths as ``normalFloats(_:mean:std:)``.
    func normalDoubles(_ count: Int, mean: Double = 0, std: Double = 1) -> [Double] {
        lock.lock(); defer { lock.unlock() }
        if count >= 16 {
            var d = drawsDouble(count) { $0 }
            func block(_ start: Int) {
                for j in 0..<8 {
                    let u1 = 1 - d[start + j]
                    let u2 = d[start + j + 8]
                    let r = (-2 * Foundation.log(u1)).squareRoot()
                    let theta = 2 * Double.pi * u2
                    d[start + j] = r * Foundation.cos(theta) * std + mean
                    d[start + j + 8] = r * Foundation.sin(theta) * std + mean
                }
            }
            var start = 0
            while start + 16 <= count { block(start); start += 16 }
            if count % 16 != 0 {
                for i in (count - 16)..<count { d[i] = uniformDouble() }
                block(count - 16)
            }
            return d
        }
        return (0..<count).map { _ in scalarNormal() * std + mean }
    }

    /// A random permutation of 0..<n, as `torch.randperm(n)` draws it.
    public func randperm(_ n: Int) -> [Int] {
        lock.lock(); defer { lock.unlock() }
        var r = Array(0..<n)
        if n < 2 { return r }
        for i in 0..<(n - 1) {
            let z = Int(next32() % UInt32(n - i))
            r.swapAt(i, i + z)
        }
        return r
    }

    /// Bernoulli draws with per-element probabilities (`torch.bernoulli(p)`): a 24-bit uniform below p.
    func bernoulli(_ p: [Double]) -> [Bool] {
        lock.lock(); defer { lock.unlock() }
        return p.map { Double(uniformFloat()) < $0 }
    }

    /// Bernoulli draws with one probability, as PyTorch's CPU `bernoulli_(p)` (Dropout's mask) draws them:
    /// a 53-bit uniform below `p` gives `one`, else 0.
    package func bernoulli(count: Int, p: Double, one: Float) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        return bernoulliDraws(count, p: p, one: one)
    }

    /// ``bernoulli(count:p:one:)`` in float64.
    package func bernoulli(count: Int, p: Double, one: Double) -> [Double] {
        lock.lock(); defer { lock.unlock() }
        return bernoulliDraws(count, p: p, one: one)
    }

    /// The draws of `bernoulli(count:p:one:)`. `u < p` for a 53-bit uniform `u = bits · 2⁻⁵³` is exactly
    /// `bits < ⌈p · 2⁵³⌉` (both scalings are exact), so the loop compares integers and vectorises.
    @inline(__always)
    private func bernoulliDraws<T: BinaryFloatingPoint>(_ count: Int, p: Double, one: T) -> [T] {
        precondition(p >= 0 && p <= 1, "bernoulli_ expects p to be in [0, 1], but got p=\(p)")
        let threshold = UInt64((p * 9_007_199_254_740_992.0).rounded(.up)), low53: UInt64 = (1 << 53) - 1
        return [T](unsafeUninitializedCapacity: count) { out, initialized in
            forEachChunk(draws: count, wordsPerDraw: 2) { words, range in
                let target = out.baseAddress! + range.lowerBound
                UnsafeRawPointer(words).withMemoryRebound(to: UInt64.self, capacity: range.count) { pairs in
                    for j in 0..<range.count {
                        // The first output of the pair is the high word; in memory it is the low half.
                        let pair = pairs[j], bits = ((pair << 32) | (pair >> 32)) & low53
                        target[j] = bits < threshold ? one : 0
                    }
                }
            }
            initialized = count
        }
    }

    /// A random 64-bit value as `torch.empty((), dtype=torch.int64).random_()` draws it (used to seed samplers).
    public func randomInt64() -> Int64 {
        lock.lock(); defer { lock.unlock() }
        return Int64(next64() % (UInt64(Int64.max) + 1))
    }
}

/// The process-wide generator behind ``defaultGenerator`` outside ``withManualSeed(_:_:)`` blocks.
private let processGenerator = Generator()

/// Generators installed by ``withManualSeed(_:_:)`` for the task running the block.
private enum GeneratorScope {
    @TaskLocal static var override: Generator?
}

/// The generator that `rand`, `randn`, layer initialisation, Dropout and shuffling use by default: the
/// process-wide one, or inside ``withManualSeed(_:_:)`` that block's own.
public var defaultGenerator: Generator { GeneratorScope.override ?? processGenerator }

/// Seeds the default generator, like `torch.manual_seed(seed)`.
///
/// ```swift
/// manualSeed(1)
/// let fc = Linear(3, 2)   // weight [[0.2975, -0.2548, -0.1119], [0.2710, -0.5435, 0.3462]]
/// ```
public func manualSeed(_ seed: UInt64) {
    defaultGenerator.manualSeed(seed)
}

/// Runs `body` with a default generator of its own, seeded with `seed`: the same draws as
/// `manualSeed(seed)` followed by `body`, but untouched by other threads or tasks drawing at the same
/// time (parallel tests, a UI thread), and leaving the process-wide generator as it was.
///
/// ```swift
/// let fc = withManualSeed(1) { Linear(3, 2) }   // always PyTorch's weights for seed 1
/// ```
@discardableResult
public func withManualSeed<R>(_ seed: UInt64, _ body: () throws -> R) rethrows -> R {
    try GeneratorScope.$override.withValue(Generator(seed: seed), operation: body)
}
