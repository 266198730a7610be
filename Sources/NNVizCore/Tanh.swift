import CKernels

/// The float32 hyperbolic tangent of `tensor.tanh()`: the C kernel `nnviz_tanhf` (Sources/CKernels),
/// branch-free and vectorised 8 lanes wide with AVX2 where the CPU has it, 4 wide with SSE2 otherwise.
///
/// Below |x| = 0.625 it is Cephes' odd polynomial `x + x³·P(x²)`; above, `1 − 2 / (e^{2|x|} + 1)`
/// with Cephes' `expf` (Cody–Waite reduction by ln 2, degree-6 polynomial) and the power of two
/// built from the exponent bits. Both variants run the same float operations in the same order (no fused
/// multiply-adds), so the result does not depend on the machine. Checked against tanh in double rounded
/// to float: at most one ulp away (0.17 % of inputs off by one), so within two ulp of PyTorch's SLEEF
/// `tanhf_u10`. NaN stays NaN, ±∞ gives ±1, and −0 gives −0.
///
/// ```swift
/// let y = Tanh.values([0.5, -2])     // tanh of each element, as float32
/// ```
enum Tanh {
    /// The kernel variant: the widest the CPU runs, or the 4-lane SSE2 one (to compare them in tests).
    enum Variant { case widest, sse2 }

    /// tanh of every element.
    static func values(_ x: [Float], variant: Variant = .widest) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { out, initialized in
            x.withUnsafeBufferPointer { source in
                switch variant {
                case .widest: nnviz_tanhf(source.baseAddress, out.baseAddress, x.count)
                case .sse2: nnviz_tanhf_sse2(source.baseAddress, out.baseAddress, x.count)
                }
            }
            initialized = x.count
        }
    }
}
