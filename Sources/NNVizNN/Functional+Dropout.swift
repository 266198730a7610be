import NNVizCore

// MARK: - dropout

/// Zeroes each element with probability `p` and scales the rest by 1/(1 − p), like
/// `torch.nn.functional.dropout(input, p, training)`; returns `input` itself when not training or p = 0.
///
/// The mask is drawn as PyTorch's CPU `bernoulli_(1 − p)` draws it: one 53-bit uniform per element from
/// `generator`, kept when below 1 − p. The result is `input · (mask / (1 − p))` in the input's dtype,
/// recorded as one `MulBackward0` whose other operand is the scaled mask, as PyTorch records it. Masks
/// are bit-identical to PyTorch's after the same seed on CPUs where PyTorch does not use MKL's generator
/// for `bernoulli_` (non-Intel CPUs); on Intel MKL builds PyTorch draws another stream, with the same
/// distribution.
///
/// ```swift
/// manualSeed(0)
/// let y = dropout(Tensor.ones([8]), p: 0.5)   // each element 0 or 2
/// ```
public func dropout(_ input: Tensor, p: Double = 0.5, training: Bool = true,
                    generator: Generator = defaultGenerator) -> Tensor {
    precondition(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got \(pythonFloat(p))")
    if !training || p == 0 || input.count == 0 { return input }
    precondition(input.dtype.isFloatingPoint, "result type Float can't be cast to the desired output type \(input.dtype.scalarTypeName)")
    if p == 1 { return input * Tensor.zeros([], dtype: input.dtype) }
    return input * dropoutNoise(shape: input.shape, dtype: input.dtype, p: p, generator: generator)
}

/// The scaled mask `dropout` multiplies by: each element 1/(1 − p) with probability 1 − p, else 0, one
/// 53-bit uniform drawn per element in row-major order of `shape` (PyTorch draws in memory order, so a
/// caller whose input is a transposed view draws the mask in the untransposed shape and transposes it).
func dropoutNoise(shape: [Int], dtype: DType, p: Double, generator: Generator) -> Tensor {
    let keep = 1 - p
    let uniforms = Tensor.rand([shape.reduce(1, *)], dtype: .float64, generator: generator).scalars
    if dtype == .float64 {
        let scale = 1 / keep
        return Tensor(shape: shape, values: uniforms.map { $0 < keep ? scale : 0 }, dtype: .float64)
    }
    let scale = 1 / Float(keep)
    return Tensor(shape: shape, floats: uniforms.map { $0 < keep ? scale : 0 })
}
