import NNVizCore

/// The element types the layers' kernels run in, with direct access to a tensor's values: a float32
/// tensor's Floats and a float64 tensor's Doubles, neither converted nor copied, and BLAS's product
/// (`T.gemm`, from ``BLASElement``).
protocol LayerElement: BLASElement {
    /// The elements of a float32 (Float) or float64 (Double) tensor in row-major order.
    static func elementValues(of t: Tensor) -> [Self]
    /// A new leaf of `shape` holding `values`.
    static func elementTensor(_ values: [Self], shape: [Int]) -> Tensor
}

extension Float: LayerElement {
    static func elementValues(of t: Tensor) -> [Float] { t.floats }
    static func elementTensor(_ values: [Float], shape: [Int]) -> Tensor { Tensor(shape: shape, floats: values) }
}

extension Double: LayerElement {
    static func elementValues(of t: Tensor) -> [Double] { t.scalars }
    static func elementTensor(_ values: [Double], shape: [Int]) -> Tensor { Tensor(shape: shape, values: values, dtype: .float64) }
}
