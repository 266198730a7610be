import Foundation
import NNVizCore

// Smooth activations, as methods on Tensor (`x.gelu()`). `tanh()` and `sigmoid()` are in the core.

// MARK: - Functions

extension Tensor {
    /// `x` where positive, `alpha · (eˣ − 1)` elsewhere, like `F.elu` (`EluBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 2.0]).elu()   // tensor([-0.6321,  2.0000])
    /// ```
    public func elu(alpha: Double = 1) -> Tensor {
        applying(EluKernel(alpha: alpha, scale: 1, inputScale: 1, node: "EluBackward0",
                           attributes: [.attribute("alpha", pythonFloat(alpha)), .attribute("input_scale", "1"),
                                        .attribute("scale", "1")]))
    }

    /// Scaled ELU with PyTorch's constants (α ≈ 1.6733, scale ≈ 1.0507), like `F.selu`; PyTorch records
    /// it as an ELU (`EluBackward0` with those `alpha` and `scale`).
    ///
    /// ```swift
    /// Tensor([-1.0, 2.0]).selu()   // tensor([-1.1113,  2.1014])
    /// ```
    public func selu() -> Tensor {
        let alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946
        return applying(EluKernel(alpha: alpha, scale: scale, inputScale: 1, node: "EluBackward0",
                                  attributes: [.attribute("alpha", pythonFloat(alpha)), .attribute("input_scale", "1"),
                                               .attribute("scale", pythonFloat(scale))]))
    }

    /// `x` where positive, `alpha · (e^(x/alpha) − 1)` elsewhere, like `F.celu` (`CeluBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 2.0]).celu(alpha: 2)   // tensor([-0.7869,  2.0000])
    /// ```
    public func celu(alpha: Double = 1) -> Tensor {
        precondition(alpha != 0, "ZeroDivisionError: alpha cannot be 0 for CELU")
        return applying(EluKernel(alpha: alpha, scale: 1, inputScale: 1 / alpha, node: "CeluBackward0",
                                  attributes: [.attribute("alpha", pythonFloat(alpha))]))
    }

    /// The Gaussian error linear unit `x · Φ(x)`, or its tanh approximation, like `F.gelu` (`GeluBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 1.0]).gelu()                     // tensor([-0.1587,  0.8413])
    /// Tensor([-1.0, 1.0]).gelu(approximate: .tanh)   // tensor([-0.1588,  0.8412])
    /// ```
    public func gelu(approximate: GELU.Approximation = .none) -> Tensor {
        applying(GeluKernel(approximate: approximate))
    }

    /// `log(1 + e^(beta·x)) / beta`, and `x` itself once `beta · x > threshold`, like `F.softplus`
    /// (`SoftplusBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 0.0, 30.0]).softplus()   // tensor([ 0.3133,  0.6931, 30.0000])
    /// ```
    public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
        applying(SoftplusKernel(beta: beta, threshold: threshold))
    }

    /// `log(sigmoid(x))`, computed stably, like `F.logsigmoid` (`LogSigmoidBackward0`).
    ///
    /// ```swift
    /// Tensor([-30.0, 0.0]).logSigmoid()   // tensor([-30.0000,  -0.6931])
    /// ```
    public func logSigmoid() -> Tensor { applying(LogSigmoidKernel()) }

    /// `x / (1 + |x|)`, like `F.softsign`; a composite as in PyTorch (`DivBackward0` of `AbsBackward0` + 1).
    ///
    /// ```swift
    /// Tensor([-3.0, 1.0]).softsign()   // tensor([-0.7500,  0.5000])
    /// ```
    public func softsign() -> Tensor { self / (abs() + 1) }

    /// `x − tanh(x)`, like `F.tanhshrink`; a composite as in PyTorch (`SubBackward0` of `TanhBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 2.0]).tanhshrink()   // tensor([-0.2384,  1.0360])
    /// ```
    public func tanhshrink() -> Tensor { self - tanh() }
}

// MARK: - Kernels

