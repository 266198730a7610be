import CBLAS
import NNVizSupport

/// Every BLAS call nnviz makes: row-major `sgemm`/`dgemm`, split over ``getNumThreads()`` threads by
/// rows or columns of the result when the product is large, each part on one OpenBLAS thread.
package enum BLAS {
    /// OpenBLAS's own threads spin between calls and compete with nnviz's on small products; nnviz splits
    /// the work itself, so OpenBLAS runs each call on its caller's thread, and the worker threads it
    /// started when it was loaded are ended.
    private static let singleThreaded: Void = {
        openblas_set_num_threads(1)
        let status = blas_thread_shutdown_()
        precondition(status == 0, "OpenBLAS could not end its worker threads (status \(status))")
    }()

    /// Puts OpenBLAS in single-threaded mode now rather than at the first product (``setNumThreads(_:)``).
    package static func runSingleThreaded() { _ = singleThreaded }

    /// Row-major `c = op(a)·op(b) + beta·c` in float32: `op(a)` is m × k (`a` is k × m when `transA`),
    /// `op(b)` k × n (`b` is n × k when `transB`), with leading dimensions `lda`, `ldb`, `ldc`.
    ///
    /// ```swift
    /// BLAS.gemm(transA: false, transB: true, m: 2, n: 3, k: 4, a: a, lda: 4, b: b, ldb: 4, beta: 0, c: c, ldc: 3)
    /// ```
    package static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        split(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc) {
            a, b, c, m, n in
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// ``gemm(transA:transB:m:n:k:a:lda:b:ldb:beta:c:ldc:)`` in float64.
    package static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                             b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        split(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc) {
            a, b, c, m, n in
            cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// Calls `product(a, b, c, m, n)` once per block of the result's rows (when m ≥ n) or columns, with the
    /// operands' pointers moved to that block. OpenBLAS picks its kernels by size, so a split product may
    /// differ from the whole one in the last bits (as PyTorch's results do with its thread count); the
    /// blocks depend only on the sizes and the thread count, so a product repeats exactly.
    @inline(__always)
    private static func split<T>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<T>, lda: Int,
                                 b: UnsafePointer<T>, ldb: Int, c: UnsafeMutablePointer<T>, ldc: Int,
                                 _ product: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int) -> Void) {
        guard m > 0, n > 0 else { return }
        runSingleThreaded()
        if m >= n {
            Parallel.forEachPart(m, cost: Parallel.multiplyAdds(n * k)) { _, rows in
                product(transA ? a + rows.lowerBound : a + rows.lowerBound * lda, b, c + rows.lowerBound * ldc,
                        rows.count, n)
            }
        } else {
            Parallel.forEachPart(n, cost: Parallel.multiplyAdds(m * k)) { _, columns in
                product(a, transB ? b + columns.lowerBound * ldb : b + columns.lowerBound, c + columns.lowerBound,
                        m, columns.count)
            }
        }
    }
}
