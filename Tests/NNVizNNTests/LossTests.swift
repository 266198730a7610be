import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// Loss functions and criteria against losses.json (values, input gradients, grad_fn names for every
/// reduction), PyTorch's saved attributes, class weights and ignored targets, errors in PyTorch's words,
/// and float64 finite differences.
@Suite(.serialized)
struct LossTests {
    // MARK: - Fixture

    static let cases: [[String: Any]] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/losses.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return root["cases"] as! [[String: Any]]
    }()

    static func fixtureCase(_ name: String, _ reduction: String) -> [String: Any] {
        cases.first { $0["name"] as? String == name && $0["reduction"] as? String == reduction }!
    }

    /// The loss a case describes, applied to `input` and `target`.
    static func apply(_ fixture: [String: Any], _ input: Tensor, _ target: Tensor) -> Tensor {
        let reduction = Reduction(rawValue: fixture["reduction"] as! String)!
        let module = fixture["module"] as! String
        func argument(_ name: String) -> Double {
            Double(module.components(separatedBy: name + "=")[1].dropLast())!
        }
        let criterion: any Loss
        switch module.split(separator: "(").first! {
        case "nn.MSELoss": criterion = MSELoss(reduction: reduction)
        case "nn.L1Loss": criterion = L1Loss(reduction: reduction)
        case "nn.SmoothL1Loss": criterion = SmoothL1Loss(reduction: reduction, beta: argument("beta"))
        case "nn.HuberLoss": criterion = HuberLoss(reduction: reduction, delta: argument("delta"))
        case "nn.CrossEntropyLoss": criterion = CrossEntropyLoss(reduction: reduction)
        case "nn.BCELoss": criterion = BCELoss(reduction: reduction)
        case "nn.BCEWithLogitsLoss": criterion = BCEWithLogitsLoss(reduction: reduction)
        case "nn.NLLLoss" where module.hasPrefix("nn.NLLLoss()(torch.log_softmax"):
            return NLLLoss(reduction: reduction)(input.logSoftmax(dim: 1), target)
        case "nn.NLLLoss": criterion = NLLLoss(reduction: reduction)
        case let other: fatalError("no loss for \(other)")
        }
        return criterion(input, target)
    }

    @Test(arguments: cases.map { "\($0["name"]!)/\($0["reduction"]!)" })
    func matchesPyTorch(_ key: String) {
        let parts = key.split(separator: "/").map(String.init)
        let fixture = Self.fixtureCase(parts[0], parts[1])
        let input = ActFixture.decode(fixture["input"]).requiresGrad_()
        let target = ActFixture.decode(fixture["target"])
        let output = Self.apply(fixture, input, target)
        ActFixture.expectClose(output, fixture["output"], "\(key) output")
        if parts[1] == "none" {
            (output * ActFixture.decode(fixture["loss_weight"])).sum().backward()
        } else {
            output.backward()
        }
        ActFixture.expectClose(input.grad!, fixture["input_grad"], "\(key) input grad")
        #expect(ActFixture.gradFnNames(output) == fixture["grad_fns"] as! [String], "\(key)")
    }

    // MARK: - Saved attributes and reprs

    /// `_saved_*` attributes of the output node (and of the node below it where listed), read from
    /// PyTorch 2.15; `ignore_index` -100 prints as the unsigned 18446744073709551516.
    static let savedByPyTorch: [String: [[SavedValue]]] = {
        func a(_ name: String, _ value: String) -> SavedValue { .attribute(name, value) }
        let x34: SavedValue = .tensor("self", shape: [3, 4]), t34: SavedValue = .tensor("target", shape: [3, 4])
        let nll: (String) -> [SavedValue] = { reduction in
            [a("ignore_index", "18446744073709551516"), a("reduction", reduction), .tensor("self", shape: [4, 5]),
             .tensor("target", shape: [4]), .tensor("total_weight", shape: []), a("weight", "None")]
        }
        let logSoftmax: [SavedValue] = [a("dim", "1"), .tensor("result", shape: [4, 5])]
        return [
            "mse/mean": [[a("reduction", "1"), x34, t34]],
            "mse/none": [[a("reduction", "0"), x34, t34]],
            "l1/mean": [[a("self_sym_numel", "12"), a("self_sym_sizes", "(3, 4)")], [x34]],
            "smooth_l1_beta0.5/sum": [[a("beta", "0.5"), a("reduction", "2"), x34, t34]],
            "huber_delta2/none": [[a("delta", "2.0"), a("reduction", "0"), x34, t34]],
            "cross_entropy_classes/mean": [nll("1"), logSoftmax],
            "cross_entropy_probs/mean": [[a("other", "4")], [], [a("self_sym_sizes", "(4, 5)")],
                                         [.tensor("other", shape: [4, 5]), a("self", "None")], logSoftmax],
            "cross_entropy_probs/none": [[], [a("dim", "(1,)"), a("keepdim", "False"), a("self_sym_sizes", "(4, 5)")]],
            "nll/sum": [nll("2")],
            "bce/none": [[a("reduction", "0"), x34, t34, a("weight", "None")]],
            "bce_with_logits/mean": [[a("pos_weight", "None"), a("reduction", "1"), x34, t34, a("weight", "None")]],
        ]
    }()

    @Test(arguments: savedByPyTorch.keys.sorted())
    func savedAttributesMatchPyTorch(_ key: String) {
        let parts = key.split(separator: "/").map(String.init)
        let fixture = Self.fixtureCase(parts[0], parts[1])
        let output = Self.apply(fixture, ActFixture.decode(fixture["input"]).requiresGrad_(), ActFixture.decode(fixture["target"]))
        var node = output.gradFn
        for expected in Self.savedByPyTorch[key]! {
            #expect(node?.saved == expected, "\(key) \(node?.name ?? "nil")")
            node = node?.nextFunctions.first ?? nil
        }
    }

    @Test func reprsMatchPyTorch() {
        let criteria: [any Loss] = [MSELoss(), L1Loss(), SmoothL1Loss(), HuberLoss(delta: 2), CrossEntropyLoss(ignoreIndex: 3),
                                    NLLLoss(), BCELoss(), BCEWithLogitsLoss()]
        #expect(criteria.map(\.description) == ["MSELoss()", "L1Loss()", "SmoothL1Loss()", "HuberLoss()", "CrossEntropyLoss()",
                                                "NLLLoss()", "BCELoss()", "BCEWithLogitsLoss()"])
        #expect(Reduction.allCases.map(\.code) == [0, 1, 2])
    }

    // MARK: - Class weights and ignored targets

    /// `nn.CrossEntropyLoss(weight=[0.2, 1, 3, 0.5, 1.5], ignore_index=2, reduction=...)` on the fixture's
    /// logits and targets [1, 0, 4, 2] (the last sample ignored); for `none` the gradient is of
    /// `(out · [0.5, -1, 2, 1.5]).sum()`. Values from PyTorch 2.15.
    @Test func classWeightsAndIgnoreIndexMatchPyTorch() {
        let fixture = Self.fixtureCase("cross_entropy_classes", "mean")
        let logits = ActFixture.decode(fixture["input"]), target = ActFixture.decode(fixture["target"])
        let weight = Tensor([0.2, 1, 3, 0.5, 1.5])
        let expected: [(Reduction, [Double], [Double])] = [
            (.mean, [5.216787815093994], [0.1864316463470459, -0.36328476667404175, 0.08632029592990875, 0.004212536849081516,
                                          0.08632029592990875, -0.07209572941064835, 0.0033948603086173534, 0.030946576967835426,
                                          0.004230255261063576, 0.033524032682180405, 0.006622129585593939, 0.2760044038295746,
                                          0.25993111729621887, 0.011946240440011024, -0.5545037984848022, 0, 0, 0, 0, 0]),
            (.sum, [14.0853271484375], [0.5033654570579529, -0.9808688759803772, 0.23306480050086975, 0.011373849585652351,
                                        0.23306480050086975, -0.19465845823287964, 0.00916612334549427, 0.08355575799942017,
                                        0.0114216897636652, 0.0905148908495903, 0.017879750579595566, 0.7452118992805481,
                                        0.7018140554428101, 0.03225485235452652, -1.4971604347229004, 0, 0, 0, 0, 0]),
            (.none, [3.9564387798309326, 0.7245606780052185, 9.404327392578125, 0],
             [0.25168272852897644, -0.4904344379901886, 0.11653240025043488, 0.005686924792826176, 0.11653240025043488,
              0.19465845823287964, -0.00916612334549427, -0.08355575799942017, -0.0114216897636652, -0.0905148908495903,
              0.03575950115919113, 1.4904237985610962, 1.4036281108856201, 0.06450970470905304, -2.994320869445801, 0, 0, 0, 0, 0]),
        ]
        for (reduction, output, grad) in expected {
            let x = logits.copy().requiresGrad_()
            let loss = CrossEntropyLoss(weight: weight, ignoreIndex: 2, reduction: reduction)(x, target)
            #expect(loss.gradFn!.saved.first { $0.name == "ignore_index" } == .attribute("ignore_index", "2"))
            #expect(loss.gradFn!.saved.last == .tensor("weight", shape: [5]))
            ActFixture.expectClose(loss, ["shape": loss.shape, "data": output], "\(reduction) output")
            (reduction == .none ? (loss * Tensor([0.5, -1, 2, 1.5])).sum() : loss).backward()
            ActFixture.expectClose(x.grad!, ["shape": [4, 5], "data": grad], "\(reduction) grad")
        }
        let allIgnored = crossEntropy(logits, Tensor([1, 1, 1, 1]), ignoreIndex: 1)
        #expect(allIgnored.item().isNaN)
    }

    /// Probability targets with class weights: `nn.CrossEntropyLoss(weight=w)(x, p)`, p = softmax(0.5x + 1)
    /// rounded to float32 (values from PyTorch 2.15).
    @Test func probabilityTargetsWithClassWeightsMatchPyTorch() {
        let logits = ActFixture.decode(Self.fixtureCase("cross_entropy_classes", "mean")["input"]).requiresGrad_()
        let p = Tensor(shape: [4, 5], floats: [
            0.369525671005249, 0.0720399022102356, 0.2514439821243286, 0.055546484887599945, 0.2514439821243286,
            0.08443228155374527, 0.11060328036546707, 0.3339361548423767, 0.12346399575471878, 0.34756430983543396,
            0.06467169523239136, 0.4175163805484772, 0.4051768183708191, 0.08686225861310959, 0.02577289752662182,
            0.5643106698989868, 0.059181250631809235, 0.2160705327987671, 0.07561124116182327, 0.08482624590396881,
        ].map { Float($0) })
        let loss = CrossEntropyLoss(weight: Tensor([0.2, 1, 3, 0.5, 1.5]))(logits, p)
        #expect(ActFixture.gradFnNames(loss) == ["DivBackward1", "NegBackward0", "SumBackward0", "MulBackward0", "MulBackward0",
                                                 "LogSoftmaxBackward0", "AccumulateGrad"])
        ActFixture.expectClose(loss, ["shape": [Int](), "data": [1.9950464963912964]], "output")
        loss.backward()
        ActFixture.expectClose(logits.grad!, ["shape": [4, 5], "data": [
            0.14577391743659973, -0.011767411604523659, -0.11253298819065094, -0.0032319771125912666, -0.01824149861931801,
            0.007211798336356878, -0.00803100224584341, -0.0716034471988678, 0.009014792740345001, 0.06340785324573517,
            0.0019159966614097357, 0.11025082319974899, -0.10175178945064545, -0.0015680004144087434, -0.008846993558108807,
            0.177371546626091, -0.012534170411527157, -0.13191239535808563, -0.005760506726801395, -0.027164479717612267,
        ]], "grad")
    }

    @Test func documentedExamplesHoldTheirValues() {
        func rounded(_ t: Tensor) -> Double { (t.item() * 1e4).rounded() / 1e4 }
        #expect(rounded(mseLoss(Tensor([[2.0]]), Tensor([[1.0]]))) == 1)
        #expect(rounded(l1Loss(Tensor([2.0, -1.0]), Tensor([1.0, 1.0]))) == 1.5)
        #expect(rounded(binaryCrossEntropy(Tensor([0.9, 0.2]), Tensor([1.0, 0.0]))) == 0.1643)
        #expect(rounded(binaryCrossEntropyWithLogits(Tensor([2.2, -1.4]), Tensor([1.0, 0.0]))) == 0.1628)
        let ce = crossEntropy(Tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requiresGrad: true), Tensor([0, 2]))
        #expect(rounded(ce) == 0.1755)
        #expect(ce.gradFn?.name == "NllLossBackward0")
    }

    @Test func singleSampleWithoutBatchDimension() {
        let logits = Tensor([0.5, -1.0, 2.0], requiresGrad: true)
        let loss = crossEntropy(logits, Tensor(2))
        #expect(loss.shape == [])
        let expected = -(2.0 - log(exp(0.5) + exp(-1.0) + exp(2.0)))
        #expect(abs(loss.item() - expected) < 1e-6)
        #expect(nllLoss(logits.logSoftmax(dim: 0), Tensor(2), reduction: .none).shape == [])
    }

    // MARK: - Finite differences

    static let regressionInput = Tensor(shape: [2, 3], values: [0.3, -1.2, 2.5, 0.05, 1.7, -0.6], dtype: .float64)
    static let regressionTarget = Tensor(shape: [2, 3], values: [0.9, -0.1, 0.4, -0.5, 1.0, -3.2], dtype: .float64)
    static let probabilities = Tensor(shape: [2, 3], values: [0.2, 0.7, 0.95, 0.4, 0.05, 0.6], dtype: .float64)
    static let labels = Tensor(shape: [2, 3], values: [0.1, 0.9, 0.7, 0.3, 0.05, 0.95], dtype: .float64)

    /// Each loss as a function of one argument (the input, or the target for `…_t`), with the float64
    /// point where its gradient is checked.
    static let functions: [(name: String, point: Tensor, loss: (Tensor, Reduction) -> Tensor)] = {
        let x = regressionInput, t = regressionTarget
        let classes = Tensor([2, 0]), weight = Tensor([0.5, 2, 1.5], dtype: .float64)
        let soft = Tensor(shape: [2, 3], values: [0.1, 0.6, 0.3, 0.25, 0.25, 0.5], dtype: .float64)
        return [
            ("mse_x", x, { mseLoss($0, t, reduction: $1) }), ("mse_t", t, { mseLoss(x, $0, reduction: $1) }),
            ("l1_x", x, { l1Loss($0, t, reduction: $1) }),
            ("smooth_l1_x", x, { smoothL1Loss($0, t, reduction: $1, beta: 0.8) }),
            ("smooth_l1_t", t, { smoothL1Loss(x, $0, reduction: $1, beta: 0.8) }),
            ("huber_x", x, { huberLoss($0, t, reduction: $1, delta: 0.8) }),
            ("huber_t", t, { huberLoss(x, $0, reduction: $1, delta: 0.8) }),
            ("bce_x", probabilities, { binaryCrossEntropy($0, labels, reduction: $1) }),
            ("bce_t", labels, { binaryCrossEntropy(probabilities, $0, reduction: $1) }),
            ("bce_logits_x", x, { binaryCrossEntropyWithLogits($0, labels, reduction: $1) }),
            ("bce_logits_t", labels, { binaryCrossEntropyWithLogits(x, $0, reduction: $1) }),
            ("nll_weighted", x, { nllLoss($0, classes, weight: weight, reduction: $1) }),
            ("cross_entropy", x, { crossEntropy($0, classes, reduction: $1) }),
            ("cross_entropy_weighted_ignore", x, { crossEntropy($0, Tensor([2, 1]), weight: weight, ignoreIndex: 1, reduction: $1) }),
            ("cross_entropy_probabilities", x, { crossEntropy($0, soft, weight: weight, reduction: $1) }),
        ]
    }()

    @Test(arguments: functions.map(\.name), Reduction.allCases)
    func gradientsMatchFiniteDifferences(_ name: String, _ reduction: Reduction) {
        let (_, point, f) = Self.functions.first { $0.name == name }!
        let upstream = Tensor(shape: [2, 3], values: [0.7, -1.3, 0.4, 1.1, 0.2, -0.5], dtype: .float64)
        let (analytic, numeric) = ActFixture.finiteDifferences(point) { input in
            let loss = f(input, reduction)
            if reduction != .none { return loss }
            return (loss * (loss.shape == [2, 3] ? upstream : Tensor([0.7, -1.3], dtype: .float64))).sum()
        }
        #expect(analytic.contains { $0 != 0 })
        for i in analytic.indices {
            #expect(abs(analytic[i] - numeric[i]) <= 1e-6 * max(1, abs(numeric[i])), "\(name)[\(i)]: \(analytic[i]) vs \(numeric[i])")
        }
    }

    // MARK: - Errors

    @Test func shapeMismatchesUsePyTorchsWords() {
        let column = Tensor.zeros([2, 1]), row = Tensor.zeros([2])
        let warning = "Using a target size ([2]) that is different to the input size ([2, 1]). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size."
        #expect(throws: TensorError(warning)) { try MSELoss().check(column, row) }
        #expect(throws: TensorError(warning)) { try L1Loss().check(column, row) }
        #expect(throws: TensorError(warning)) { try HuberLoss().check(column, row) }
        #expect(throws: TensorError("Using a target size ([2]) that is different to the input size ([2, 1]) is deprecated. Please ensure they have the same size.")) {
            try BCELoss().check(column, row)
        }
        #expect(throws: TensorError("Target size ([2]) must be the same as input size ([2, 1])")) {
            try BCEWithLogitsLoss().check(column, row)
        }
        #expect(throws: TensorError("all elements of input should be between 0 and 1")) {
            try BCELoss().check(Tensor([1.5]), Tensor([1.0]))
        }
        #expect(throws: TensorError("all elements of target should be between 0 and 1")) {
            try BCELoss().check(Tensor([0.5]), Tensor([1.5]))
        }
        #expect(throws: TensorError("\"mse_cpu\" not implemented for 'Long'")) { try MSELoss().check(Tensor([1, 2]), Tensor([1, 2])) }
    }

    @Test func classificationErrorsUsePyTorchsWords() {
        let logits = Tensor.zeros([4, 5])
        #expect(throws: TensorError("expected target dtype to be Long or Byte, but got Float")) {
            try NLLLoss().check(logits, Tensor([1.0, 2, 3, 0]))
        }
        #expect(throws: TensorError("expected target dtype to be Long or Byte, but got Float")) {
            try CrossEntropyLoss().check(logits, Tensor([1.0, 2, 3, 0]))
        }
        #expect(throws: TensorError("0D or 1D target tensor expected, multi-target not supported")) {
            try CrossEntropyLoss().check(logits, Tensor.zeros([4, 3]))
        }
        #expect(throws: TensorError("Expected floating point type for target with class probabilities, got Long")) {
            try CrossEntropyLoss().check(logits, Tensor.zeros([4, 5], dtype: .int64))
        }
        #expect(throws: TensorError("Expected input batch_size (4) to match target batch_size (3).")) {
            try CrossEntropyLoss().check(logits, Tensor([1, 2, 3]))
        }
        #expect(throws: TensorError("Target 7 is out of bounds.")) { try CrossEntropyLoss().check(logits, Tensor([1, 2, 3, 7])) }
        #expect(throws: TensorError("Target -1 is out of bounds.")) { try NLLLoss().check(logits, Tensor([1, 2, 3, -1])) }
        #expect(throws: TensorError("weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [3]")) {
            try NLLLoss(weight: Tensor.ones([3])).check(logits, Tensor([1, 2, 3, 0]))
        }
        #expect(throws: TensorError("Expected 1 or more dimensions (got 0)")) { try NLLLoss().check(Tensor(1.0), Tensor(1)) }
        #expect(throws: Never.self) { try NLLLoss(ignoreIndex: 9).check(logits, Tensor([1, 9, 3, 0])) }
    }
}
