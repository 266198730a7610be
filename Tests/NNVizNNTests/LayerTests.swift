import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// Conv2d, MaxPool2d, BatchNorm, Dropout, Flatten, Embedding and the recurrent layers against PyTorch
/// (layers.json: initial parameters bit for bit, outputs, gradients, running statistics and grad_fn
/// names), plus finite-difference checks of every backward in float64.
///
/// Layers draw their initial values from a generator of their own seeded like `torch.manual_seed`, so
/// these tests never touch the global generator other suites use.
struct LayerTests {
    // MARK: - Fixture

    struct Case {
        let name: String
        let seed: UInt64
        let mode: String
        let parameters: [(name: String, value: Tensor)]
        let trainStepInput: Tensor?
        let buffersInitial: [(name: String, value: Tensor)]
        let buffersAfterTrainStep: [(name: String, value: Tensor)]
        let buffersAfterForward: [(name: String, value: Tensor)]
        let input: Tensor
        let initialState: [Tensor]
        let lossWeight: Tensor
        let output: Tensor
        let state: [Tensor]
        let loss: Double
        let inputGrad: Tensor?
        let initialStateGrad: [Tensor]
        let parameterGrads: [(name: String, grad: Tensor?)]
        let gradFns: [String]
    }

    static let cases = loadCases("layers.json")

