import Foundation
import NNViz

/// A model file built and run: the network (random numbers drawn in PyTorch's order), its input,
/// output, target and loss — what `nnviz graph` draws and `nnviz inspect` prints.
///
/// ```swift
/// let run = try ModelRun(spec: ModelSpec.read(contentsOf: "samples/mlp.yaml"))
/// print(run.loss!)      // tensor(0.7201, grad_fn=<MseLossBackward0>)
/// ```
public final class ModelRun {
    public let spec: ModelSpec
    /// The layers in order, named as the file names them.
    public let model: Sequential
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
        let build = { () throws -> (Sequential, Tensor, Tensor?, Tensor, Tensor?) in
            let model = Sequential(named: spec.layers.map { ($0.name, ModelRun.build($0)) })
            try ModelRun.applyInitialValues(spec, to: model)
            let input = ModelRun.tensor(spec.input, classIndices: spec.layers.first?.kind == "embedding")
            let target = spec.target.map { ModelRun.tensor($0, classIndices: LayerCatalog.losses[spec.loss?.kind ?? "mse"] == true) }
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

    private static func forward(_ model: Sequential, _ input: Tensor, _ target: Tensor?, _ spec: ModelSpec,
                                anomaly: Bool, statistics: Bool) throws -> (Tensor, Tensor?) {
        let run = { () -> (Tensor, Tensor?) in
            // Each layer's nodes point at the layer's line in the model file.
            var output = input
            for (layer, (_, module)) in zip(spec.layers, model.layers) {
                output = AnomalyMode.trace("layer '\(layer.name)' (\(layer.kind))", file: spec.file, line: layer.line ?? 0) {
                    withModuleScope(layer.name) { module.forward(output) }
                }
            }
            guard let target, let loss = spec.loss else { return (output, nil) }
            return (output, AnomalyMode.trace("loss '\(loss.kind)'", file: spec.file, line: loss.line ?? 0) {
                ModelRun.criterion(loss)(output, target)
            })
        }
        if loss(spec) == "bce" {
            // BCE needs probabilities; say so instead of stopping inside the loss.
            let output = noGrad { model.forward(input) }
            if output.scalars.contains(where: { !($0 >= 0 && $0 <= 1) }) {
                throw ModelSpecError(file: spec.file, line: spec.loss?.line, column: nil,
                                     "'bce' needs outputs between 0 and 1 (end the model with sigmoid, or use bce_with_logits)")
            }
        }
        let traced = { anomaly ? AnomalyMode.enabled(run) : run() }
        return statistics ? StatisticsMode.enabled(traced) : traced()
    }

    private static func loss(_ spec: ModelSpec) -> String? { spec.loss?.kind }

    /// Runs backward from the loss, filling every parameter's gradient.
    public func backward() {
        loss?.backward(retainGraph: true)
    }

    // MARK: - Building

    static func build(_ layer: ModelSpec.Layer) -> Module {
        switch layer.kind {
        case "linear": return Linear(layer.int("in"), layer.int("out"), bias: layer.bool("bias"))
        case "rnn":
            let rnn = RNN(layer.int("input"), layer.int("hidden"), numLayers: layer.int("layers"),
                          nonlinearity: layer.text("nonlinearity") == "relu" ? .relu : .tanh,
                          bias: layer.bool("bias"), batchFirst: true)
            return RecurrentOutput(rnn, lastStep: layer.text("output") == "last")
        case "lstm":
            let lstm = LSTM(layer.int("input"), layer.int("hidden"), numLayers: layer.int("layers"),
                            bias: layer.bool("bias"), batchFirst: true)
            return RecurrentOutput(lstm, lastStep: layer.text("output") == "last")
        case "conv2d":
            return Conv2d(layer.int("in"), layer.int("out"), kernelSize: IntOrPair(layer.int("kernel")),
                          stride: IntOrPair(layer.int("stride")), padding: IntOrPair(layer.int("padding")), bias: layer.bool("bias"))
        case "maxpool2d":
            return MaxPool2d(IntOrPair(layer.int("kernel")), stride: layer.optionalInt("stride").map { IntOrPair($0) })
        case "batchnorm1d": return BatchNorm1d(layer.int("features"))
        case "batchnorm2d": return BatchNorm2d(layer.int("features"))
        case "dropout": return Dropout(layer.double("p"))
        case "flatten": return Flatten()
        case "embedding": return Embedding(layer.int("num"), layer.int("dim"))
        case "relu": return ReLU()
        case "relu6": return ReLU6()
        case "tanh": return Tanh()
        case "sigmoid": return Sigmoid()
        case "selu": return SELU()
        case "softsign": return Softsign()
        case "tanhshrink": return Tanhshrink()
        case "logsigmoid": return LogSigmoid()
        case "softmax2d": return Softmax2d()
        case "gelu": return GELU(approximate: layer.text("approximate") == "tanh" ? .tanh : .none)
        case "elu": return ELU(alpha: layer.double("alpha"))
        case "celu": return CELU(alpha: layer.double("alpha"))
        case "leaky_relu": return LeakyReLU(negativeSlope: layer.double("negative_slope"))
        case "hardtanh": return Hardtanh(minVal: layer.double("min"), maxVal: layer.double("max"))
        case "hardshrink": return Hardshrink(lambda: layer.double("lambda"))
        case "softshrink": return Softshrink(lambda: layer.double("lambda"))
        case "softplus": return Softplus(beta: layer.double("beta"), threshold: layer.double("threshold"))
        case "threshold": return Threshold(threshold: layer.double("threshold"), value: layer.double("value"))
        case "prelu": return PReLU(numParameters: layer.int("num_parameters"), init: layer.double("init"))
        case "rrelu": return RReLU(lower: layer.double("lower"), upper: layer.double("upper"))
        case "softmax": return Softmax(dim: layer.int("dim"))
        case "log_softmax": return LogSoftmax(dim: layer.int("dim"))
        case "softmin": return Softmin(dim: layer.int("dim"))
        default: preconditionFailure("ModelSpec admitted an unknown layer '\(layer.kind)'")
        }
    }

    static func criterion(_ loss: ModelSpec.Loss) -> (Tensor, Tensor) -> Tensor {
        let reduction = Reduction(rawValue: loss.reduction)!
        switch loss.kind {
        case "mse": return MSELoss(reduction: reduction).callAsFunction
        case "l1": return L1Loss(reduction: reduction).callAsFunction
        case "smooth_l1": return SmoothL1Loss(reduction: reduction, beta: loss.arguments["beta"]!.double!).callAsFunction
        case "huber": return HuberLoss(reduction: reduction, delta: loss.arguments["delta"]!.double!).callAsFunction
        case "cross_entropy": return CrossEntropyLoss(reduction: reduction).callAsFunction
        case "nll": return NLLLoss(reduction: reduction).callAsFunction
        case "bce": return BCELoss(reduction: reduction).callAsFunction
        case "bce_with_logits": return BCEWithLogitsLoss(reduction: reduction).callAsFunction
        default: preconditionFailure("ModelSpec admitted an unknown loss '\(loss.kind)'")
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
/// Its parameters keep PyTorch's `nn.RNN` names directly under the layer's name (`0.weight_ih_l0`).
final class RecurrentOutput: Module {
    let recurrent: Module
    let lastStep: Bool
    private let run: (Tensor) -> Tensor

    init(_ rnn: RNN, lastStep: Bool) {
        recurrent = rnn
        self.lastStep = lastStep
        run = { rnn.forward($0) }
        super.init()
    }

    init(_ lstm: LSTM, lastStep: Bool) {
        recurrent = lstm
        self.lastStep = lastStep
        run = { lstm.forward($0) }
        super.init()
    }

    override func namedChildren() -> [(name: String, module: Module)] { [] }
    override func ownParameters() -> [(name: String, tensor: Tensor)] { recurrent.namedParameters() }

    override func forward(_ input: Tensor) -> Tensor {
        let output = run(input)
        guard lastStep else { return output }
        return output.ndim == 3 ? output[TensorIndex.all, -1, TensorIndex.all] : output[-1]
    }

    override var description: String { recurrent.description }
    override var typeName: String { recurrent.typeName }
}
