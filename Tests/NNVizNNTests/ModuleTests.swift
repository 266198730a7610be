import Testing
@testable import NNVizCore
@testable import NNVizNN

/// The Module base class, Linear and Sequential against the seed tutorials.
@Suite(.serialized)
struct ModuleTests {
    final class NeuralNetwork: Module {
        let layer1 = Linear(2, 1)
        override func forward(_ x: Tensor) -> Tensor { layer1(x).tanh() }
    }

    @Test func linearInitialisationMatchesPyTorch() {
        let fc = withManualSeed(1) { Linear(3, 2) }
        #expect(fc.weight!.floats == [0.2974873483181, -0.2548298239707947, -0.11192598193883896,
                                       0.2709902822971344, -0.5435388088226318, 0.3462469279766083].map { Float($0) })
        #expect(fc.bias!.floats == [-0.11877556145191193, 0.2937234044075012].map { Float($0) })
    }

    @Test func customModuleAsInTheTanhTutorial() {
        let model = NeuralNetwork()
        model.layer1.weight = Parameter([[0.6, -0.2]])
        model.layer1.bias = Parameter([0.8])
        #expect(model.namedParameters().map(\.name) == ["layer1.weight", "layer1.bias"])
        let y = model(Tensor([[1.0, 2.0]]))
        #expect(y.description == "tensor([[0.7616]], grad_fn=<TanhBackward0>)")
        let loss = (y - Tensor([[1.0]])).pow(2).mean()
        loss.backward()
        #expect(model.layer1.weight!.grad!.floats.map { ($0 * 1e4).rounded() / 1e4 } == [-0.2002, -0.4005])
        #expect(model.layer1.bias!.grad!.floats.map { ($0 * 1e4).rounded() / 1e4 } == [-0.2002])
        #expect(y.gradFn!.nextFunctions[0]!.modulePath == "layer1")
    }

    @Test func sequentialNamesAndRepr() {
        let model = withManualSeed(1) { Sequential(Linear(3, 2), Linear(2, 1)) }
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        #expect(model.parameterCount == 11)
        #expect(model.description == """
            Sequential(
              (0): Linear(in_features=3, out_features=2, bias=True)
              (1): Linear(in_features=2, out_features=1, bias=True)
            )
            """)
        let y = model(Tensor([[1.0, 2.0, 3.0]]))
        #expect(y.shape == [1, 1])
    }

    @Test func checkReportsTheDtypeErrorInsteadOfStopping() {
        let fc = Linear(3, 2)
        #expect(throws: TensorError("mat1 and mat2 must have the same dtype, but got Long and Float")) {
            try fc.check(Tensor([[1, 2, 3]]))
        }
        #expect(throws: TensorError("mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)")) {
            try Sequential(fc).check(Tensor.ones([1, 4]))
        }
    }

    @Test func stateDictRoundTripsAndReportsMismatches() throws {
        let a = Linear(3, 2), b = Linear(3, 2)
        try b.loadStateDict(a.stateDict())
        #expect(b.weight!.floats == a.weight!.floats)
        #expect(throws: TensorError.self) { try b.loadStateDict(["weight": Tensor.ones([2, 3])]) }
    }

    @Test func trainEvalAndZeroGrad() {
        let model = Sequential(Linear(2, 2), Linear(2, 1))
        model.eval()
        #expect(model.namedModules().allSatisfy { !$0.module.training })
        model(Tensor([[1.0, 2.0]])).sum().backward()
        #expect(model.parameters().allSatisfy { $0.grad != nil })
        model.zeroGrad()
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }

    /// Anomaly mode attributes a layer's nodes to the user's call: a `Sequential` called from this module
    /// (whose name also starts with "NNViz") points at this file, not at nnviz's Sequential.swift.
    @Test func anomalySourcesPointAtTheCallerEvenInModulesNamedNNViz() {
        let model = Sequential(Linear(2, 2))
        let (y, line) = AnomalyMode.enabled { (model(Tensor([[1.0, 2.0]])), #line) }
        #expect(y.gradFn?.name == "AddmmBackward0")
        #expect(y.gradFn?.creationSite == "Sequential at NNVizNNTests/ModuleTests.swift:\(line)")
    }

    /// A state without `num_batches_tracked` loads and leaves the count as it was, as PyTorch's
    /// `load_state_dict` does for a plain dict; any other missing buffer is still an error.
    @Test func missingBatchCountKeepsTheLayersOwn() throws {
        let source = withManualSeed(0) { BatchNorm2d(3) }, target = BatchNorm2d(3)
        _ = source(withManualSeed(1) { Tensor.randn([4, 3, 2, 2]) })
        var state = source.stateDict()
        state["num_batches_tracked"] = nil
        try target.loadStateDict(state)
        #expect(target.runningMean!.floats == source.runningMean!.floats)
        #expect(target.numBatchesTracked!.item() == 0 && source.numBatchesTracked!.item() == 1)
        state["running_var"] = nil
        #expect(throws: TensorError.self) { try target.loadStateDict(state) }
    }
}
