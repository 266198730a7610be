import NNVizCore

// The activation layers, named and printed as PyTorch's `nn` classes. Each forwards to the Tensor method
// of the same name, so `ELU(alpha: 0.5)(x)` and `x.elu(alpha: 0.5)` record the same graph.

// MARK: - Rectifiers

/// `max(x, 0)`, like `nn.ReLU()` (`ReluBackward0`).
///
/// ```swift
/// let model = Sequential(Linear(3, 4), ReLU(), Linear(4, 1))
/// ```
public final class ReLU: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.relu() }
}

/// `min(max(x, 0), 6)`, like `nn.ReLU6()` (`HardtanhBackward0`, as PyTorch records it).
///
/// ```swift
/// ReLU6()(Tensor([-1.0, 8.0]))   // tensor([0., 6.])
/// ```
public final class ReLU6: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.relu6() }
}

/// `x` where positive, `negativeSlope · x` elsewhere, like `nn.LeakyReLU` (`LeakyReluBackward0`).
///
/// ```swift
/// print(LeakyReLU(negativeSlope: 0.2))   // LeakyReLU(negative_slope=0.2)
/// ```
public final class LeakyReLU: Module {
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("leaky_relu_cpu") }
    public override var extraDescription: String { "negative_slope=\(pythonFloat(negativeSlope))" }
}

/// A leaky ReLU with a learnable slope `weight`, one shared or one per channel (dimension 1), like
/// `nn.PReLU` (`PreluKernelBackward0`; `weight` reaches it through a `ViewBackward0`).
///
/// ```swift
/// let act = PReLU(numParameters: 3, init: 0.1)
/// print(act.namedParameters().map(\.name))   // ["weight"]
/// ```
public final class PReLU: Module {
    public let numParameters: Int
    @Param public var weight: Tensor?

    public init(numParameters: Int = 1, init initialSlope: Double = 0.25) {
        precondition(numParameters >= 1, "PReLU: num_parameters must be positive, got \(numParameters)")
        self.numParameters = numParameters
        super.init()
        weight = Tensor.full([numParameters], initialSlope)
    }
    public override func forward(_ input: Tensor) -> Tensor { input.prelu(weight!) }
    public override func check(_ input: Tensor) throws { try input.checkPrelu(weight!) }

    /// The output shape (the input's), or PyTorch's error when `numParameters` slopes do not match the
    /// channels (dimension 1) of the input.
    ///
    /// ```swift
    /// try PReLU.outputShape(input: [2, 3, 4], numParameters: 3)    // [2, 3, 4]
    /// ```
    public static func outputShape(input: [Int], numParameters: Int) throws -> [Int] {
        if numParameters != 1 {
            guard !input.isEmpty else { throw TensorError("Not allow zero-dim input tensor.") }
            let channels = input.count > 1 ? input[1] : 1
            guard channels == numParameters else {
                throw TensorError("Mismatch of parameter numbers and input channel size. Found parameter numbers = \(numParameters) and channel size = \(channels).")
            }
        }
        return input
    }
    public override var extraDescription: String { "num_parameters=\(numParameters)" }
}

/// Randomized leaky ReLU, like `nn.RReLU`: in training mode each non-positive element gets a slope drawn
/// uniformly from `[lower, upper]`; in evaluation mode the slope is `(lower + upper) / 2`
/// (`RreluWithNoiseBackward0`).
///
/// ```swift
/// let act = RReLU().eval()
/// act(Tensor([-1.0, 2.0]))   // tensor([-0.2292,  2.0000])
/// ```
public final class RReLU: Module {
    public let lower: Double
    public let upper: Double
    /// Where training-mode slopes are drawn from.
    public let generator: Generator

    public init(lower: Double = 1.0 / 8, upper: Double = 1.0 / 3, generator: Generator = defaultGenerator) {
        precondition(lower <= upper, "Lower bound should be less than or equal to the upper bound")
        self.lower = lower
        self.upper = upper
        self.generator = generator
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor {
        input.rrelu(lower: lower, upper: upper, training: training, generator: generator)
    }
    public override func check(_ input: Tensor) throws {
        try input.checkFloatingPoint(training ? "rrelu_with_noise_out_cpu" : "leaky_relu_cpu")
    }
    public override var extraDescription: String { "lower=\(pythonFloat(lower)), upper=\(pythonFloat(upper))" }
}

/// Clamps to `[minVal, maxVal]`, like `nn.Hardtanh` (`HardtanhBackward0`).
///
/// ```swift
/// print(Hardtanh(minVal: -2, maxVal: 0.5))   // Hardtanh(min_val=-2.0, max_val=0.5)
/// ```
public final class Hardtanh: Module {
    public let minVal: Double
    public let maxVal: Double
    public init(minVal: Double = -1, maxVal: Double = 1) {
        precondition(maxVal > minVal, "max_val (\(pythonFloat(maxVal))) must be greater than min_val (\(pythonFloat(minVal)))")
        self.minVal = minVal
        self.maxVal = maxVal
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.hardtanh(minVal: minVal, maxVal: maxVal) }
    public override var extraDescription: String { "min_val=\(pythonFloat(minVal)), max_val=\(pythonFloat(maxVal))" }
}

/// `value` where `x ≤ threshold`, `x` elsewhere, like `nn.Threshold` (`ThresholdBackward0`).
///
/// ```swift
/// Threshold(threshold: 0.1, value: 20)(Tensor([0.0, 0.5]))   // tensor([20.0000,  0.5000])
/// ```
public final class Threshold: Module {
    public let threshold: Double
    public let value: Double
    public init(threshold: Double, value: Double) {
        self.threshold = threshold
        self.value = value
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.threshold(threshold, value: value) }
    public override var extraDescription: String { "threshold=\(pythonFloat(threshold)), value=\(pythonFloat(value))" }
}

/// Zero inside `[-lambda, lambda]`, `x` outside, like `nn.Hardshrink` (`HardshrinkBackward0`).
///
/// ```swift
/// print(Hardshrink())   // Hardshrink(0.5)
/// ```
public final class Hardshrink: Module {
    public let lambda: Double
    public init(lambda: Double = 0.5) {
        self.lambda = lambda
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.hardshrink(lambda: lambda) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("hardshrink_cpu") }
    public override var extraDescription: String { pythonFloat(lambda) }
}

/// Moves elements `lambda` towards zero, like `nn.Softshrink` (`SoftshrinkBackward0`).
///
/// ```swift
/// print(Softshrink(lambda: 1))   // Softshrink(1.0)
/// ```
public final class Softshrink: Module {
    public let lambda: Double
    public init(lambda: Double = 0.5) {
        precondition(lambda >= 0, "lambda must be greater or equal to 0, but found to be \(pythonFloat(lambda)).")
        self.lambda = lambda
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.softshrink(lambda: lambda) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("softshrink_check") }
    public override var extraDescription: String { pythonFloat(lambda) }
}

// MARK: - Smooth

/// Logistic sigmoid, like `nn.Sigmoid()` (`SigmoidBackward0`).
///
/// ```swift
/// let classifier = Sequential(Linear(2, 1), Sigmoid())
/// ```
public final class Sigmoid: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// Hyperbolic tangent, like `nn.Tanh()` (`TanhBackward0`).
///
/// ```swift
/// let layer = Sequential(Linear(2, 1), Tanh())
/// ```
public final class Tanh: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.tanh() }
}

