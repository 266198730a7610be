import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// Activation modules and functions against activations.json (values, input gradients, grad_fn names),
/// PyTorch's saved attributes and reprs, and float64 finite differences.
@Suite(.serialized)
struct ActivationTests {
    // MARK: - Fixture

    static let cases: [[String: Any]] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/activations.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return root["cases"] as! [[String: Any]]
    }()

    static func fixtureCase(_ name: String) -> [String: Any] {
        cases.first { $0["name"] as? String == name }!
    }

    /// The module a case names, built from its `arguments` (PyTorch's defaults filled in).
    static func module(for fixture: [String: Any]) -> Module {
        let a = fixture["arguments"] as! [String: Any]
        func number(_ key: String) -> Double { (a[key] as! NSNumber).doubleValue }
        func dim() -> Int { (a["dim"] as! NSNumber).intValue }
        switch fixture["module"] as! String {
        case "ELU": return ELU(alpha: number("alpha"))
        case "Hardshrink": return Hardshrink(lambda: number("lambd"))
        case "Hardtanh": return Hardtanh(minVal: number("min_val"), maxVal: number("max_val"))
        case "LeakyReLU": return LeakyReLU(negativeSlope: number("negative_slope"))
        case "LogSigmoid": return LogSigmoid()
        case "PReLU": return PReLU(numParameters: Int(number("num_parameters")), init: number("init"))
        case "ReLU": return ReLU()
        case "ReLU6": return ReLU6()
        case "RReLU": return RReLU(lower: number("lower"), upper: number("upper"))
        case "SELU": return SELU()
        case "CELU": return CELU(alpha: number("alpha"))
        case "GELU": return GELU(approximate: GELU.Approximation(rawValue: a["approximate"] as! String)!)
        case "Sigmoid": return Sigmoid()
        case "Softplus": return Softplus(beta: number("beta"), threshold: number("threshold"))
        case "Softshrink": return Softshrink(lambda: number("lambd"))
        case "Softsign": return Softsign()
        case "Tanh": return Tanh()
        case "Tanhshrink": return Tanhshrink()
        case "Threshold": return Threshold(threshold: number("threshold"), value: number("value"))
        case "Softmin": return Softmin(dim: dim())
        case "Softmax": return Softmax(dim: dim())
        case "Softmax2d": return Softmax2d()
        case "LogSoftmax": return LogSoftmax(dim: dim())
        case let other: fatalError("no module for \(other)")
        }
    }

    @Test(arguments: cases.map { $0["name"] as! String })
    func matchesPyTorch(_ name: String) {
        let fixture = Self.fixtureCase(name)
        let model = Self.module(for: fixture)
        model.eval()
        let input = ActFixture.decode(fixture["input"]).requiresGrad_()
        let output = model(input)
        ActFixture.expectClose(output, fixture["output"], "\(name) output")
        (output * ActFixture.decode(fixture["loss_weight"])).sum().backward()
        ActFixture.expectClose(input.grad!, fixture["input_grad"], "\(name) input grad")
        #expect(ActFixture.gradFnNames(output) == fixture["grad_fns"] as! [String], "\(name)")
        if let grads = fixture["parameter_grads"] as? [[String: Any]] {
            let params = model.namedParameters()
            #expect(params.map(\.name) == grads.map { $0["name"] as! String })
            for (param, grad) in zip(params, grads) {
                ActFixture.expectClose(param.tensor.grad!, grad["grad"], "\(name) \(param.name) grad")
            }
            let initial = fixture["parameters"] as! [[String: Any]]
            for (param, value) in zip(params, initial) {
                #expect(param.tensor.floats == ActFixture.decode(value["value"]).floats)
            }
        }
    }

    // MARK: - Saved attributes and reprs

    /// The `_saved_*` attributes of each case's output node, read from PyTorch 2.15 (`dir(grad_fn)`).
    static let savedByPyTorch: [String: [SavedValue]] = {
        let x: SavedValue = .tensor("self", shape: [3, 7])
        func a(_ name: String, _ value: String) -> SavedValue { .attribute(name, value) }
        return [
            "elu": [a("alpha", "1.0"), a("input_scale", "1"), a("scale", "1"), x],
            "elu_alpha0.5": [a("alpha", "0.5"), a("input_scale", "1"), a("scale", "1"), x],
            "hardshrink": [a("lambd", "0.5"), x],
            "hardtanh_m2_0.5": [a("max_val", "0.5"), a("min_val", "-2.0"), x],
            "leaky_relu": [a("negative_slope", "0.01"), x],
            "log_sigmoid": [.tensor("buffer", shape: [3, 7]), x],
            "prelu": [x, .tensor("weight", shape: [1, 1])],
            "relu": [.tensor("result", shape: [3, 7])],
            "relu6": [a("max_val", "6.0"), a("min_val", "0.0"), x],
            "rrelu_eval": [a("lower", "0.125"), .tensor("noise", shape: [3, 7]), x, a("training", "False"),
                           a("upper", "0.3333333333333333")],
            "selu": [a("alpha", "1.6732632423543772"), a("input_scale", "1"), a("scale", "1.0507009873554805"), x],
            "celu_alpha2": [a("alpha", "2.0"), x],
            "gelu": [a("approximate", "none"), x],
            "gelu_tanh": [a("approximate", "tanh"), x],
            "softplus_beta2_threshold5": [a("beta", "2.0"), x, a("threshold", "5.0")],
            "softshrink_lambda1": [a("lambd", "1.0"), x],
            "softsign": [.tensor("other", shape: [3, 7]), x],
            "tanhshrink": [a("alpha", "1")],
            "threshold_m0.5_m3": [x, a("threshold", "-0.5")],
            "softmin_dim0": [a("dim", "0"), .tensor("result", shape: [3, 7])],
            "softmax_dim1": [a("dim", "1"), .tensor("result", shape: [3, 7])],
            "softmax2d": [a("dim", "18446744073709551613"), .tensor("result", shape: [3, 1, 7])],
            "log_softmax_dim0": [a("dim", "0"), .tensor("result", shape: [3, 7])],
        ]
    }()

    @Test(arguments: savedByPyTorch.keys.sorted())
    func savedAttributesMatchPyTorch(_ name: String) {
        let fixture = Self.fixtureCase(name)
        let output = Self.module(for: fixture).eval()(ActFixture.decode(fixture["input"]).requiresGrad_())
        #expect(output.gradFn!.saved == Self.savedByPyTorch[name]!)
    }

    @Test func preluViewsItsWeightAsPyTorchDoes() {
        let act = PReLU(numParameters: 3, init: 0.1)
        let y = act(Tensor.ones([2, 3, 4]).requiresGrad_())
        let view = y.gradFn!.nextFunctions[1]!
        #expect(view.name == "ViewBackward0")
        #expect(view.saved == [.attribute("self_sym_sizes", "(3,)")])
        #expect(y.gradFn!.saved == [.tensor("self", shape: [2, 3, 4]), .tensor("weight", shape: [1, 3, 1])])
    }

    @Test func reprsMatchPyTorch() {
        let expected: [(Module, String)] = [
            (ELU(), "ELU(alpha=1.0)"), (Hardshrink(), "Hardshrink(0.5)"),
            (Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)"), (ReLU6(), "ReLU6()"),
            (LeakyReLU(), "LeakyReLU(negative_slope=0.01)"), (LogSigmoid(), "LogSigmoid()"),
            (PReLU(), "PReLU(num_parameters=1)"), (PReLU(numParameters: 3, init: 0.1), "PReLU(num_parameters=3)"),
            (RReLU(), "RReLU(lower=0.125, upper=0.3333333333333333)"), (SELU(), "SELU()"), (CELU(), "CELU(alpha=1.0)"),
            (GELU(), "GELU(approximate='none')"), (GELU(approximate: .tanh), "GELU(approximate='tanh')"),
            (Softplus(), "Softplus(beta=1.0, threshold=20.0)"), (Softshrink(), "Softshrink(0.5)"),
            (Softsign(), "Softsign()"), (Tanhshrink(), "Tanhshrink()"), (ReLU(), "ReLU()"), (Sigmoid(), "Sigmoid()"),
            (Tanh(), "Tanh()"), (Threshold(threshold: 0.1, value: 20), "Threshold(threshold=0.1, value=20.0)"),
            (Softmin(dim: 1), "Softmin(dim=1)"), (Softmax(dim: -1), "Softmax(dim=-1)"), (Softmax2d(), "Softmax2d()"),
            (LogSoftmax(dim: 1), "LogSoftmax(dim=1)"),
        ]
        for (module, text) in expected { #expect(module.description == text) }
        #expect(Sequential(Linear(2, 2), ReLU()).description.contains("(1): ReLU()"))
    }

    @Test func documentedExamplesHoldTheirValues() {
        func rounded(_ t: Tensor) -> [Double] { t.scalars.map { ($0 * 1e4).rounded() / 1e4 } }
        #expect(rounded(Tensor([-2.0, 3.0]).leakyRelu(negativeSlope: 0.1)) == [-0.2, 3])
        #expect(rounded(Tensor([-1.0, 0.3, 0.7]).softshrink()) == [-0.5, 0, 0.2])
        #expect(rounded(Tensor([-1.0, 2.0]).rrelu(training: false)) == [-0.2292, 2])
        #expect(rounded(Tensor([-1.0, 2.0]).elu()) == [-0.6321, 2])
        #expect(rounded(Tensor([-1.0, 2.0]).selu()) == [-1.1113, 2.1014])
        #expect(rounded(Tensor([-1.0, 2.0]).celu(alpha: 2)) == [-0.7869, 2])
        #expect(rounded(Tensor([-1.0, 1.0]).gelu()) == [-0.1587, 0.8413])
        #expect(rounded(Tensor([-1.0, 1.0]).gelu(approximate: .tanh)) == [-0.1588, 0.8412])
        #expect(rounded(Tensor([-1.0, 0.0, 30.0]).softplus()) == [0.3133, 0.6931, 30])
        #expect(rounded(Tensor([-30.0, 0.0]).logSigmoid()) == [-30, -0.6931])
        #expect(rounded(Tensor([-1.0, 2.0]).tanhshrink()) == [-0.2384, 1.036])
        #expect(rounded(Tensor([[1.0, 2.0, 3.0]]).softmax(dim: 1)) == [0.09, 0.2447, 0.6652])
        #expect(rounded(Tensor([[1.0, 2.0, 3.0]]).logSoftmax(dim: 1)) == [-2.4076, -1.4076, -0.4076])
        #expect(rounded(Tensor([[1.0, 2.0, 3.0]]).softmin(dim: 1)) == [0.6652, 0.2447, 0.09])
    }

    // MARK: - RReLU in training

    /// `torch.manual_seed(0); nn.RReLU(0.1, 0.3)(x)` on the fixture input, then `sum().backward()`, and
    /// the `torch.rand(1)` that follows (values from PyTorch 2.15).
    @Test func rreluTrainingDrawsSlopesAsPyTorch() {
        withManualSeed(0) { rreluSeed0() }
        withManualSeed(5) {
            let d = RReLU()(Tensor([-2.0, 1.0, -3.0], dtype: .float64))
            #expect(d.scalars == [-0.5175062527617058, 1.0, -0.537348696985197])
        }
    }

    func rreluSeed0() {
        let x = ActFixture.decode(Self.fixtureCase("rrelu_eval")["input"]).requiresGrad_()
        let act = RReLU(lower: 0.1, upper: 0.3)
        #expect(act.training)
        let y = act(x)
        let expected: [Double] = [-7.350265026092529, -0.7246919274330139, -0.2878148853778839, -0.28414955735206604,
                                  -0.13740290701389313, -0.1291147917509079, -0.05428849533200264, -0.017022153362631798,
                                  0, 0.10000000149011612, 0.4000000059604645, 0.5, 0.6000000238418579, 1, 1.5, 3, 5.5, 6,
                                  6.5, 20, 25]
        #expect(y.floats == expected.map { Float($0) })
        y.sum().backward()
        #expect(x.grad!.floats == [0.29401060938835144, 0.24156397581100464, 0.1918765902519226, 0.28414955735206604,
                                   0.22900483012199402, 0.2582295835018158, 0.13572123646736145, 0.17022153735160828,
                                   0.21626819670200348].map { Float($0) } + [Float](repeating: 1, count: 12))
        #expect(y.gradFn!.saved.first { $0.name == "training" } == .attribute("training", "True"))
        #expect(Tensor.rand([1]).floats == [Float(0.16102945804595947)])
    }

    // MARK: - Finite differences

    /// Points away from every kink (0, ±0.5, ±1, 0.1, 6).
    static let probe: [Double] = [-2.3, -1.7, -0.8, -0.33, 0.27, 0.71, 1.3, 2.9, 6.4, -0.07]

    static let functions: [(String, (Tensor) -> Tensor)] = [
        ("elu", { $0.elu(alpha: 0.7) }), ("selu", { $0.selu() }), ("celu", { $0.celu(alpha: 2) }),
        ("gelu", { $0.gelu() }), ("gelu_tanh", { $0.gelu(approximate: .tanh) }),
        ("softplus", { $0.softplus(beta: 2, threshold: 5) }), ("log_sigmoid", { $0.logSigmoid() }),
        ("softsign", { $0.softsign() }), ("tanhshrink", { $0.tanhshrink() }),
        ("leaky_relu", { $0.leakyRelu(negativeSlope: 0.2) }), ("hardtanh", { $0.hardtanh() }), ("relu6", { $0.relu6() }),
        ("threshold", { $0.threshold(0.1, value: 20) }), ("hardshrink", { $0.hardshrink() }),
        ("softshrink", { $0.softshrink() }), ("rrelu_eval", { $0.rrelu() }),
        ("prelu", { $0.prelu(Tensor([0.3], dtype: .float64)) }),
        ("softmax_dim0", { $0.view([2, 5]).softmax(dim: 0) }), ("softmax_dim1", { $0.view([2, 5]).softmax(dim: -1) }),
        ("log_softmax_dim0", { $0.view([2, 5]).logSoftmax(dim: 0) }),
        ("log_softmax_dim1", { $0.view([2, 5]).logSoftmax(dim: 1) }), ("softmin", { $0.view([5, 2]).softmin(dim: 1) }),
        ("softmax2d", { Softmax2d()($0.view([1, 5, 1, 2])) }),
    ]

    @Test(arguments: functions.map(\.0))
    func gradientsMatchFiniteDifferences(_ name: String) {
        let f = Self.functions.first { $0.0 == name }!.1
        let weights = Tensor(shape: [10], values: (0..<10).map { 0.3 + 0.17 * Double($0) }, dtype: .float64)
        let probe = Tensor(shape: [10], values: Self.probe, dtype: .float64)
        let (analytic, numeric) = ActFixture.finiteDifferences(probe) { (f($0).reshape([-1]) * weights).sum() }
        for i in analytic.indices {
            #expect(abs(analytic[i] - numeric[i]) <= 1e-7 * max(1, abs(numeric[i])), "\(name)[\(i)]: \(analytic[i]) vs \(numeric[i])")
        }
    }

    @Test func preluWeightGradientMatchesFiniteDifferences() {
        let x = Tensor(shape: [2, 3, 2], values: (0..<12).map { Double($0) * 0.37 - 2.1 }, dtype: .float64)
        let w = Tensor(shape: [3], values: [0.2, -0.4, 0.9], dtype: .float64)
        let (analytic, numeric) = ActFixture.finiteDifferences(w) { (x.prelu($0) * x).sum() }
        for i in analytic.indices { #expect(abs(analytic[i] - numeric[i]) <= 1e-7) }
    }

    // MARK: - Errors and dtypes

    @Test func integerInputsFailAsInPyTorch() {
        let ints = Tensor([1, 2, -3])
        #expect(throws: TensorError("\"elu_cpu\" not implemented for 'Long'")) { try ELU().check(ints) }
        #expect(throws: TensorError("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'")) { try Softmax(dim: 0).check(ints) }
        #expect(throws: TensorError("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) {
            try Softmax(dim: 2).check(Tensor.zeros([2, 3]))
        }
        #expect(throws: TensorError("Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4.")) {
            try PReLU(numParameters: 3).check(Tensor.zeros([2, 4]))
        }
        #expect(throws: TensorError("Softmax2d: expected input to be 3D or 4D, got 2D instead")) { try Softmax2d().check(Tensor.zeros([3, 4])) }
        // Hardtanh and Threshold run on integers in PyTorch, with their bounds truncated.
        #expect(Hardtanh()(ints).scalars == [1, 1, -1])
        #expect(Hardtanh()(ints).dtype == .int64)
        #expect(Threshold(threshold: 0.1, value: 20)(ints).scalars == [1, 2, 20])
    }

    @Test func float64StaysFloat64AndNaNPropagates() {
        let x = Tensor([Double.nan, -1, 2], dtype: .float64)
        for y in [x.elu(), x.gelu(), x.hardtanh(), x.leakyRelu(), x.softplus(), x.logSigmoid(), x.softshrink()] {
            #expect(y.dtype == .float64)
            #expect(y.scalars[0].isNaN)
        }
        #expect(Tensor([[1.0, .nan, 0.0]]).softmax(dim: 1).floats.allSatisfy { $0.isNaN })
        #expect(Tensor([[1.0, 2.0]]).softmax(dim: 1).floats.reduce(0, +) == 1)
    }
}

