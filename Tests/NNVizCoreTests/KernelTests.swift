import Foundation
import Testing
@testable import NNVizCore

/// The layout and math kernels behind the ops (strided copies, pending transposes, block sums, the
/// float32 tanh) against plain index arithmetic and Double math.
struct KernelTests {
    /// Row-major flat position of `index` in `shape`.
    static func flat(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, Tensor.contiguousStrides(shape)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Every index of `shape` in row-major order.
    static func indices(_ shape: [Int]) -> [[Int]] {
        shape.reduce([[]]) { partial, size in partial.flatMap { prefix in (0..<size).map { prefix + [$0] } } }
    }

    static let source = Tensor(shape: [2, 3, 4, 5], values: (0..<120).map(Double.init))

    @Test func permutationsMatchIndexArithmetic() {
        let shape = Self.source.shape
        for dims in [[0, 1, 2, 3], [3, 2, 1, 0], [0, 2, 1, 3], [1, 0, 3, 2], [2, 3, 0, 1], [0, 1, 3, 2], [3, 0, 1, 2]] {
            let permuted = Self.source.permute(dims)
            let expected = Self.indices(dims.map { shape[$0] }).map { out -> Double in
                var index = [Int](repeating: 0, count: 4)
                for (k, d) in dims.enumerated() { index[d] = out[k] }
                return Double(Self.flat(index, shape))
            }
            #expect(permuted.shape == dims.map { shape[$0] })
            #expect(permuted.scalars == expected, "permute \(dims)")
        }
        #expect(Self.source.transpose(1, 3).scalars == Self.source.permute([0, 3, 2, 1]).scalars)
    }

    @Test func selectAndSliceMatchIndexArithmetic() {
        let shape = Self.source.shape
        for dim in 0..<4 {
            for index in [0, shape[dim] - 1] {
                let picked = Self.source.select(dim, index)
                let expected = Self.indices(shape).filter { $0[dim] == index }.map { Double(Self.flat($0, shape)) }
                #expect(picked.scalars == expected, "select(\(dim), \(index))")
            }
            for (start, end, step) in [(0, shape[dim], 2), (1, shape[dim], 3), (1, 2, 1), (2, 2, 1)] {
                let sliced = Self.source.slice(dim, start, end, step)
                let expected = Self.indices(shape).filter { $0[dim] >= start && $0[dim] < end && ($0[dim] - start) % step == 0 }
                    .map { Double(Self.flat($0, shape)) }
                #expect(sliced.scalars == expected, "slice(\(dim), \(start), \(end), \(step))")
            }
        }
    }

    @Test func selectAndSliceGradientsLandOnThePickedElements() {
        let x = Tensor.zeros([3, 4, 5], requiresGrad: true)
        (x.slice(2, 1, 5, 2).select(0, 2) * 3).sum().backward()
        let expected = Self.indices([3, 4, 5]).map { $0[0] == 2 && $0[2] % 2 == 1 ? 3.0 : 0.0 }
        #expect(x.grad!.scalars == expected)
    }

    @Test func expandRepeatsAlongStretchedDimensions() {
        let row = Tensor([[1.0, 2.0, 3.0]])
        #expect(row.expand([2, 3]).scalars == [1, 2, 3, 1, 2, 3])
        let column = Tensor([[1.0], [2.0]])
        #expect(column.expand([2, 3]).scalars == [1, 1, 1, 2, 2, 2])
        #expect(Tensor([[true], [false]]).expand([2, 2]).scalars == [1, 1, 0, 0])
    }

    @Test func pendingTransposesReadAsCopies() {
        let w = Tensor(shape: [3, 4], values: (0..<12).map(Double.init))
        let wt = w.t()
        #expect(wt.shape == [4, 3] && wt.count == 12 && wt.dtype == .float32)
        #expect(wt.matrixOperand.transposed)
        #expect(wt.scalars == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        #expect(!wt.matrixOperand.transposed)  // read once, now held transposed
        #expect(w.t().t().scalars == w.scalars)
        #expect(w.t().detach().scalars == wt.scalars)
        #expect(wt.strides == [1, 4])
    }

    @Test func productsReadPendingTransposesInPlace() {
        let generator = Generator(seed: 3)
        let x = Tensor.randn([5, 3], generator: generator), w = Tensor.randn([4, 3], generator: generator)
        let copy = Tensor(shape: [3, 4], floats: w.t().floats)
        // BLAS may order a transposed operand's sums differently, so compare to float precision.
        func close(_ a: Tensor, _ b: Tensor) -> Bool { a.shape == b.shape && maxRelativeError(a.scalars, b.scalars) < 1e-6 }
        #expect(close(x.mm(w.t()), x.mm(copy)))
        let b = Tensor.randn([4], generator: generator)
        #expect(close(addmm(b, x, w.t()), addmm(b, x, copy)))
        #expect(close(x.t().t().mm(w.t()), x.mm(copy)))
        let v = Tensor.randn([5], generator: generator)
        #expect(close(x.t().mv(v), Tensor(shape: [3, 5], floats: x.t().floats).mv(v)))
    }

    @Test func gradientsThroughTransposedWeightsMatchFiniteDifferences() {
        let generator = Generator(seed: 5)
        let x = Tensor.randn([5, 3], dtype: .float64, generator: generator)
        let w = Tensor.randn([4, 3], dtype: .float64, generator: generator).requiresGrad_()
        let b = Tensor.randn([4], dtype: .float64, generator: generator).requiresGrad_()
        let weights = Tensor.randn([5, 4], dtype: .float64, generator: generator)
        func loss(_ w: Tensor, _ b: Tensor) -> Tensor { ((addmm(b, x, w.t()).tanh() + x.mm(w.t())) * weights).sum() }
        loss(w, b).backward()
        let eps = 1e-6
        var numeric: [Double] = []
        for i in 0..<w.count {
            func value(_ delta: Double) -> Double {
                var values = w.scalars
                values[i] += delta
                return noGrad { loss(Tensor(shape: w.shape, values: values, dtype: .float64), b).item() }
            }
            numeric.append((value(eps) - value(-eps)) / (2 * eps))
        }
        #expect(w.grad!.shape == [4, 3])
        #expect(maxRelativeError(w.grad!.scalars, numeric) < 1e-6)
        #expect(b.grad!.shape == [4])
    }

    @Test func blockSumsAddInInputOrder() {
        let values = (0..<120).map { Float(sin(Double($0) * 0.7)) * 1e3 }
        let x = Tensor(shape: [2, 3, 4, 5], floats: values)
        for dims in [[0], [3], [1, 2], [0, 1, 2, 3], [0, 2], [1, 3]] {
            let kept = (0..<4).map { dims.contains($0) ? 1 : x.shape[$0] }
            var sums = [Double](repeating: 0, count: kept.reduce(1, *))
            for index in Self.indices(x.shape) {
                let out = Self.flat((0..<4).map { dims.contains($0) ? 0 : index[$0] }, kept)
                sums[out] += Double(values[Self.flat(index, x.shape)])
            }
            #expect(x.sum(dims: dims, keepdim: true).floats == sums.map { Float($0) }, "sum over \(dims)")
        }
    }

    @Test func tanhIsWithinOneUlpOfDoubleTanh() {
        func ulps(_ a: Float, _ b: Float) -> Int {
            a == b ? 0 : Int(abs(Int64(a.bitPattern) - Int64(b.bitPattern)))
        }
        var inputs: [Float] = [0, 1e-30, 1e-8, 3e-4, 0.1, 0.5, 0.624, 0.625, 0.626, 1, 2, 4.5, 8.9, 9.02, 20, 1e30]
        var bits = Float(1e-6).bitPattern
        while bits < Float(12).bitPattern {
            inputs.append(Float(bitPattern: bits))
            bits += 997
        }
        let signed = inputs.flatMap { [$0, -$0] }
        let widest = Tanh.values(signed), sse2 = Tanh.values(signed, variant: .sse2)
        #expect(widest.map(\.bitPattern) == sse2.map(\.bitPattern))
        var worst = 0
        for (x, y) in zip(signed, widest) { worst = max(worst, ulps(y, Float(Foundation.tanh(Double(x))))) }
        #expect(worst <= 1)
        let special = Tanh.values([.infinity, -.infinity, .nan, -0.0])
        #expect(special[0] == 1 && special[1] == -1)
        #expect(special[2].isNaN)
        #expect(special[3].sign == .minus && special[3] == 0)
        #expect(Tensor([0.5, -2.0, 0.0]).tanh().floats == [0.5, -2, 0].map { Float(Foundation.tanh(Double($0))) })
    }
}
