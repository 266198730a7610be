import Testing
@testable import NNVizNN
import NNVizCore

/// The merge modules (`Add`, `Mul`, `Cat`) and the rearranging ones (`Reshape`, `Permute`, `Transpose`,
/// `Identity`): their shape rules, PyTorch's graph nodes, and float64 finite differences.
struct MergeTests {
    func message(_ body: () throws -> [Int]) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test func shapeRules() throws {
        #expect(try Add.outputShape(inputs: [[2, 8, 4, 4], [8, 1, 1], [4]]) == [2, 8, 4, 4])
        #expect(message { try Add.outputShape(inputs: [[2, 8, 16, 16], [2, 4, 16, 16]]) }
                == "The size of tensor a (8) must match the size of tensor b (4) at non-singleton dimension 1")
        #expect(try Cat.outputShape(inputs: [[2, 8, 4, 4], [2, 4, 4, 4]], dim: 1) == [2, 12, 4, 4])
        #expect(try Cat.outputShape(inputs: [[2, 3], [5, 3]], dim: -2) == [7, 3])
        #expect(message { try Cat.outputShape(inputs: [[2, 3], [2, 3, 1]], dim: 0) } == "Tensors must have same number of dimensions: got 2 and 3")
        #expect(message { try Cat.outputShape(inputs: [[2, 3]], dim: 2) } == "Dimension out of range (expected to be in range of [-2, 1], but got 2)")
        #expect(try Reshape.outputShape(input: [2, 4, 4, 16], shape: [2, -1, 16]) == [2, 16, 16])
        #expect(message { try Reshape.outputShape(input: [2, 3], shape: [-1, -1]) } == "only one dimension can be inferred")
        #expect(message { try Reshape.outputShape(input: [2, 3], shape: [4, 2]) } == "shape '[4, 2]' is invalid for input of size 6")
        #expect(message { try Reshape.outputShape(input: [2, 3], shape: [-2, 3]) } == "invalid shape dimension -2")
        #expect(try Permute.outputShape(input: [2, 8, 8, 3], dims: [0, -1, 1, 2]) == [2, 3, 8, 8])
        #expect(message { try Permute.outputShape(input: [2, 3], dims: [0, 0]) } == "permute(): duplicate dims are not allowed.")
        #expect(try Transpose.outputShape(input: [2, 5, 3], dim0: 1, dim1: -1) == [2, 3, 5])
        #expect(message { try Transpose.outputShape(input: [2, 5], dim0: 0, dim1: 2) }
                == "Dimension out of range (expected to be in range of [-2, 1], but got 2)")
    }

    @Test func modulesRecordPyTorchsNodes() {
        let a = Tensor.randn([2, 3], requiresGrad: true), b = Tensor.randn([3], requiresGrad: true), c = Tensor.randn([2, 3])
        let sum = Add()([a, b, c])
        #expect(sum.gradFn?.name == "AddBackward0")
        #expect(sum.gradFn?.nextFunctions.compactMap { $0?.name } == ["AddBackward0"])
        #expect(sum.scalars == ((a + b) + c).scalars)
        #expect(Mul()([a, b]).gradFn?.name == "MulBackward0")
        let joined = Cat(dim: 1)([a, a])
        #expect(joined.shape == [2, 6] && joined.gradFn?.name == "CatBackward0")
        #expect(Permute([1, 0])(a).gradFn?.name == "PermuteBackward0")
        #expect(Transpose(0, 1)(a).gradFn?.name == "TransposeBackward0")
        #expect(Reshape([-1])(a).gradFn?.name == "ViewBackward0")
        #expect(Identity()(a) === a)
        #expect(Cat(dim: 1).description == "Cat(dim=1)")
    }

    @Test func gradientsMatchFiniteDifferences() {
        let x = Tensor(shape: [2, 3], values: [0.3, -1.2, 0.7, 2.0, -0.4, 1.1], dtype: .float64)
        let other = Tensor(shape: [3], values: [0.5, -2.0, 1.5], dtype: .float64)
        let weights = Tensor(shape: [3, 2], values: [1, -2, 3, 0.5, -1, 2], dtype: .float64)
        let functions: [(String, (Tensor) -> Tensor)] = [
            ("add", { Add()([$0, other, $0]).sum() }),
            ("mul", { Mul()([$0, other, $0]).sum() }),
            ("cat", { (Cat(dim: 0)([$0, $0 * 2.0]) * Tensor.cat([other.view([1, 3]).expand([4, 3])], dim: 0)).sum() }),
            ("reshape", { (Reshape([3, 2])($0) * weights).sum() }),
            ("permute", { (Permute([1, 0])($0) * weights).sum() }),
            ("transpose", { (Transpose(0, 1)($0).contiguous() * weights).sum() }),
        ]
        for (name, f) in functions {
            let (analytic, numeric) = ActFixture.finiteDifferences(x, f)
            #expect(zip(analytic, numeric).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(name)")
        }
    }
}