/// `x` where positive, `alpha · (eˣ − 1)` elsewhere, like `nn.ELU` (`EluBackward0`).
///
/// ```swift
/// print(ELU(alpha: 0.5))   // ELU(alpha=0.5)
/// ```
public final class ELU: Module {
    public let alpha: Double
    public init(alpha: Double = 1) {
        self.alpha = alpha
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.elu(alpha: alpha) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("elu_cpu") }
    public override var extraDescription: String { "alpha=\(pythonFloat(alpha))" }
}

/// Scaled ELU with fixed constants, like `nn.SELU()` (`EluBackward0`).
///
/// ```swift
/// SELU()(Tensor([-1.0, 2.0]))   // tensor([-1.1113,  2.1014])
/// ```
public final class SELU: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.selu() }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("elu_cpu") }
}

/// `x` where positive, `alpha · (e^(x/alpha) − 1)` elsewhere, like `nn.CELU` (`CeluBackward0`).
///
/// ```swift
/// print(CELU(alpha: 2))   // CELU(alpha=2.0)
/// ```
public final class CELU: Module {
    public let alpha: Double
    public init(alpha: Double = 1) {
        precondition(alpha != 0, "ZeroDivisionError: alpha cannot be 0 for CELU")
        self.alpha = alpha
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.celu(alpha: alpha) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("elu_cpu") }
    public override var extraDescription: String { "alpha=\(pythonFloat(alpha))" }
}

/// The Gaussian error linear unit, exact or tanh-approximated, like `nn.GELU` (`GeluBackward0`).
///
/// ```swift
/// print(GELU(approximate: .tanh))   // GELU(approximate='tanh')
/// ```
public final class GELU: Module {
    /// PyTorch's `approximate` argument.
    public enum Approximation: String, Sendable {
        /// `x · Φ(x)` with the exact normal CDF (erf).
        case none
        /// `½x · (1 + tanh(√(2/π) · (x + 0.044715x³)))`.
        case tanh
    }

    public let approximate: Approximation
    public init(approximate: Approximation = .none) {
        self.approximate = approximate
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.gelu(approximate: approximate) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("GeluKernelImpl") }
    public override var extraDescription: String { "approximate='\(approximate.rawValue)'" }
}

/// `log(1 + e^(beta·x)) / beta`, linear above `threshold`, like `nn.Softplus` (`SoftplusBackward0`).
///
/// ```swift
/// print(Softplus(beta: 2, threshold: 5))   // Softplus(beta=2.0, threshold=5.0)
/// ```
public final class Softplus: Module {
    public let beta: Double
    public let threshold: Double
    public init(beta: Double = 1, threshold: Double = 20) {
        self.beta = beta
        self.threshold = threshold
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.softplus(beta: beta, threshold: threshold) }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("softplus_cpu") }
    public override var extraDescription: String { "beta=\(pythonFloat(beta)), threshold=\(pythonFloat(threshold))" }
}

/// `log(sigmoid(x))`, like `nn.LogSigmoid()` (`LogSigmoidBackward0`).
///
/// ```swift
/// LogSigmoid()(Tensor([0.0]))   // tensor([-0.6931])
/// ```
public final class LogSigmoid: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.logSigmoid() }
    public override func check(_ input: Tensor) throws { try input.checkFloatingPoint("log_sigmoid_cpu") }
}

/// `x / (1 + |x|)`, like `nn.Softsign()` (a composite: `DivBackward0`, `AddBackward0`, `AbsBackward0`).
///
/// ```swift
/// Softsign()(Tensor([-3.0]))   // tensor([-0.7500])
/// ```
public final class Softsign: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.softsign() }
}

/// `x − tanh(x)`, like `nn.Tanhshrink()` (a composite: `SubBackward0` of `TanhBackward0`).
///
/// ```swift
/// Tanhshrink()(Tensor([2.0]))   // tensor([1.0360])
/// ```
public final class Tanhshrink: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.tanhshrink() }
}
