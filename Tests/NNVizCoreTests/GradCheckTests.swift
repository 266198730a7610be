import Testing
@testable import NNVizCore

/// Finite-difference checks in float64 of every differentiable op, broadcasting included.
struct GradCheckTests {
    /// Compares autograd's gradients of `sum(f(inputs) * w)` with central differences.
    func check(_ shapes: [[Int]], positive: Bool = false, _ f: ([Tensor]) -> Tensor) {
        let generator = Generator(seed: 7)
        let inputs = shapes.map { shape -> Tensor in
            let t = Tensor.rand(shape, dtype: .float64, generator: generator)
            let values = t.scalars.map { positive ? 0.5 + $0 : 2 * $0 - 1 }
            return Tensor(shape: shape, values: values, dtype: .float64, requiresGrad: true)
        }
        let out = f(inputs)
        let w = Tensor.rand(out.shape, dtype: .float64, generator: generator)
        (out * w).sum().backward()
        let eps = 1e-6
        for (k, input) in inputs.enumerated() {
            var numeric: [Double] = []
            for i in 0..<input.count {
                func value(_ delta: Double) -> Double {
                    noGrad {
                        var shifted = input.scalars
                        shifted[i] += delta
                        var args = inputs.map { $0.detach() }
                        args[k] = Tensor(shape: input.shape, values: shifted, dtype: .float64)
                        return (f(args) * w).sum().item()
                    }
                }
                numeric.append((value(eps) - value(-eps)) / (2 * eps))
            }
            let analytic = input.grad?.scalars ?? [Double](repeating: 0, count: input.count)
            #expect(maxRelativeError(analytic, numeric) < 1e-5, "input \(k): \(analytic) vs \(numeric)")
        }
    }

    @Test func arithmeticWithBroadcasting() {
        check([[2, 3], [3]]) { $0[0] + $0[1] }
        check([[2, 1], [1, 3]]) { $0[0] - $0[1] }
        check([[2, 3], [2, 1]]) { $0[0] * $0[1] }
        check([[2, 3], [3]], positive: true) { $0[0] / $0[1] }
        check([[4]]) { -$0[0] }
        check([[3]]) { 2 - $0[0] * 3 + 1 }
        check([[3]], positive: true) { 2 / $0[0] }
    }

    @Test func powers() {
        check([[3]]) { $0[0].pow(2) }
        check([[3]], positive: true) { $0[0].pow(0.5) }
        check([[2, 3], [3]], positive: true) { $0[0].pow($0[1]) }
        check([[3]]) { Tensor.pow(base: 2, $0[0]) }
    }

    @Test func elementwiseFunctions() {
        check([[5]]) { $0[0].exp() }
        check([[5]], positive: true) { $0[0].log() }
        check([[5]], positive: true) { $0[0].sqrt() }
        check([[5]]) { $0[0].abs() }
        check([[5]]) { $0[0].sin() }
        check([[5]]) { $0[0].cos() }
        check([[5]]) { $0[0].tanh() }
        check([[5]]) { $0[0].sigmoid() }
        check([[5]]) { $0[0].relu() }
        check([[6]]) { $0[0].clamp(min: -0.3, max: 0.4) }
    }

    @Test func products() {
        check([[2, 3], [3, 4]]) { $0[0].mm($0[1]) }
        check([[4], [2, 3], [3, 4]]) { addmm($0[0], $0[1], $0[2]) }
        check([[3], [3, 4]]) { $0[0].matmul($0[1]) }
        check([[2, 3], [3]]) { $0[0].matmul($0[1]) }
        check([[3], [3]]) { $0[0].matmul($0[1]) }
        check([[2, 2, 3], [3, 2]]) { $0[0].matmul($0[1]) }
        check([[2, 2, 3], [2, 3, 2]]) { $0[0].matmul($0[1]) }
    }

