/// The float32 `log` and `sincos` that PyTorch's vectorised `normal_` runs (the AVX2 `log256_ps` and
/// `sincos256_ps` of avx_mathfun, with the multiply-adds the compiler fuses), one lane at a time, so
/// `randn` of 16 or more elements matches PyTorch to the last bit. Verified against PyTorch by
/// Tests/tools/torch_rng.py and the RNG fixtures.
enum VectorMath {
    private static let sqrtHalf: Float = 0.707106781186547524
    private static let logP: [Float] = [7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
                                        1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
                                        3.3333331174E-1]
    private static let logQ1: Float = -2.12194440e-4
    private static let logQ2: Float = 0.693359375
    private static let dp1: Float = -0.78515625
    private static let dp2: Float = -2.4187564849853515625e-4
    private static let dp3: Float = -3.77489497744594108e-8
    private static let sinP: [Float] = [-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1]
    private static let cosP: [Float] = [2.443315711809948E-005, -1.388731625493765E-003, 4.166664568298827E-002]
    private static let fourOverPi: Float = 1.27323954473516
    static let twoPi = Float(2.0 * Double.pi)

    /// `a * b + c` rounded once.
    @inline(__always)
    private static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float { c.addingProduct(a, b) }

    /// Natural logarithm of x in (0, 1].
    static func log(_ value: Float) -> Float {
        let bits = value.bitPattern
        var e = Float(Int32(bitPattern: bits >> 23) - 0x7f)
        var x = Float(bitPattern: (bits & ~0x7f80_0000) | Float(0.5).bitPattern)
        e = e + 1
        if x < sqrtHalf {
            e = e - 1
            x = (x - 1) + x
        } else {
            x = x - 1
        }
        let z = x * x
        var y = logP[0]
        for k in 1..<9 { y = fma(y, x, logP[k]) }
        y = y * x
        y = fma(y, z, e * logQ1)
        y = fma(z, -0.5, y)
        return fma(e, logQ2, x + y)
    }

    /// (sin x, cos x).
    static func sincos(_ value: Float) -> (sin: Float, cos: Float) {
        var signSin = value < 0
        var x = Swift.abs(value)
        var j = Int32(x * fourOverPi)
        j = (j + 1) & ~1
        let y = Float(j)
        signSin = signSin != ((j & 4) != 0)
        let signCos = (~(j - 2) & 4) != 0
        let useSinPolynomial = (j & 2) == 0
        x = fma(y, dp1, x)
        x = fma(y, dp2, x)
        x = fma(y, dp3, x)
        let z = x * x
        var yc = fma(cosP[0], z, cosP[1])
        yc = fma(yc, z, cosP[2])
        yc = yc * z
        yc = fma(yc, z, -(z * 0.5))
        yc = yc + 1
        var ys = fma(sinP[0], z, sinP[1])
        ys = fma(ys, z, sinP[2])
        ys = ys * z
        ys = fma(ys, x, x)
        let (s, c) = useSinPolynomial ? (ys, yc) : (yc, ys)
        return (signSin ? -s : s, signCos ? -c : c)
    }
}