    /// The cases of one fixture file in layers.json's format.
    static func loadCases(_ file: String) -> [Case] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(file)")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func named(_ object: Any?, _ key: String) -> [(name: String, value: Tensor)] {
            ((object as? [[String: Any]]) ?? []).map { ($0["name"] as! String, tensor($0[key]!)) }
        }
        func tensors(_ object: Any?) -> [Tensor] { ((object as? [Any]) ?? []).map(tensor) }
        return (root["cases"] as! [[String: Any]]).map { c in
            Case(name: c["name"] as! String, seed: UInt64(c["seed"] as! Int), mode: c["mode"] as! String,
                 parameters: named(c["parameters"], "value"),
                 trainStepInput: c["train_step_input"].map(tensor),
                 buffersInitial: named(c["buffers_initial"], "value"),
                 buffersAfterTrainStep: named(c["buffers_after_train_step"], "value"),
                 buffersAfterForward: named(c["buffers_after_forward"], "value"),
                 input: tensor(c["input"]!), initialState: tensors(c["initial_state"]),
                 lossWeight: tensor(c["loss_weight"]!), output: tensor(c["output"]!),
                 state: tensors(c["state"]), loss: c["loss"] as! Double,
                 inputGrad: (c["input_grad"] is NSNull) ? nil : tensor(c["input_grad"]!),
                 initialStateGrad: tensors(c["initial_state_grad"]),
                 parameterGrads: (c["parameter_grads"] as! [[String: Any]]).map {
                     ($0["name"] as! String, $0["grad"] is NSNull ? nil : tensor($0["grad"]!))
                 },
                 gradFns: c["grad_fns"] as! [String])
        }
    }

    /// A fixture tensor: float32 values are stored as the exact doubles they equal.
    static func tensor(_ object: Any) -> Tensor {
        let t = object as! [String: Any]
        let shape = t["shape"] as! [Int]
        switch t["dtype"] as? String {
        case "int64": return Tensor(shape: shape, values: (t["data"] as! [NSNumber]).map { $0.doubleValue }, dtype: .int64)
        case "float64": return Tensor(shape: shape, values: t["data"] as! [Double], dtype: .float64)
        default: return Tensor(shape: shape, floats: (t["data"] as! [Double]).map { Float($0) })
        }
    }

    static func cases(_ name: String) -> [Case] {
        let found = cases.filter { $0.name == name }
        precondition(!found.isEmpty, "no fixture case \(name)")
        return found
    }

    // MARK: - Comparisons

    /// Same shape and every element within `atol + rtol·|expected|`.
    static func expectClose(_ actual: Tensor?, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6,
                            _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual else {
            Issue.record("\(what): missing", sourceLocation: sourceLocation)
            return
        }
        #expect(actual.shape == expected.shape, "\(what): shape", sourceLocation: sourceLocation)
        guard actual.shape == expected.shape else { return }
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) - rtol * abs($1) }.max() ?? 0
        #expect(worst <= atol, "\(what): off by \(worst) beyond rtol \(rtol)", sourceLocation: sourceLocation)
    }

    /// Runs one fixture case: initial parameters bit for bit, then forward (with the case's mode and
    /// initial state), `(output · w).sum()` backward, and every value PyTorch recorded.
    static func verify(_ c: Case, _ module: Module, compareGradFns: Bool = true,
                       forward: (Tensor, [Tensor]) -> (output: Tensor, state: [Tensor]),
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let parameters = module.namedParameters()
        #expect(parameters.map(\.name) == c.parameters.map(\.name), "\(c.name): parameter names", sourceLocation: sourceLocation)
        for (mine, theirs) in zip(parameters, c.parameters) {
            #expect(mine.tensor.shape == theirs.value.shape, "\(c.name) seed \(c.seed): \(mine.name) shape", sourceLocation: sourceLocation)
            #expect(mine.tensor.floats == theirs.value.floats, "\(c.name) seed \(c.seed): \(mine.name) initial values", sourceLocation: sourceLocation)
        }
        for (mine, theirs) in zip(module.namedBuffers(), c.buffersInitial) {
            #expect(mine.name == theirs.name && mine.tensor.scalars == theirs.value.scalars, "\(c.name): initial \(theirs.name)", sourceLocation: sourceLocation)
        }
        switch c.mode {
        case "eval": module.eval()
        case "eval_after_train":
            module.train()
            _ = module(c.trainStepInput!)
            for (mine, theirs) in zip(module.namedBuffers(), c.buffersAfterTrainStep) {
                expectClose(mine.tensor, theirs.value, "\(c.name): \(theirs.name) after the training step", sourceLocation: sourceLocation)
            }
            module.eval()
        default: module.train()
        }
        let input = c.input.copy()
        if input.dtype.isFloatingPoint { input.requiresGrad = true }
        let initialState = c.initialState.map { $0.copy().requiresGrad_() }
        let (output, state) = forward(input, initialState)
        let label = "\(c.name) seed \(c.seed)\(initialState.isEmpty ? "" : " with state")"
        expectClose(output, c.output, "\(label): output", sourceLocation: sourceLocation)
        #expect(state.count == c.state.count, "\(label): state count", sourceLocation: sourceLocation)
        for (i, (mine, theirs)) in zip(state, c.state).enumerated() {
            expectClose(mine, theirs, "\(label): state \(i)", sourceLocation: sourceLocation)
        }
        if compareGradFns {
            let names = output.gradFn.map { GraphWalk.nodes(from: [$0]).map(\.name) } ?? []
            #expect(names == c.gradFns, "\(label): grad_fns", sourceLocation: sourceLocation)
        }
        guard output.requiresGrad else {
            #expect(c.gradFns.isEmpty, "\(label): PyTorch recorded a graph", sourceLocation: sourceLocation)
            return
        }
        let loss = (output * c.lossWeight).sum()
        #expect(abs(loss.item() - c.loss) <= 1e-5 * max(1, abs(c.loss)), "\(label): loss \(loss.item()) vs \(c.loss)", sourceLocation: sourceLocation)
        loss.backward()
        if let expected = c.inputGrad { expectClose(input.grad, expected, "\(label): input grad", sourceLocation: sourceLocation) }
        for (i, (mine, theirs)) in zip(initialState, c.initialStateGrad).enumerated() {
            expectClose(mine.grad, theirs, "\(label): initial state \(i) grad", sourceLocation: sourceLocation)
        }
        for (mine, theirs) in zip(parameters, c.parameterGrads) {
            if let expected = theirs.grad {
                expectClose(mine.tensor.grad, expected, "\(label): \(theirs.name) grad", sourceLocation: sourceLocation)
            } else {
                #expect(mine.tensor.grad == nil, "\(label): \(theirs.name) should have no grad", sourceLocation: sourceLocation)
            }
        }
        for (mine, theirs) in zip(module.namedBuffers(), c.buffersAfterForward) {
            #expect(mine.name == theirs.name, sourceLocation: sourceLocation)
            expectClose(mine.tensor, theirs.value, "\(label): \(theirs.name) after forward", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Finite differences

    /// Compares the gradients backward gives for `(f(inputs) · w).sum()` with central differences, in float64.
    static func expectFiniteDifferences(_ inputs: [Tensor], seed: UInt64 = 7, tolerance: Double = 1e-6,
                                        sourceLocation: SourceLocation = #_sourceLocation,
                                        _ f: ([Tensor]) -> Tensor) {
        let leaves = inputs.map { $0.copy().requiresGrad_() }
        let output = f(leaves)
        let weight = Tensor.randn(output.shape, dtype: .float64, generator: Generator(seed: seed))
        (output * weight).sum().backward()
        let h = 1e-6
        func value(_ tensors: [Tensor]) -> Double { noGrad { (f(tensors) * weight).sum().item() } }
        for (i, leaf) in leaves.enumerated() {
            let analytic = leaf.grad?.scalars ?? [Double](repeating: 0, count: leaf.count)
            var worst = 0.0
            for j in 0..<leaf.count {
                func shifted(_ delta: Double) -> [Tensor] {
                    var values = inputs[i].scalars
                    values[j] += delta
                    var copy = inputs
                    copy[i] = Tensor(shape: inputs[i].shape, values: values, dtype: .float64)
                    return copy
                }
                let numeric = (value(shifted(h)) - value(shifted(-h))) / (2 * h)
                worst = max(worst, abs(numeric - analytic[j]) / max(1, abs(numeric)))
            }
            #expect(worst < tolerance, "input \(i): finite differences off by \(worst)", sourceLocation: sourceLocation)
        }
    }

    static func randomDouble(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor {
        Tensor.randn(shape, dtype: .float64, generator: Generator(seed: seed)) * scale
    }

    // MARK: - Conv2d

    @Test func conv2dMatchesPyTorch() {
        for c in Self.cases("conv2d_pad") {
            let conv = Conv2d(1, 2, kernelSize: 3, stride: 1, padding: 1, generator: Generator(seed: c.seed))
            Self.verify(c, conv) { x, _ in (conv(x), []) }
        }
        for c in Self.cases("conv2d_stride") {
            let conv = Conv2d(2, 3, kernelSize: [2, 2], stride: 2, generator: Generator(seed: c.seed))
            Self.verify(c, conv) { x, _ in (conv(x), []) }
        }
    }

    @Test func conv2dReprAndSavedAttributes() {
        let conv = Conv2d(1, 2, kernelSize: 3, padding: 1)
        #expect(conv.description == "Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))")
        #expect(Conv2d(2, 3, kernelSize: [2, 2], stride: 2, bias: false).description
                == "Conv2d(2, 3, kernel_size=(2, 2), stride=(2, 2), bias=False)")
        #expect(Conv2d(1, 2, kernelSize: 3, dilation: 2).description == "Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2))")
        let y = conv(Tensor.zeros([2, 1, 4, 5]).requiresGrad_())
        #expect(y.shape == [2, 2, 4, 5])
        let saved = y.gradFn!.saved
        #expect(saved.map(\.name) == ["bias_sym_sizes_opt", "dilation", "groups", "input", "output_padding", "padding",
                                      "stride", "transposed", "weight"])
        #expect(saved[0].value == .attribute("(2,)"))
        #expect(saved[3].value == .tensor(shape: [2, 1, 4, 5]))
        #expect(saved[5].value == .attribute("(1, 1)"))
        #expect(saved[8].value == .tensor(shape: [2, 1, 3, 3]))
    }

    @Test func conv2dUnbatchedInputSqueezesBack() {
        let conv = Conv2d(2, 3, kernelSize: 2, generator: Generator(seed: 3))
        let x = Tensor.randn([2, 4, 4], generator: Generator(seed: 4))
        let y = conv(x)
        #expect(y.shape == [3, 3, 3])
        #expect(y.floats == conv(x.unsqueeze(0)).floats)
        #expect(y.gradFn?.name == "SqueezeBackward1")
    }

    @Test func conv2dCheckThrowsPyTorchsMessages() {
        let conv = Conv2d(1, 2, kernelSize: 3, padding: 1)
        #expect(throws: TensorError("Given groups=1, weight of size [2, 1, 3, 3], expected input[1, 3, 8, 8] to have 1 channels, but got 3 channels instead")) {
            try conv.check(Tensor.zeros([1, 3, 8, 8]))
        }
        #expect(throws: TensorError("Given groups=1, weight of size [2, 1, 3, 3], expected input[1, 3, 8, 8] to have 1 channels, but got 3 channels instead")) {
            try conv.check(Tensor.zeros([3, 8, 8]))
        }
        #expect(throws: TensorError("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]")) {
            try conv.check(Tensor.zeros([2, 3]))
        }
        #expect(throws: TensorError("Input type (double) and bias type (float) should be the same")) {
            try conv.check(Tensor.zeros([1, 1, 8, 8], dtype: .float64))
        }
        #expect(throws: TensorError("Input type (long int) and bias type (float) should be the same")) {
            try conv.check(Tensor.zeros([1, 1, 8, 8], dtype: .int64))
        }
        #expect(throws: TensorError("expected scalar type Double but found Float")) {
            try Conv2d(1, 2, kernelSize: 3, bias: false).check(Tensor.zeros([1, 1, 8, 8], dtype: .float64))
        }
        #expect(throws: TensorError("Calculated padded input size per channel: (2 x 8). Kernel size: (3 x 3). Kernel size can't be greater than actual input size")) {
            try Conv2d(1, 2, kernelSize: 3).check(Tensor.zeros([1, 1, 2, 8]))
        }
        #expect(throws: Never.self) { try conv.check(Tensor.zeros([1, 1, 1, 1])) }
    }

    @Test func conv2dFiniteDifferences() {
        let x = Self.randomDouble([2, 2, 5, 4], seed: 1)
        let w = Self.randomDouble([3, 2, 3, 2], seed: 2, scale: 0.5)
        let b = Self.randomDouble([3], seed: 3)
        Self.expectFiniteDifferences([x, w, b]) { t in conv2d(t[0], t[1], t[2], stride: [2, 1], padding: 1, dilation: [1, 2]) }
        Self.expectFiniteDifferences([x, w]) { t in conv2d(t[0], t[1], stride: 1, padding: [0, 1]) }
    }

    // MARK: - MaxPool2d

    @Test func maxPool2dMatchesPyTorch() {
        for c in Self.cases("maxpool2d_2") {
            let pool = MaxPool2d(2)
            Self.verify(c, pool) { x, _ in (pool(x), []) }
        }
        for c in Self.cases("maxpool2d_3s2") {
            let pool = MaxPool2d(3, stride: 2)
            Self.verify(c, pool) { x, _ in (pool(x), []) }
        }
    }

    /// Values PyTorch gives for padded, ceil-mode and dilated windows (input `(7i mod 36) − 18`, 6×6).
    @Test func maxPool2dPaddingCeilModeAndDilation() {
        let x = Tensor(shape: [1, 1, 6, 6], values: (0..<36).map { Double((7 * $0) % 36 - 18) }).requiresGrad_()
        let y = MaxPool2d(3, stride: 2, padding: 1, ceilMode: true)(x)
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y.floats == [-5, 9, 17, 17, 7, 15, 16, -1, 13, 14, 11, 11, 12, -3, 11, 11])
        y.sum().backward()
        #expect(x.grad!.floats == [0, 0, 0, 0, 0, 2, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0,
                                   1, 0, 0, 1, 0, 4])
        let unbatched = Tensor(shape: [1, 5, 6], values: (0..<30).map { Double((11 * $0) % 30) })
        let z = MaxPool2d([2, 3], stride: [1, 2], padding: 1, dilation: 2, ceilMode: true)(unbatched)
        #expect(z.shape == [1, 5, 3])
        #expect(z.floats == [17, 17, 9, 23, 25, 25, 29, 29, 21, 27, 27, 27, 29, 29, 21])
        #expect(MaxPool2d(2)(Tensor([[[[1.0, .nan], [3.0, 2.0]]]])).floats[0].isNaN)
        #expect(MaxPool2d(2)(Tensor.arange(16).view([1, 4, 4])).scalars == [5, 7, 13, 15])
    }

    @Test func maxPool2dReprSavedAttributesAndErrors() {
        #expect(MaxPool2d(2).description == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
        #expect(MaxPool2d([2, 3], stride: [1, 2], padding: 1, dilation: 2, ceilMode: true).description
                == "MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=1, dilation=2, ceil_mode=True)")
        let y = MaxPool2d(2)(Tensor.zeros([2, 1, 4, 5]).requiresGrad_())
        #expect(y.gradFn!.saved == [.attribute("ceil_mode", "False"), .attribute("dilation", "(1, 1)"),
                                    .attribute("kernel_size", "(2, 2)"), .attribute("padding", "(0, 0)"),
                                    .tensor("result1", shape: [2, 1, 2, 2]), .tensor("self", shape: [2, 1, 4, 5]),
                                    .attribute("stride", "(2, 2)")])
        #expect(throws: TensorError("non-empty 3D or 4D (batch mode) tensor expected for input")) {
            try MaxPool2d(2).check(Tensor.zeros([2, 3]))
        }
        #expect(throws: TensorError("Given input size: (1x1x1). Calculated output size: (1x0x0). Output size is too small")) {
            try MaxPool2d(2).check(Tensor.zeros([1, 1, 1, 1]))
        }
        #expect(throws: TensorError("Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small")) {
            try MaxPool2d(3, stride: 2).check(Tensor.zeros([1, 1, 2, 2]))
        }
        #expect(throws: TensorError("pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1")) {
            try MaxPool2d(3, padding: 2).check(Tensor.zeros([1, 1, 8, 8]))
        }
    }

    @Test func maxPool2dFiniteDifferences() {
        let x = Self.randomDouble([2, 2, 7, 6], seed: 11)
        Self.expectFiniteDifferences([x]) { t in maxPool2d(t[0], kernelSize: 3, stride: 2, padding: 1) }
        Self.expectFiniteDifferences([x]) { t in maxPool2d(t[0], kernelSize: [2, 3], dilation: [2, 1], ceilMode: true) }
    }

    // MARK: - BatchNorm

    @Test func batchNormMatchesPyTorch() {
        for c in Self.cases("batchnorm1d_train") + Self.cases("batchnorm1d_eval") {
            let bn = BatchNorm1d(3)
            Self.verify(c, bn) { x, _ in (bn(x), []) }
        }
        for c in Self.cases("batchnorm2d_train") {
            let bn = BatchNorm2d(2)
            Self.verify(c, bn) { x, _ in (bn(x), []) }
            #expect(bn.numBatchesTracked!.dtype == .int64)
        }
    }

    /// A cumulative average (momentum nil) over two (N, C, L) batches, against PyTorch's values.
    @Test func batchNormCumulativeAverageOnSequences() {
        let bn = BatchNorm1d(2, momentum: nil)
        let x1 = Tensor(shape: [3, 2, 2], values: (0..<12).map { Double((7 * $0) % 12) - 5 })
        let x2 = Tensor(shape: [3, 2, 2], values: (0..<12).map { Double((5 * $0) % 12) * 0.5 })
        let y = bn(x1)
        _ = bn(x2)
        Self.expectClose(y, Tensor(shape: [3, 2, 2], floats: [
            -1.5303376913070679, 0.41736483573913574, -1.0593093633651733, 1.0593093633651733, -0.41736483573913574,
            1.5303376913070679, 0.151329904794693, -1.3619691133499146, 0.6956080198287964, -0.6956080198287964,
            1.3619691133499146, -0.151329904794693]), "training output")
        #expect(bn.runningMean!.floats == [1.375, 1.875])
        Self.expectClose(bn.runningVar!, Tensor([9.387499809265137, 8.1875]), "running_var")
        #expect(bn.numBatchesTracked!.scalars == [2])
        bn.eval()
        Self.expectClose(bn(x1), Tensor(shape: [3, 2, 2], floats: [
            -2.0806784629821777, 0.20398807525634766, -1.7037217617034912, 0.7426480054855347, -0.775154709815979,
            1.5095118284225464, -0.30579620599746704, -2.0532031059265137, 0.5303690433502197, -1.101535677909851,
            1.0921294689178467, -0.6552776098251343]), "evaluation output")
        #expect(bn.numBatchesTracked!.scalars == [2])
    }

    @Test func batchNormReprSavedAttributesAndErrors() {
        #expect(BatchNorm1d(3).description == "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)")
        #expect(BatchNorm1d(3, affine: false).description == "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=True)")
        #expect(BatchNorm2d(3, momentum: nil, trackRunningStats: false).description
                == "BatchNorm2d(3, eps=1e-05, momentum=None, affine=True, bias=True, track_running_stats=False)")
        #expect(BatchNorm1d(3, eps: 1e-3, momentum: 0.2).description
                == "BatchNorm1d(3, eps=0.001, momentum=0.2, affine=True, bias=True, track_running_stats=True)")
        let bn = BatchNorm1d(3)
        #expect(bn.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(bn.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(Set(bn.stateDict().keys) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        let y = bn(Tensor.randn([4, 3], generator: Generator(seed: 5)).requiresGrad_())
        #expect(y.gradFn!.saved == [.attribute("eps", "1e-05"), .tensor("input", shape: [4, 3]), .tensor("result1", shape: [3]),
                                    .tensor("result2", shape: [3]), .tensor("running_mean", shape: [3]),
                                    .tensor("running_var", shape: [3]), .attribute("training", "True"),
                                    .tensor("weight", shape: [3])])
        bn.eval()
        #expect(bn(Tensor.zeros([4, 3]).requiresGrad_()).gradFn!.saved[2] == .tensor("result1", shape: [0]))
        bn.train()
        #expect(throws: TensorError("expected 2D or 3D input (got 4D input)")) { try bn.check(Tensor.zeros([4, 3, 2, 2])) }
        #expect(throws: TensorError("expected 2D or 3D input (got 1D input)")) { try bn.check(Tensor.zeros([4])) }
        #expect(throws: TensorError("running_mean should contain 4 elements not 3")) { try bn.check(Tensor.zeros([4, 4])) }
        #expect(throws: TensorError("Expected more than 1 value per channel when training, got input size torch.Size([1, 3])")) {
            try bn.check(Tensor.zeros([1, 3]))
        }
        #expect(throws: TensorError("mixed dtype (CPU): all inputs must share same datatype.")) {
            try bn.check(Tensor.zeros([4, 3], dtype: .float64))
        }
        #expect(throws: TensorError("\"batch_norm\" not implemented for 'Long'")) { try bn.check(Tensor.zeros([4, 3], dtype: .int64)) }
        #expect(throws: TensorError("expected 4D input (got 3D input)")) { try BatchNorm2d(2).check(Tensor.zeros([4, 2, 3])) }
        #expect(throws: TensorError("running_mean should contain 3 elements not 2")) { try BatchNorm2d(2).check(Tensor.zeros([4, 3, 2, 2])) }
        #expect(throws: TensorError("Expected more than 1 value per channel when training, got input size torch.Size([1, 2, 1, 1])")) {
            try BatchNorm2d(2).check(Tensor.zeros([1, 2, 1, 1]))
        }
        #expect(throws: TensorError("weight should contain 4 elements not 3")) {
            try BatchNorm1d(3, trackRunningStats: false).check(Tensor.zeros([4, 4]))
        }
        #expect(throws: Never.self) { try BatchNorm1d(3).eval().check(Tensor.zeros([1, 3])) }
    }

    @Test func batchNormFiniteDifferences() {
        let x = Self.randomDouble([3, 2, 4], seed: 21, scale: 2)
        let w = Self.randomDouble([2], seed: 22), b = Self.randomDouble([2], seed: 23)
        let mean = Self.randomDouble([2], seed: 24), variance = Self.randomDouble([2], seed: 25).abs() + 0.5
        Self.expectFiniteDifferences([x, w, b]) { t in
            batchNorm(t[0], runningMean: nil, runningVar: nil, weight: t[1], bias: t[2], training: true)
        }
        Self.expectFiniteDifferences([x, w, b]) { t in
            batchNorm(t[0], runningMean: mean, runningVar: variance, weight: t[1], bias: t[2], training: false)
        }
        Self.expectFiniteDifferences([Self.randomDouble([2, 3, 2, 2], seed: 26)]) { t in
            batchNorm(t[0], runningMean: nil, runningVar: nil, training: true)
        }
    }

    // MARK: - Dropout

    /// rng.json's dropout case: `torch.manual_seed(0); F.dropout(x, 0.4, training=True)`.
    @Test func dropoutMaskIsPyTorchsAfterTheSameSeed() {
        let x = Tensor(shape: [12], values: stride(from: -2.0, through: 3.5, by: 0.5).map { $0 }).requiresGrad_()
        let y = Dropout(0.4, generator: Generator(seed: 0))(x)
        #expect(y.floats == [-0.0, -0.0, -1.6666666269302368, -0.0, 0.0, 0.0, 1.6666666269302368, 2.5, 3.3333332538604736,
                             4.166666507720947, 5.0, 5.8333330154418945].map { Float($0) })
        #expect(y.gradFn?.name == "MulBackward0")
        #expect(y.gradFn!.saved == [.tensor("other", shape: [12]), .attribute("self", "None")])
        #expect(y.gradFn!.nextFunctions.map { $0?.name } == ["AccumulateGrad", nil])
        y.sum().backward()
        #expect(x.grad!.floats == [0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1].map { $0 / Float(0.6) })
    }

    @Test func dropoutModesAndStatistics() {
        for c in Self.cases("dropout_eval") {
            let drop = Dropout(0.5)
            Self.verify(c, drop) { x, _ in (drop(x), []) }
        }
        let drop = Dropout(0.3, generator: Generator(seed: 9))
        let x = Tensor.ones([20_000], dtype: .float64)
        let y = drop(x)
        let kept = y.scalars.filter { $0 != 0 }
        #expect(Set(kept) == [1 / 0.7])
        #expect(abs(Double(kept.count) / 20_000 - 0.7) < 0.01)
        drop.eval()
        #expect(drop(x) === x)
        #expect(dropout(x, p: 0, training: true) === x)
        #expect(dropout(Tensor([1.0, -2.0]).requiresGrad_(), p: 1).floats == [0, -0])
        #expect(Dropout().description == "Dropout(p=0.5, inplace=False)")
        #expect(Dropout(0.2).description == "Dropout(p=0.2, inplace=False)")
        #expect(throws: TensorError("result type Float can't be cast to the desired output type Long")) {
            try Dropout().check(Tensor([1, 2, 3]))
        }
        #expect(throws: Never.self) { try Dropout().eval().check(Tensor([1, 2, 3])) }
    }

    // MARK: - Flatten

    @Test func flattenMatchesPyTorch() throws {
        for c in Self.cases("flatten") {
            let flatten = Flatten()
            Self.verify(c, flatten) { x, _ in (flatten(x), []) }
        }
        #expect(Flatten().description == "Flatten(start_dim=1, end_dim=-1)")
        #expect(Flatten(startDim: 0, endDim: 2)(Tensor.zeros([2, 3, 4, 5])).shape == [24, 5])
        #expect(Flatten(startDim: -2)(Tensor.zeros([2, 3, 4])).shape == [2, 12])
        #expect(throws: TensorError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")) {
            try Flatten().check(Tensor.zeros([3]))
        }
        #expect(throws: TensorError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")) {
            try Flatten().check(Tensor(2.0))
        }
        #expect(throws: TensorError("flatten() has invalid args: start_dim cannot come after end_dim")) {
            try Flatten(startDim: 2, endDim: 1).check(Tensor.zeros([3, 3, 3]))
        }
    }

    // MARK: - Embedding

    @Test func embeddingMatchesPyTorch() {
        for c in Self.cases("embedding") {
            let table = Embedding(10, 3, generator: Generator(seed: c.seed))
            Self.verify(c, table) { x, _ in (table(x), []) }
        }
    }

    @Test func embeddingPaddingReprSavedAttributesAndErrors() {
        let table = Embedding(10, 3, paddingIdx: -2, generator: Generator(seed: 0))
        #expect(table.paddingIdx == 8)
        #expect(table.description == "Embedding(10, 3, padding_idx=8)")
        #expect(Embedding(10, 3).description == "Embedding(10, 3)")
        #expect(table.weight!.floats[24..<27] == [0, 0, 0])
        let y = table(Tensor([[8, 1], [1, 8]]))
        #expect(y.shape == [2, 2, 3])
        #expect(y.gradFn!.saved == [.tensor("indices", shape: [2, 2]), .attribute("padding_idx", "8"),
                                    .attribute("scale_grad_by_freq", "False"), .attribute("sparse", "False"),
                                    .attribute("weight_sym_argsize_0", "10")])
        y.sum().backward()
        let grad = table.weight!.grad!.floats
        #expect(grad[3..<6] == [2, 2, 2])
        #expect(grad[24..<27] == [0, 0, 0])
        #expect(Embedding(10, 3)(Tensor([1])).gradFn!.saved[1] == .attribute("padding_idx", "18446744073709551615"))
        #expect(throws: TensorError("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)")) {
            try table.check(Tensor([1.0, 2.0]))
        }
        #expect(throws: TensorError("index out of range in self")) { try table.check(Tensor([1, 10])) }
        #expect(throws: TensorError("index out of range in self")) { try table.check(Tensor([-1, 1])) }
    }

    @Test func embeddingFiniteDifferences() {
        let indices = Tensor([[0, 3, 3], [2, 0, 1]])
        Self.expectFiniteDifferences([Self.randomDouble([4, 2], seed: 31)]) { t in embedding(indices, t[0]) }
    }

    // MARK: - Recurrent layers

    @Test func rnnCellMatchesPyTorch() {
        for name in ["rnncell_tanh", "rnncell_relu"] {
            for c in Self.cases(name) {
                let cell = RNNCell(1, 4, nonlinearity: name == "rnncell_relu" ? .relu : .tanh, generator: Generator(seed: c.seed))
                Self.verify(c, cell) { x, state in (cell(x, state.first), []) }
            }
        }
    }

    @Test func rnnMatchesPyTorch() {
        for name in ["rnn_tanh", "rnn_relu"] {
            for c in Self.cases(name) {
                let rnn = RNN(2, 3, numLayers: 2, nonlinearity: name == "rnn_relu" ? .relu : .tanh, batchFirst: true,
                              generator: Generator(seed: c.seed))
                Self.verify(c, rnn) { x, state in
                    let (output, hidden) = rnn(x, state.first)
                    return (output, [hidden])
                }
            }
        }
    }

    /// PyTorch's CPU LSTM records one fused `MkldnnRnnLayerBackward0` node per layer; so does ours.
    @Test func lstmMatchesPyTorch() {
        for c in Self.cases("lstm") {
            let lstm = LSTM(2, 3, batchFirst: true, generator: Generator(seed: c.seed))
            Self.verify(c, lstm) { x, state in
                let (output, last) = lstm(x, state.isEmpty ? nil : (state[0], state[1]))
                return (output, [last.h, last.c])
            }
        }
        let (output, _) = LSTM(2, 3, batchFirst: true)(Tensor.zeros([2, 4, 2]))
        #expect(GraphWalk.nodes(from: [output.gradFn!]).map(\.name)
                == ["TransposeBackward0", "MkldnnRnnLayerBackward0", "AccumulateGrad", "AccumulateGrad", "AccumulateGrad",
                    "AccumulateGrad"])
    }

    /// Graphs PyTorch 2.15 records for these calls (its unfused CPU paths), node for node.
    @Test func recurrentGraphsAreTheOnesPyTorchRecords() {
        func names(_ t: Tensor) -> [String] { GraphWalk.nodes(from: [t.gradFn!]).map(\.name) }
        let generator = Generator(seed: 0)
        let lstmCell = LSTMCell(2, 3, generator: generator)
        #expect(names(lstmCell(Tensor.zeros([4, 2]).requiresGrad_(), nil).h) == [
            "MulBackward0", "SigmoidBackward0", "UnsafeSplitBackward0", "AddBackward0", "AddmmBackward0", "AccumulateGrad",
            "TBackward0", "AccumulateGrad", "AddmmBackward0", "AccumulateGrad", "AccumulateGrad", "TBackward0",
            "AccumulateGrad", "TanhBackward0", "AddBackward0", "MulBackward0", "SigmoidBackward0", "MulBackward0",
            "SigmoidBackward0", "TanhBackward0"])
        let unsplit = lstmCell(Tensor.zeros([4, 2]), (Tensor.zeros([4, 3]).requiresGrad_(), Tensor.zeros([4, 3]).requiresGrad_()))
        #expect(names(unsplit.c) == [
            "AddBackward0", "MulBackward0", "SigmoidBackward0", "UnsafeSplitBackward0", "AddBackward0", "AddmmBackward0",
            "AccumulateGrad", "AccumulateGrad", "TBackward0", "AccumulateGrad", "AddmmBackward0", "AccumulateGrad",
            "TBackward0", "AccumulateGrad", "AccumulateGrad", "MulBackward0", "SigmoidBackward0", "TanhBackward0"])
        #expect(names(RNNCell(2, 3, generator: generator)(Tensor.zeros([2]).requiresGrad_())) == [
            "SqueezeBackward1", "TanhBackward0", "AddBackward0", "AddmmBackward0", "AccumulateGrad", "TBackward0",
            "AccumulateGrad", "AddmmBackward0", "AccumulateGrad", "UnsqueezeBackward0", "AccumulateGrad", "TBackward0",
            "AccumulateGrad"])
        #expect(names(RNNCell(2, 3, bias: false, generator: generator)(Tensor.zeros([4, 2]).requiresGrad_())) == [
            "TanhBackward0", "AddBackward0", "MmBackward0", "TBackward0", "AccumulateGrad", "MmBackward0", "AccumulateGrad",
            "TBackward0", "AccumulateGrad"])
        let sequenceFirst = RNN(2, 3, generator: generator)(Tensor.zeros([4, 2, 2]).requiresGrad_(), nil)
        #expect(names(sequenceFirst.output) == [
            "StackBackward0", "TanhBackward0", "AddBackward0", "AddmmBackward0", "AccumulateGrad", "TBackward0",
            "AccumulateGrad", "UnbindBackward0", "UnsafeViewBackward0", "AddmmBackward0", "AccumulateGrad", "ViewBackward0",
            "AccumulateGrad", "TBackward0", "AccumulateGrad", "TanhBackward0", "AddBackward0", "AddmmBackward0",
            "TBackward0", "TanhBackward0", "AddBackward0", "AddmmBackward0", "TBackward0", "TanhBackward0", "AddBackward0",
            "AddmmBackward0", "TBackward0"])
        #expect(names(sequenceFirst.hidden).prefix(6) == ["StackBackward0", "TanhBackward0", "AddBackward0", "AddmmBackward0",
                                                         "AccumulateGrad", "TanhBackward0"])
        #expect(names(RNN(2, 3, bias: false, batchFirst: true, generator: generator)(Tensor.zeros([2, 4, 2]).requiresGrad_(), nil).output) == [
            "TransposeBackward1", "StackBackward0", "TanhBackward0", "AddBackward0", "MmBackward0", "TBackward0",
            "AccumulateGrad", "UnbindBackward0", "UnsafeViewBackward0", "MmBackward0", "UnsafeViewBackward0",
            "CloneBackward0", "TransposeBackward0", "AccumulateGrad", "TBackward0", "AccumulateGrad", "TanhBackward0",
            "AddBackward0", "MmBackward0", "TBackward0", "TanhBackward0", "AddBackward0", "MmBackward0", "TBackward0",
            "TanhBackward0", "AddBackward0", "MmBackward0", "TBackward0"])
        let unbatched = RNN(2, 3, generator: generator)(Tensor.zeros([4, 2]).requiresGrad_(), nil)
        #expect(names(unbatched.output).prefix(4) == ["SqueezeBackward1", "StackBackward0", "TanhBackward0", "AddBackward0"])
        #expect(names(unbatched.hidden).prefix(2) == ["SqueezeBackward1", "StackBackward0"])
        #expect(unbatched.output.gradFn!.nextFunctions[0]!.nextFunctions.count == 4)
    }

    /// A torchviz graph fixture (Fixtures/graphs, written with NNVizGraphTests' copy by Tests/tools/fixtures_graphs.py)
    /// as torchviz walked it: function nodes in order of appearance and the edges between them (variable nodes
    /// left out), below the loss's nodes.
    static func torchvizTopology(_ name: String, below lossNodes: Set<String>) -> (names: [String], edges: [[Int]], tensors: [String: Tensor]) {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/graphs/\(name).json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let statements = root["statements"] as! [[String: Any]]
        var order: [String: Int] = [:], names: [String] = []
        for s in statements where s["kind"] as! String == "node" {
            let label = s["label"] as! String
            guard !label.contains("\n"), !lossNodes.contains(label) else { continue }
            order[s["id"] as! String] = names.count
            names.append(label)
        }
        let edges = statements.compactMap { s -> [Int]? in
            guard s["kind"] as! String == "edge", let tail = order[s["tail"] as! String], let head = order[s["head"] as! String]
            else { return nil }
            return [tail, head]
        }
        let tensors = (root["tensors"] as! [String: Any]).mapValues(tensor)
        return (names, edges.sorted { $0.lexicographicallyPrecedes($1) }, tensors)
    }

    /// Our graph below `root` in the same form.
    static func topology(_ root: GradFn) -> (names: [String], edges: [[Int]]) {
        let nodes = GraphWalk.nodes(from: [root])
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { (ObjectIdentifier($0.element), $0.offset) })
        let edges = nodes.enumerated().flatMap { i, node in
            node.nextFunctions.compactMap { $0 }.map { [index[ObjectIdentifier($0)]!, i] }
        }
        return (nodes.map(\.name), edges.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func graphsMatchTorchvizFixtures() throws {
        let rnnGraph = Self.torchvizTopology("rnn_last_step_loss", below: ["MseLossBackward0"])
        let rnn = RNN(1, 8, batchFirst: true), head = Linear(8, 1)
        let model = Sequential(named: [("rnn", rnn), ("head", head)])
        try model.loadStateDict(rnnGraph.tensors.filter { $0.key != "x" && $0.key != "target" })
        let prediction = head(rnn(rnnGraph.tensors["x"]!)[TensorIndex.all, -1])
        let mine = Self.topology(prediction.gradFn!)
        #expect(mine.names == rnnGraph.names)
        #expect(mine.edges == rnnGraph.edges)

        let cellGraph = Self.torchvizTopology("rnncell_unrolled3_loss", below: ["MseLossBackward0"])
        let cell = RNNCell(1, 4), cellHead = Linear(4, 1)
        try Sequential(named: [("cell", cell), ("head", cellHead)])
            .loadStateDict(cellGraph.tensors.filter { $0.key != "xs" && $0.key != "target" })
        let xs = cellGraph.tensors["xs"]!
        var h = Tensor.zeros([2, 4])
        for t in 0..<3 { h = cell(xs[t], h) }
        let cellMine = Self.topology(cellHead(h).gradFn!)
        #expect(cellMine.names == cellGraph.names)
        #expect(cellMine.edges == cellGraph.edges)

        let cnnGraph = Self.torchvizTopology("cnn_loss", below: ["NllLossBackward0", "LogSoftmaxBackward0"])
        let conv = Conv2d(1, 2, kernelSize: 3, padding: 1), bn = BatchNorm2d(2), fc = Linear(8, 3)
        noGrad {
            for (name, parameter) in [("0.weight", conv.weight), ("0.bias", conv.bias), ("1.weight", bn.weight),
                                      ("1.bias", bn.bias), ("5.weight", fc.weight), ("5.bias", fc.bias)] {
                parameter!.copy_(cnnGraph.tensors[name]!)
            }
        }
        let features = Flatten()(MaxPool2d(2)(bn(conv(cnnGraph.tensors["x"]!)).relu()))
        let cnnMine = Self.topology(fc(features).gradFn!)
        #expect(cnnMine.names == cnnGraph.names)
        #expect(cnnMine.edges == cnnGraph.edges)
    }

    @Test func recurrentReprAndParameterNames() {
        let rnn = RNN(2, 3, numLayers: 2, batchFirst: true)
        #expect(rnn.description == "RNN(2, 3, num_layers=2, batch_first=True)")
        #expect(rnn.namedParameters().map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                                      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
        #expect(rnn.namedParameters().map(\.tensor.shape) == [[3, 2], [3, 3], [3], [3], [3, 3], [3, 3], [3], [3]])
        #expect(RNN(2, 3, nonlinearity: .relu, bias: false).description == "RNN(2, 3, bias=False)")
        #expect(RNN(2, 3, numLayers: 2, dropout: 0.5).description == "RNN(2, 3, num_layers=2, dropout=0.5)")
        #expect(LSTM(2, 3, batchFirst: true).description == "LSTM(2, 3, batch_first=True)")
        #expect(LSTM(2, 3, numLayers: 2, dropout: 0.25).description == "LSTM(2, 3, num_layers=2, dropout=0.25)")
        #expect(LSTM(2, 3).namedParameters().map(\.tensor.shape) == [[12, 2], [12, 3], [12], [12]])
        #expect(LSTMCell(2, 3).description == "LSTMCell(2, 3)")
        #expect(LSTMCell(2, 3).namedParameters().map(\.name) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
        #expect(RNNCell(1, 4).description == "RNNCell(1, 4)")
        #expect(RNNCell(1, 4, bias: false, nonlinearity: .relu).description == "RNNCell(1, 4, bias=False, nonlinearity=relu)")
        #expect(RNNCell(1, 4, bias: false).namedParameters().map(\.name) == ["weight_ih", "weight_hh"])
        let model = Sequential(named: [("rnn", RNN(1, 32, batchFirst: true)), ("fc", Linear(32, 1))])
        #expect(model.namedParameters().map(\.name) == ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
                                                        "rnn.bias_hh_l0", "fc.weight", "fc.bias"])
    }

    /// Both models of the sine tutorial draw the same initial values (tutorials.json's assertion).
    @Test func rnnAndRNNCellInitialiseAlike() {
        let cell = RNNCell(1, 32, generator: Generator(seed: 1))
        let rnn = RNN(1, 32, batchFirst: true, generator: Generator(seed: 1))
        #expect(cell.parameters().map(\.floats) == rnn.parameters().map(\.floats))
    }

    @Test func recurrentStatesUnbatchedInputAndDropout() {
        let rnn = RNN(2, 3, numLayers: 2, generator: Generator(seed: 4))
        let x = Tensor.randn([5, 2], generator: Generator(seed: 5)), h0 = Tensor.randn([2, 3], generator: Generator(seed: 6))
        let single = rnn(x, h0)
        let batched = rnn(x.unsqueeze(1), h0.unsqueeze(1))
        #expect(single.output.shape == [5, 3] && single.hidden.shape == [2, 3])
        #expect(single.output.floats == batched.output.floats && single.hidden.floats == batched.hidden.floats)
        #expect(rnn(x.unsqueeze(1)).output.floats == rnn(x.unsqueeze(1), Tensor.zeros([2, 1, 3])).output.floats)
        // The last layer's final state is the output's last step.
        #expect(Array(single.hidden.floats[3...]) == Array(single.output.floats[12...]))

        let lstm = LSTM(2, 3, generator: Generator(seed: 4))
        let state = (h: Tensor.randn([1, 3], generator: Generator(seed: 7)), c: Tensor.randn([1, 3], generator: Generator(seed: 8)))
        let unbatchedLSTM = lstm(x, state)
        let batchedLSTM = lstm(x.unsqueeze(1), (state.h.unsqueeze(1), state.c.unsqueeze(1)))
        #expect(unbatchedLSTM.output.floats == batchedLSTM.output.floats)
        #expect(unbatchedLSTM.state.c.shape == [1, 3] && unbatchedLSTM.state.c.floats == batchedLSTM.state.c.floats)
        var cellState: (h: Tensor, c: Tensor) = (state.h, state.c)
        let cell = LSTMCell(2, 3)
        try! cell.loadStateDict(["weight_ih": lstm.layers[0].weightIH, "weight_hh": lstm.layers[0].weightHH,
                                 "bias_ih": lstm.layers[0].biasIH!, "bias_hh": lstm.layers[0].biasHH!])
        cellState = (state.h[0], state.c[0])
        for t in 0..<5 { cellState = cell(x[t], cellState) }
        Self.expectClose(cellState.h, unbatchedLSTM.output[4], "LSTMCell loop against LSTM")

        // Backward twice through a retained graph: the split nodes hand out each pass's gradients once.
        let input = x.unsqueeze(1).requiresGrad_()
        let loss = rnn(input, h0.unsqueeze(1)).output.pow(2).sum()
        loss.backward(retainGraph: true)
        let once = input.grad!.floats, weightOnce = rnn.layers[0].weightIH.grad!.floats
        loss.backward()
        #expect(input.grad!.floats == once.map { $0 * 2 })
        #expect(rnn.layers[0].weightIH.grad!.floats == weightOnce.map { $0 * 2 })

        let stacked = RNN(2, 3, numLayers: 2, dropout: 0.5, generator: Generator(seed: 4))
        stacked.eval()
        #expect(stacked(x).output.floats == rnn(x).output.floats)
        stacked.train()
        #expect(stacked(x).output.floats != rnn(x).output.floats)
        let dropped = GraphWalk.nodes(from: [stacked(x, nil).output.gradFn!]).filter { $0.name == "MulBackward0" }
        #expect(dropped.count == 1)
    }

    @Test func recurrentChecksThrowPyTorchsMessages() {
        let rnn = RNN(2, 3, numLayers: 2, batchFirst: true)
        func expectError(_ message: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: TensorError(message), sourceLocation: sourceLocation) { try body() }
        }
        expectError("input.size(-1) must be equal to input_size. Expected 2, got 3") { try rnn.check(Tensor.zeros([2, 4, 3])) }
        expectError("RNN: Expected input to be 2D or 3D, got 4D tensor instead") { try rnn.check(Tensor.zeros([2, 4, 2, 1])) }
        expectError("Expected hidden size (2, 2, 3), got [1, 2, 3]") { try rnn.check(Tensor.zeros([2, 4, 2]), Tensor.zeros([1, 2, 3])) }
        expectError("Expected hidden size (2, 2, 3), got [2, 3, 3]") { try rnn.check(Tensor.zeros([2, 4, 2]), Tensor.zeros([2, 3, 3])) }
        expectError("For unbatched 2-D input, hx should also be 2-D but got 3-D tensor") {
            try rnn.check(Tensor.zeros([4, 2]), Tensor.zeros([2, 1, 3]))
        }
        expectError("For batched 3-D input, hx should also be 3-D but got 2-D tensor") {
            try RNN(2, 3, numLayers: 2).check(Tensor.zeros([4, 3, 2]), Tensor.zeros([2, 3]))
        }
        expectError("RNN input dtype (torch.float64) does not match weight dtype (torch.float32). Convert input: input.to(torch.float32), or convert model: model.to(torch.float64)") {
            try rnn.check(Tensor.zeros([2, 4, 2], dtype: .float64))
        }
        expectError("RNN input dtype (torch.int64) does not match weight dtype (torch.float32). Convert input: input.to(torch.float32), or convert model: model.to(torch.int64)") {
            try rnn.check(Tensor.zeros([2, 4, 2], dtype: .int64))
        }
        expectError("Expected sequence length to be larger than 0 in RNN") { try rnn.check(Tensor.zeros([2, 0, 2])) }
        let lstm = LSTM(2, 3, batchFirst: true)
        expectError("input.size(-1) must be equal to input_size. Expected 2, got 3") { try lstm.check(Tensor.zeros([2, 4, 3])) }
        expectError("LSTM: Expected input to be 2D or 3D, got 4D instead") { try lstm.check(Tensor.zeros([4, 2, 3, 1])) }
        expectError("Expected hidden[0] size (1, 2, 3), got [2, 2, 3]") {
            try lstm.check(Tensor.zeros([2, 4, 2]), (Tensor.zeros([2, 2, 3]), Tensor.zeros([1, 2, 3])))
        }
        expectError("Expected hidden[1] size (1, 2, 3), got [1, 2, 4]") {
            try lstm.check(Tensor.zeros([2, 4, 2]), (Tensor.zeros([1, 2, 3]), Tensor.zeros([1, 2, 4])))
        }
        expectError("For batched 3-D input, hx and cx should also be 3-D but got (2-D, 2-D) tensors") {
            try lstm.check(Tensor.zeros([4, 3, 2]), (Tensor.zeros([1, 3]), Tensor.zeros([1, 3])))
        }
        expectError("For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D) tensors") {
            try lstm.check(Tensor.zeros([4, 2]), (Tensor.zeros([1, 1, 3]), Tensor.zeros([1, 1, 3])))
        }
        let cell = RNNCell(1, 4)
        expectError("input has inconsistent input_size: got 2 expected 1") { try cell.check(Tensor.zeros([3, 2])) }
        expectError("RNNCell: Expected input to be 1D or 2D, got 3D instead") { try cell.check(Tensor.zeros([3, 1, 1])) }
        expectError("RNNCell: Expected hidden to be 1D or 2D, got 3D instead") { try cell.check(Tensor.zeros([3, 1]), Tensor.zeros([3, 4, 1])) }
        expectError("Input batch size 3 doesn't match hidden0 batch size 2") { try cell.check(Tensor.zeros([3, 1]), Tensor.zeros([2, 4])) }
        expectError("hidden0 has inconsistent hidden_size: got 5, expected 4") { try cell.check(Tensor.zeros([3, 1]), Tensor.zeros([3, 5])) }
        expectError("Expected 2D hidden0 (batch x hidden_size), but got 3D tensor") { try cell.check(Tensor.zeros([1]), Tensor.zeros([2, 4])) }
        expectError("mat1 and mat2 must have the same dtype, but got Double and Float") { try cell.check(Tensor.zeros([3, 1], dtype: .float64)) }
        expectError("mat1 and mat2 must have the same dtype, but got Long and Float") { try cell.check(Tensor.zeros([3, 1], dtype: .int64)) }
        let lstmCell = LSTMCell(2, 3)
        expectError("input has inconsistent input_size: got 3 expected 2") { try lstmCell.check(Tensor.zeros([4, 3])) }
        expectError("LSTMCell: Expected input to be 1D or 2D, got 3D instead") { try lstmCell.check(Tensor.zeros([4, 2, 1])) }
        expectError("LSTMCell: Expected hx[0] to be 1D or 2D, got 3D instead") {
            try lstmCell.check(Tensor.zeros([4, 2]), (Tensor.zeros([4, 3, 1]), Tensor.zeros([4, 3, 1])))
        }
        expectError("Input batch size 4 doesn't match hidden1 batch size 5") {
            try lstmCell.check(Tensor.zeros([4, 2]), (Tensor.zeros([4, 3]), Tensor.zeros([5, 3])))
        }
        expectError("hidden1 has inconsistent hidden_size: got 4, expected 3") {
            try lstmCell.check(Tensor.zeros([4, 2]), (Tensor.zeros([4, 3]), Tensor.zeros([4, 4])))
        }
    }

    /// Float64 weights for `layers` layers with `gates` gates, drawn from `seed`.
    static func recurrentWeights(inputSize: Int, hiddenSize: Int, layers: Int, gates: Int, bias: Bool, seed: UInt64) -> [Tensor] {
        (0..<layers).flatMap { l -> [Tensor] in
            let rows = gates * hiddenSize, inputs = l == 0 ? inputSize : hiddenSize, s = seed + UInt64(10 * l)
            return [randomDouble([rows, inputs], seed: s, scale: 0.5), randomDouble([rows, hiddenSize], seed: s + 1, scale: 0.5)]
                + (bias ? [randomDouble([rows], seed: s + 2, scale: 0.5), randomDouble([rows], seed: s + 3, scale: 0.5)] : [])
        }
    }

    static func layerWeights(_ t: ArraySlice<Tensor>, layers: Int, bias: Bool) -> [RecurrentLayerWeights] {
        let per = bias ? 4 : 2
        return (0..<layers).map { l in
            let w = Array(t[(t.startIndex + per * l)...])
            return RecurrentLayerWeights(weightIH: w[0], weightHH: w[1], biasIH: bias ? w[2] : nil, biasHH: bias ? w[3] : nil)
        }
    }

    @Test func recurrentFiniteDifferences() {
        let x = Self.randomDouble([2, 4, 2], seed: 41), h0 = Self.randomDouble([2, 2, 3], seed: 42, scale: 0.5)
        let rnnWeights = Self.recurrentWeights(inputSize: 2, hiddenSize: 3, layers: 2, gates: 1, bias: true, seed: 50)
        for nonlinearity in [RNNNonlinearity.tanh, .relu] {
            Self.expectFiniteDifferences([x, h0] + rnnWeights) { t in
                let (output, hidden) = runRNN(t[0], t[1], layers: Self.layerWeights(t[2...], layers: 2, bias: true),
                                              hiddenSize: 3, nonlinearity: nonlinearity, batchFirst: true)
                return Tensor.cat([output.reshape([-1]), hidden.reshape([-1])])
            }
        }
        let plain = Self.recurrentWeights(inputSize: 2, hiddenSize: 3, layers: 1, gates: 1, bias: false, seed: 60)
        Self.expectFiniteDifferences([x] + plain) { t in
            runRNN(t[0], nil, layers: Self.layerWeights(t[1...], layers: 1, bias: false), hiddenSize: 3,
                   nonlinearity: .tanh, batchFirst: false).output
        }
        let lstmWeights = Self.recurrentWeights(inputSize: 2, hiddenSize: 3, layers: 2, gates: 4, bias: true, seed: 70)
        let c0 = Self.randomDouble([2, 2, 3], seed: 43, scale: 0.5)
        Self.expectFiniteDifferences([x, h0, c0] + lstmWeights) { t in
            let (output, state) = runLSTM(t[0], (t[1], t[2]), layers: Self.layerWeights(t[3...], layers: 2, bias: true),
                                          hiddenSize: 3, batchFirst: true)
            return Tensor.cat([output.reshape([-1]), state.h.reshape([-1]), state.c.reshape([-1])])
        }
        let cellWeights = Self.recurrentWeights(inputSize: 2, hiddenSize: 3, layers: 1, gates: 1, bias: true, seed: 80)
        let xc = Self.randomDouble([4, 2], seed: 44), hc = Self.randomDouble([4, 3], seed: 45), cc = Self.randomDouble([4, 3], seed: 46)
        Self.expectFiniteDifferences([xc, hc] + cellWeights) { t in
            runRNNCell(t[0], t[1], weights: Self.layerWeights(t[2...], layers: 1, bias: true)[0], nonlinearity: .tanh)
        }
        let lstmCellWeights = Self.recurrentWeights(inputSize: 2, hiddenSize: 3, layers: 1, gates: 4, bias: true, seed: 90)
        Self.expectFiniteDifferences([xc, hc, cc] + lstmCellWeights) { t in
            let (h, c) = runLSTMCell(t[0], (t[1], t[2]), weights: Self.layerWeights(t[3...], layers: 1, bias: true)[0])
            return Tensor.cat([h, c])
        }
    }
}
