import Testing
@testable import NNVizCore

/// PyTorch's `repr` of tensors.
struct DescriptionTests {
    @Test func formats() {
        #expect(Tensor([[1.0, 2.0], [3.0, 4.0]]).description == "tensor([[1., 2.],\n        [3., 4.]])")
        #expect(Tensor([0.5, -1.25]).description == "tensor([ 0.5000, -1.2500])")
        #expect(Tensor([1, 2, 3]).description == "tensor([1, 2, 3])")
        #expect(Tensor(0.7201).description == "tensor(0.7201)")
        #expect(Tensor([1e-5, 1.0]).description == "tensor([1.0000e-05, 1.0000e+00])")
        #expect((Tensor([1.0, 5.0]) > 2).description == "tensor([False,  True])")
        #expect(Tensor([2.0], requiresGrad: true).description == "tensor([2.], requires_grad=True)")
        #expect(Tensor([1.5], dtype: .float64).description == "tensor([1.5000], dtype=torch.float64)")
        #expect(Tensor.zeros([2, 1, 2]).description == "tensor([[[0., 0.]],\n\n        [[0., 0.]]])")
    }

    @Test func longRowsWrapAndBigTensorsSummarise() {
        let row = Tensor.arange(0, 30, dtype: .float32) / 7
        #expect(row.description.split(separator: "\n").map(\.count) == [79, 79, 79, 32])
        #expect(row.description.hasPrefix("tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n        1.2857"))
        let big = Tensor.arange(0, 2000, dtype: .float32)
        #expect(big.description == "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])")
    }
}
