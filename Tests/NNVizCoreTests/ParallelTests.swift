import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizSupport

/// nnviz's intra-op parallelism: how work is split, and that splitting never changes a result.
struct ParallelTests {
    @Test func partsAreContiguousNearlyEqualAndCoverTheRange() {
        for (count, parts) in [(8, 2), (7, 2), (100, 3), (5, 5), (1, 1)] {
            let ranges = (0..<parts).map { Parallel.range($0, of: parts, count: count) }
            #expect(ranges.first?.lowerBound == 0)
            #expect(ranges.last?.upperBound == count)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
        }
    }

    @Test func defaultThreadsFollowOMPNumThreadsAsPyTorch() {
        #expect(Parallel.defaultThreads("3", processors: 8) == 3)
        #expect(Parallel.defaultThreads(" 1 ", processors: 8) == 1)
        for ignored in [nil, "", "0", "-2", "two"] { #expect(Parallel.defaultThreads(ignored, processors: 8) == 8) }
        #expect(Parallel.defaultThreads(nil, processors: 0) == 1)
    }

    @Test func smallProductsStayWhole() {
        // The sine RNN's step (176 × 32 · 32 × 32): 180,000 multiply-adds, a few microseconds in BLAS.
        #expect(Parallel.partCount(176, cost: Parallel.multiplyAdds(32 * 32)) == 1)
        // A convolution's batch of 8 samples of 590,000 multiply-adds each is split.
        #expect(Parallel.partCount(8, cost: Parallel.multiplyAdds(16 * 144 * 256)) == min(getNumThreads(), 8))
    }

    @Test func smallWorkIsNotSplit() {
        #expect(Parallel.partCount(1000, cost: 1) == 1)            // 1,000 operations: under one grain
        #expect(Parallel.partCount(0, cost: 1 << 20) == 1)
        #expect(Parallel.partCount(1, cost: 1 << 20) == 1)          // one index cannot be split
        #expect(Parallel.partCount(8, cost: 1 << 20) == min(getNumThreads(), 8))
        #expect(Parallel.partCount(Int.max, cost: Int.max) == getNumThreads())   // no overflow
    }

    @Test func everyPartRunsOnceWithItsRange() {
        let count = 1000, cost = Parallel.grain
        let parts = Parallel.partCount(count, cost: cost)
        let lock = NSLock()
        var seen: [Int: Range<Int>] = [:]
        Parallel.forEachPart(count, cost: cost) { part, range in
            lock.withLock { seen[part] = range }
        }
        #expect(seen.count == parts)
        for part in 0..<parts { #expect(seen[part] == Parallel.range(part, of: parts, count: count)) }
    }

    @Test func aSplitInsideAPartIsNotSplitAgain() {
        let lock = NSLock()
        var inner: [Int] = []
        Parallel.forEachPart(4, cost: 1 << 20) { _, outer in
            for _ in outer {
                let parts = Parallel.partCount(100, cost: 1 << 20)
                var covered = 0
                Parallel.forEachPart(100, cost: 1 << 20) { part, range in
                    #expect(part == 0)
                    covered += range.count
                }
                lock.withLock { inner.append(parts * 1000 + covered) }
            }
        }
        #expect(inner == [1100, 1100, 1100, 1100])
        #expect(Parallel.partCount(100, cost: 1 << 20) == min(getNumThreads(), 100))   // outside a part again
    }

    /// A product split by rows or by columns over threads agrees with one BLAS call to float32 rounding
    /// (OpenBLAS picks its kernels by size, so the last bits may differ, as PyTorch's do with its thread
    /// count), and the same thread count gives the same bits every time.
    @Test func splitMatrixProductsAgreeWithUnsplitOnesAndRepeatExactly() {
        let generator = Generator(seed: 3)
        for (m, n, k) in [(300, 40, 64), (40, 300, 64), (257, 255, 33)] {
            let a = Tensor.randn([m, k], generator: generator), b = Tensor.randn([k, n], generator: generator)
            let threads = getNumThreads()
            setNumThreads(1)
            let one = a.matmul(b).floats, oneTransposed = b.t().matmul(a.t()).floats
            setNumThreads(max(threads, 2))
            let splits = Parallel.partCount(max(m, n), cost: Parallel.multiplyAdds(min(m, n) * k))
            let split = a.matmul(b).floats, again = a.matmul(b).floats, splitTransposed = b.t().matmul(a.t()).floats
            setNumThreads(threads)
            #expect(splits == 2)
            #expect(split == again)
            #expect(zip(one, split).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
            #expect(zip(oneTransposed, splitTransposed).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
            #expect(one.count == m * n && split.count == m * n)
        }
    }
}
