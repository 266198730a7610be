import CBLAS
import NNVizCore

/// The element types the layers' kernels run in, with direct access to a tensor's values: a float32
/// tensor's Floats and a float64 tensor's Doubles, neither converted nor copied.
protocol LayerElement: BinaryFloatingPoint {
    /// The elements of a float32 (Float) or float64 (Double) tensor in row-major order.
    static func elementValues(of t: Tensor) -> [Self]
    /// A new leaf of `shape` holding `values`.
    static func elementTensor(_ values: [Self], shape: [Int]) -> Tensor
    /// BLAS's row-major `c = a·b + beta·c` (`sgemm`/`dgemm`), `a` m × k (k × m when `transA`), `b` k × n
    /// (n × k when `transB`), with leading dimensions `lda`, `ldb`, `ldc`.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

private func transpose(_ flag: Bool) -> CBLAS_TRANSPOSE { flag ? CblasTrans : CblasNoTrans }

extension Float: LayerElement {
    static func elementValues(of t: Tensor) -> [Float] { t.floats }
    static func elementTensor(_ values: [Float], shape: [Int]) -> Tensor { Tensor(shape: shape, floats: values) }
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transpose(transA), transpose(transB), Int32(m), Int32(n), Int32(k), 1, a, Int32(lda),
                    b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: LayerElement {
    static func elementValues(of t: Tensor) -> [Double] { t.scalars }
    static func elementTensor(_ values: [Double], shape: [Int]) -> Tensor { Tensor(shape: shape, values: values, dtype: .float64) }
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                     b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transpose(transA), transpose(transB), Int32(m), Int32(n), Int32(k), 1, a, Int32(lda),
                    b, Int32(ldb), beta, c, Int32(ldc))
    }
}