    @Test func shapes() {
        check([[2, 3]]) { $0[0].t() }
        check([[2, 3, 4]]) { $0[0].transpose(0, 2) }
        check([[2, 3, 4]]) { $0[0].permute([2, 0, 1]) }
        check([[2, 3]]) { $0[0].view([3, 2]) }
        check([[2, 3]]) { $0[0].t().reshape([-1]) }
        check([[1, 3, 1]]) { $0[0].squeeze() }
        check([[3]]) { $0[0].unsqueeze(0) }
        check([[1, 3]]) { $0[0].expand([4, 3]) }
        check([[2, 3], [1, 3]]) { Tensor.cat([$0[0], $0[1]], dim: 0) }
        check([[2, 3], [2, 3]]) { Tensor.stack([$0[0], $0[1]], dim: 1) }
    }

    @Test func reductions() {
        check([[2, 3]]) { $0[0].sum() }
        check([[2, 3]]) { $0[0].sum(dim: 1) }
        check([[2, 3]]) { $0[0].sum(dim: 0, keepdim: true) }
        check([[2, 3]]) { $0[0].mean() }
        check([[2, 3]]) { $0[0].mean(dim: 1) }
        check([[2, 3]]) { $0[0].max() }
        check([[2, 3]]) { $0[0].min(dim: 0).values }
    }

    @Test func indexing() {
        check([[4, 3]]) { $0[0][1] }
        check([[4, 3]]) { $0[0][1..<3, 0] }
        check([[4, 3]]) { $0[0][TensorIndex.all, 2] }
        check([[4]]) { $0[0].maskedFill($0[0] > 0, 0) }
        check([[4]]) { $0[0].maskedSelect($0[0] > 0) }
        check([[3], [3]]) { `where`($0[0] > 0, $0[0], $0[1]) }
    }
}

/// Multi-output nodes: one `UnbindBackward0` shared by every piece.
struct MultiOutputTests {
    @Test func unbindSharesOneNodeAndRoutesGradients() {
        let x = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let parts = x.unbind(0)
        #expect(parts.count == 3 && parts[1].scalars == [3, 4])
        #expect(parts[0].gradFn === parts[2].gradFn && parts[0].gradFn?.name == "UnbindBackward0")
        let y = (parts[0] * 2 + parts[2] * parts[2]).sum()
        #expect(y.gradFn!.nextFunctions.count == 1)
        y.backward()
        #expect(x.grad!.scalars == [2, 2, 0, 0, 10, 12])
    }

    @Test func unbindPassesAFiniteDifferenceCheck() {
        GradCheckTests().check([[4, 3]]) { x in
            let p = x[0].unbind(1)
            return Tensor.stack([p[2] * p[0], p[1].tanh()], dim: 0)
        }
    }

    @Test func unsafeChunkSplitsColumnsUnderOneNode() {
        let x = Tensor(shape: [2, 5], values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], requiresGrad: true)
        let parts = x.unsafeChunk(3, dim: 1)     // split_size 2: widths 2, 2, 1, as torch.unsafe_chunk
        #expect(parts.map(\.shape) == [[2, 2], [2, 2], [2, 1]])
        #expect(parts[1].scalars == [3, 4, 8, 9] && parts[2].scalars == [5, 10])
        let node = parts[0].gradFn
        #expect(node?.name == "UnsafeSplitBackward0" && parts[2].gradFn === node && node?.outputCount == 3)
        #expect(node?.saved.map(\.name).sorted() == ["dim", "self_sym_sizes", "split_size"])
        (parts[2] * 3 + parts[0]).sum().backward()   // the middle part gets no gradient: zeros there
        #expect(x.grad!.scalars == [1, 1, 0, 0, 6, 1, 1, 0, 0, 6])   // the last part broadcast over two columns
    }

    @Test func unsafeChunkPassesAFiniteDifferenceCheck() {
        GradCheckTests().check([[3, 6]]) { x in
            let p = x[0].unsafeChunk(3, dim: 1)
            return Tensor.cat([p[2] * p[0], p[1].sigmoid()], dim: 1)
        }
    }
}