/// `elu(x, alpha, scale, input_scale)` and its backward (ELU, SELU and CELU), as PyTorch's CPU kernel
/// computes them: the coefficients are products of the constants rounded to the element type.
struct EluKernel: PointwiseActivation {
    let alpha: Double, scale: Double, inputScale: Double
    let node: String
    let attributes: [SavedValue]
    var nodeName: String { node }
    var kernelName: String { "elu_cpu" }
    func value<T: KernelFloat>(_ x: T) -> T {
        x <= 0 ? T.expm1(x * T(inputScale)) * (T(alpha) * T(scale)) : x * T(scale)
    }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T {
        let negiptcoef = T(inputScale)
        return x <= 0 ? g * negiptcoef * (T(alpha) * T(scale)) * T.exp(x * negiptcoef) : g * T(scale)
    }
}

/// `gelu` (exact with erf, or the tanh approximation) and its backward.
struct GeluKernel: PointwiseActivation {
    let approximate: GELU.Approximation
    var nodeName: String { "GeluBackward0" }
    var kernelName: String { "GeluKernelImpl" }
    var attributes: [SavedValue] { [.attribute("approximate", approximate.rawValue)] }

    // PyTorch's constants, computed in double and rounded once to the element type.
    private static let sqrtHalf = 0.70710678118654752440      // M_SQRT1_2
    private static let erfBeta = 1.12837916709551257390 * 0.70710678118654752440 * 0.5   // M_2_SQRTPI·M_SQRT1_2·½
    private static let tanhBeta = 1.41421356237309504880 * 1.12837916709551257390 * 0.5  // M_SQRT2·M_2_SQRTPI·½
    private static let kappa = 0.044715

    func value<T: KernelFloat>(_ x: T) -> T {
        switch approximate {
        case .none:
            return x * T(0.5) * (1 + T.erf(x * T(Self.sqrtHalf)))
        case .tanh:
            let inner = T(Self.tanhBeta) * (x + T(Self.kappa) * (x * x * x))
            return T(0.5) * x * (1 + T.tanh(inner))
        }
    }

    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T {
        switch approximate {
        case .none:
            let cdf = T(0.5) * (1 + T.erf(x * T(Self.sqrtHalf)))
            let pdf = T(Self.erfBeta) * T.exp(x * x * T(-0.5))
            return g * (cdf + x * pdf)
        case .tanh:
            let square = x * x
            let inner = T(Self.tanhBeta) * (x + T(Self.kappa) * (square * x))
            let tanhInner = T.tanh(inner)
            let left = T(0.5) * x, right = 1 + tanhInner
            let rightDerivative = left * (1 - tanhInner * tanhInner) * (T(Self.tanhBeta) * (1 + 3 * T(Self.kappa) * square))
            return g * (T(0.5) * right + rightDerivative)
        }
    }
}

/// `softplus` and its backward.
struct SoftplusKernel: PointwiseActivation {
    let beta: Double, threshold: Double
    var nodeName: String { "SoftplusBackward0" }
    var kernelName: String { "softplus_cpu" }
    var attributes: [SavedValue] {
        [.attribute("beta", pythonFloat(beta)), .attribute("threshold", pythonFloat(threshold))]
    }
    func value<T: KernelFloat>(_ x: T) -> T {
        x * T(beta) > T(threshold) ? x : T.log1p(T.exp(x * T(beta))) / T(beta)
    }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T {
        let z = T.exp(x * T(beta))
        return x * T(beta) > T(threshold) ? g : g * z / (z + 1)
    }
}

/// `log_sigmoid`: `min(x, 0) − log1p(e^−|x|)`; the backward uses the same `e^−|x|` (PyTorch's saved `buffer`).
struct LogSigmoidKernel: PointwiseActivation {
    var nodeName: String { "LogSigmoidBackward0" }
    var kernelName: String { "log_sigmoid_cpu" }
    var attributes: [SavedValue] { [] }
    func value<T: KernelFloat>(_ x: T) -> T { Swift.min(x, 0) - T.log1p(T.exp(-Swift.abs(x))) }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T {
        let buffer = T.exp(-Swift.abs(x))
        let negative = x < 0
        return ((negative ? 1 : 0) - (negative ? 1 : -1) * (buffer / (1 + buffer))) * g
    }
    func saved(_ input: Tensor) -> [SavedValue] {
        [.tensor("buffer", shape: input.shape), .tensor("self", shape: input.shape)]
    }
}
