import Foundation
import NNViz

/// A model file built and run: the network (random numbers drawn in PyTorch's order), its input,
/// output, target and loss — what `nnviz graph` draws and `nnviz inspect` prints.
///
/// ```swift
/// let run = try ModelRun(spec: ModelSpec.read(contentsOf: "samples/seed1_mlp.yaml"))
/// print(run.loss!)      // tensor(0.7201, grad_fn=<MseLossBackward0>)
/// ```
public final class ModelRun {
    public let spec: ModelSpec
    /// The network, its layers named as the file names them (blocks as nested modules).
    public let model: Module
    public let input: Tensor
    public let output: Tensor
    public let target: Tensor?
    public let loss: Tensor?

    /// Builds and runs `spec`: `manualSeed(seed)`, every layer's parameters in order, `init` values, then
    /// `input`, then `target` — the order the PyTorch twin of the file draws them.
    ///
    /// With `statistics` every backward node records the statistics of the values it produced
    /// (``StatisticsMode``), for the HTML page's panel.
    public init(spec: ModelSpec, anomaly: Bool = false, statistics: Bool = false) throws {
        self.spec = spec
        let build = { () throws -> (Module, Tensor, Tensor?, Tensor, Tensor?) in
            let chain = spec.blocks.isEmpty && spec.layers.enumerated().allSatisfy { $1.inputs == [$0 - 1] && $1.copies == nil }
            let model = LayerGraph.build(spec.layers, spec: spec, displayName: chain ? "Sequential" : "Model")
            try ModelRun.applyInitialValues(spec, to: model)
            let indices = spec.layers.contains { $0.kind == "embedding" && $0.inputs == [-1] }
            let input = ModelRun.tensor(spec.input, classIndices: indices)
            let target = spec.target.map { ModelRun.tensor($0, classIndices: LossCatalog.losses[spec.loss?.kind ?? "mse"] == true) }
            model.train(spec.training)
            let (output, loss) = try ModelRun.forward(model, input, target, spec, anomaly: anomaly, statistics: statistics)
            return (model, input, target, output, loss)
        }
        // Dropout and RReLU draw during the forward pass, so the whole run holds the seeded generator.
        let (model, input, target, output, loss) = try spec.seed.map { try withManualSeed($0, build) } ?? build()
        self.model = model
        self.input = input
        self.target = target
        self.output = output
        self.loss = loss
    }

    private static func forward(_ model: Module, _ input: Tensor, _ target: Tensor?, _ spec: ModelSpec,
                                anomaly: Bool, statistics: Bool) throws -> (Tensor, Tensor?) {
        let run = { () throws -> (Tensor, Tensor?) in
            // Each layer's nodes are tagged with its dotted path and point at its line in the model file.
            let output = model(input)
            guard let target, let loss = spec.loss else { return (output, nil) }
            let criterion = ModelRun.criterion(loss)
            do {
                try criterion.check(output, target)
            } catch let error as TensorError {
                // Only values can fail here (shapes were checked when the file was read): BCE's probabilities.
                let hint = loss.kind == "bce" ? " ('bce' needs outputs between 0 and 1: end the model with sigmoid, or use bce_with_logits)" : ""
                throw ModelSpecError(file: spec.file, line: loss.line, column: nil, "loss '\(loss.kind)': \(error)\(hint)")
            }
            return (output, AnomalyMode.trace("loss '\(loss.kind)'", file: spec.file, line: loss.line ?? 0) {
                criterion(output, target)
            })
        }
        let traced = { () throws -> (Tensor, Tensor?) in try anomaly ? AnomalyMode.enabled(run) : run() }
        return try statistics ? StatisticsMode.enabled(traced) : traced()
    }

    /// Runs backward from the loss, filling every parameter's gradient.
    public func backward() {
        loss?.backward(retainGraph: true)
    }

    // MARK: - Building

    static func criterion(_ loss: ModelSpec.Loss) -> any Loss {
        let reduction = Reduction(rawValue: loss.reduction)!
        switch loss.kind {
        case "l1": return L1Loss(reduction: reduction)
        case "smooth_l1": return SmoothL1Loss(reduction: reduction, beta: loss.arguments.double("beta"))
        case "huber": return HuberLoss(reduction: reduction, delta: loss.arguments.double("delta"))
        case "cross_entropy": return CrossEntropyLoss(reduction: reduction)
        case "nll": return NLLLoss(reduction: reduction)
        case "bce": return BCELoss(reduction: reduction)
        case "bce_with_logits": return BCEWithLogitsLoss(reduction: reduction)
        default: return MSELoss(reduction: reduction)
        }
    }

    static func tensor(_ source: ModelSpec.TensorSource, classIndices: Bool) -> Tensor {
        switch source {
        case let .literal(shape, values, integral):
            return Tensor(shape: shape, values: values, dtype: classIndices && integral ? .int64 : .float32)
        case let .random(kind, shape):
            switch kind {
            case "randn": return Tensor.randn(shape)
            case "rand": return Tensor.rand(shape)
            case "zeros": return Tensor.zeros(shape)
            default: return Tensor.ones(shape)
            }
        }
    }

    static func applyInitialValues(_ spec: ModelSpec, to model: Module) throws {
        let parameters = Dictionary(model.namedParameters().map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        for value in spec.initialValues {
            guard let parameter = parameters[value.name] else {
                throw ModelSpecError(file: spec.file, line: value.line, column: value.column,
                                     "init names no parameter '\(value.name)'\(suggestion(value.name, in: Array(parameters.keys))); the model has \(model.namedParameters().map(\.name).joined(separator: ", "))")
            }
            guard value.shape == parameter.shape else {
                throw ModelSpecError(file: spec.file, line: value.line, column: value.column,
                                     "init value for '\(value.name)' has shape \(value.shape), but the parameter has shape \(parameter.shape)")
            }
            noGrad { parameter.copy_(Tensor(shape: value.shape, values: value.values)) }
        }
    }
}

/// A recurrent layer as a model file uses it: batch-first, keeping all steps or only the last one.
/// Its parameters keep PyTorch's `nn.RNN`/`nn.LSTM`/`nn.GRU` names directly under the layer's name (`0.weight_ih_l0`).
final class RecurrentOutput: Module {
    let recurrent: Module
    let lastStep: Bool

    /// `recurrent` is an ``RNN``, ``LSTM`` or ``GRU``, whose `forward` gives its output sequence.
    init(_ recurrent: Module, lastStep: Bool) {
        self.recurrent = recurrent
        self.lastStep = lastStep
        super.init()
    }

    override func namedChildren() -> [(name: String, module: Module)] { [] }
    override func ownParameters() -> [(name: String, tensor: Tensor)] { recurrent.namedParameters() }

    override func forward(_ input: Tensor) -> Tensor {
        let output = recurrent.forward(input)
        guard lastStep else { return output }
        return output.ndim == 3 ? output[TensorIndex.all, -1, TensorIndex.all] : output[-1]
    }

    override var description: String { recurrent.description }
}
