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

// MARK: - dropout2d

/// Zeroes whole channels: each (sample, channel) plane of an (N, C, H, W) input (or each channel of an
/// (N, C, L) one) is dropped with probability `p` and the kept ones are scaled by 1/(1 − p), like
/// `torch.nn.functional.dropout2d(input, p, training)`; returns `input` itself when not training or p = 0.
///
/// The mask has shape (N, C, 1, 1), drawn as ``dropout(_:p:training:generator:)`` draws its mask (so
/// bit-identical to PyTorch's after the same seed on the same CPUs), and the result is `input · mask`
/// (`MulBackward0` whose other operand is the (N, C, 1, 1) mask), as PyTorch's `_dropout_impl` records it.
///
/// ```swift
/// manualSeed(0)
/// let y = dropout2d(Tensor.ones([2, 4, 3, 3]), p: 0.5)   // each 3 × 3 plane all 0 or all 2
/// ```
public func dropout2d(_ input: Tensor, p: Double = 0.5, training: Bool = true,
                      generator: Generator = defaultGenerator) -> Tensor {
    precondition(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got \(pythonFloat(p))")
    precondition(input.ndim >= 2, "dropout2d expects an input of at least 2 dimensions (N, C, ...), got input of size \(sizeText(input.shape))")
    if !training || p == 0 || input.count == 0 { return input }
    precondition(input.dtype.isFloatingPoint, "result type Float can't be cast to the desired output type \(input.dtype.scalarTypeName)")
    let noiseShape = [input.shape[0], input.shape[1]] + [Int](repeating: 1, count: input.ndim - 2)
    if p == 1 { return input * Tensor.zeros(noiseShape, dtype: input.dtype) }
    return input * dropoutNoise(shape: noiseShape, dtype: input.dtype, p: p, generator: generator)
}

// MARK: - the mask

/// The scaled mask `dropout` multiplies by: each element 1/(1 − p) with probability 1 − p, else 0, one
/// 53-bit uniform drawn per element in row-major order of `shape` (PyTorch draws in memory order, so a
/// caller whose input is a transposed view draws the mask in the untransposed shape and transposes it).
func dropoutNoise(shape: [Int], dtype: DType, p: Double, generator: Generator) -> Tensor {
    let keep = 1 - p, count = shape.reduce(1, *)
    if dtype == .float64 {
        return Tensor(shape: shape, values: generator.bernoulli(count: count, p: keep, one: 1 / keep),
                      dtype: .float64)
    }
    return Tensor(shape: shape, floats: generator.bernoulli(count: count, p: keep, one: 1 / Float(keep)))
}