/// Fixture tensors and numeric comparisons shared by the activation and loss tests.
enum ActFixture {
    /// Graph walk as the fixtures record it: depth-first preorder, each node once, nil edges skipped.
    static func gradFnNames(_ tensor: Tensor) -> [String] {
        var seen = Set<ObjectIdentifier>(), names: [String] = []
        var stack: [GradFn] = tensor.gradFn.map { [$0] } ?? []
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            names.append(node.name)
            stack.append(contentsOf: node.nextFunctions.compactMap { $0 }.reversed())
        }
        return names
    }

    /// A `{"shape", "data", "dtype"?}` object as a tensor (float32 unless `dtype` says otherwise).
    static func decode(_ object: Any?) -> Tensor {
        let dict = object as! [String: Any]
        let shape = numbers(dict["shape"]).map { Int($0) }
        let data = numbers(dict["data"])
        switch dict["dtype"] as? String {
        case "int64": return Tensor(shape: shape, values: data, dtype: .int64)
        case "float64": return Tensor(shape: shape, values: data, dtype: .float64)
        default: return Tensor(shape: shape, floats: data.map { Float($0) })
        }
    }

    /// A JSON array of numbers, or a Swift array of Int or Double written in a test, as Doubles.
    static func numbers(_ array: Any?) -> [Double] {
        if let values = array as? [Double] { return values }
        if let values = array as? [Int] { return values.map(Double.init) }
        return (array as! [NSNumber]).map(\.doubleValue)
    }

    /// Expects `actual` to equal the fixture tensor in shape and values within 1e-6 (relative above 1).
    /// PyTorch's vectorised exp, log, tanh and erf (SLEEF) differ from libm in the last bit, and
    /// `1 − tanh²` or a log of a sum near 1 magnify that, so exact equality holds only for the
    /// piecewise-linear activations.
    static func expectClose(_ actual: Tensor, _ expected: Any?, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = decode(expected)
        #expect(actual.shape == reference.shape, "\(label) shape", sourceLocation: sourceLocation)
        for (a, e) in zip(actual.floats, reference.floats) {
            let ok = a == e || (a.isNaN && e.isNaN) || abs(a - e) <= 1e-6 * max(1, abs(e))
            #expect(ok, "\(label): \(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }

    /// The gradient of `f` at float64 `x` by backward and by central differences (step 1e-6).
    static func finiteDifferences(_ x: Tensor, _ f: (Tensor) -> Tensor) -> (analytic: [Double], numeric: [Double]) {
        let leaf = x.copy().requiresGrad_()
        f(leaf).backward()
        let analytic = leaf.grad!.scalars
        let h = 1e-6
        let numeric = x.scalars.indices.map { i -> Double in
            var plus = x.scalars, minus = x.scalars
            plus[i] += h
            minus[i] -= h
            let up = noGrad { f(Tensor(shape: x.shape, values: plus, dtype: .float64)).item() }
            let down = noGrad { f(Tensor(shape: x.shape, values: minus, dtype: .float64)).item() }
            return (up - down) / (2 * h)
        }
        return (analytic, numeric)
    }
}
