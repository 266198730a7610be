import NNVizCore
import NNVizNN

/// The small networks of the samples' model files (samples/seed1_mlp.yaml, tanh_neuron.yaml, exploding.yaml),
/// built in Swift as a training script builds them and run as `nnviz graph --format html` runs a file: with
/// anomaly tracing, so every node remembers the line of this file that made it, and with per-node statistics.
/// The page tests draw their graphs; how a model file's own lines reach the page is NNVizCLITests' concern.
struct SampleNetwork {
    /// This file as anomaly tracing names it in a node's source (`Linear at NNVizGraphTests/SampleNetworks.swift:40`).
    static let file = "NNVizGraphTests/SampleNetworks.swift"

    /// The parameters, named as the model file names them (`fc1.weight`).
    let parameters: [(name: String, tensor: Tensor)]
    let loss: Tensor
    /// The line of this file where each traced call was made, by name: a layer (`fc1`) or `loss`.
    let lines: [String: Int]

    /// The source a node made by the call `name` carries: `label at NNVizGraphTests/SampleNetworks.swift:LINE`.
    func source(_ label: String, _ name: String) -> String {
        "\(label) at \(Self.file):\(lines[name]!)"
    }

    /// Runs `body` with anomaly tracing and statistics on, as `nnviz graph --format html` runs a model file.
    static func traced<R>(_ body: () -> R) -> R {
        StatisticsMode.enabled { AnomalyMode.enabled(body) }
    }

    /// The parameters of `layers`, named `layer.parameter`.
    static func named(_ layers: [(String, Module)]) -> [(name: String, tensor: Tensor)] {
        layers.flatMap { layer, module in module.namedParameters().map { (name: layer + "." + $0.name, tensor: $0.tensor) } }
    }

    /// samples/seed1_mlp.yaml: the 3→2→1 network of the "neural network flow" tutorial with PyTorch's seed-1
    /// weights, a ReLU between the layers, one input row, MSE against 1 (PyTorch's loss: 0.7201).
    static func seed1MLP() -> SampleNetwork {
        let generator = Generator(seed: 1)
        let fc1 = Linear(3, 2, generator: generator), relu = ReLU(), fc2 = Linear(2, 1, generator: generator)
        return traced {
            let (hidden, fc1Line) = (fc1(Tensor([[1.0, 2.0, 3.0]])), #line)
            let output = fc2(relu(hidden))
            let (loss, lossLine) = (AnomalyMode.trace("loss") { MSELoss()(output, Tensor([[1.0]])) }, #line)
            return SampleNetwork(parameters: named([("fc1", fc1), ("fc2", fc2)]), loss: loss,
                                 lines: ["fc1": fc1Line, "loss": lossLine])
        }
    }

    /// samples/tanh_neuron.yaml: one tanh neuron with weights 0.6 and -0.2, bias 0.8, input (1, 2), MSE against 1.
    static func tanhNeuron() -> SampleNetwork {
        let layer1 = Linear(2, 1, generator: Generator(seed: 0)), tanh = Tanh()
        noGrad {
            layer1.weight!.copy_(Tensor([[0.6, -0.2]]))
            layer1.bias!.copy_(Tensor([0.8]))
        }
        return traced {
            let (output, layer1Line) = (tanh(layer1(Tensor([[1.0, 2.0]]))), #line)
            let (loss, lossLine) = (AnomalyMode.trace("loss") { MSELoss()(output, Tensor([[1.0]])) }, #line)
            return SampleNetwork(parameters: named([("layer1", layer1)]), loss: loss,
                                 lines: ["layer1": layer1Line, "loss": lossLine])
        }
    }

    /// samples/exploding.yaml: huge first-layer weights overflow float32 to +Inf in `fc1` (one element of
    /// two), the second layer spreads the Inf to all three outputs, and log-softmax turns them into NaN
    /// (inf − inf); NLL loss against class 2.
    static func exploding() -> SampleNetwork {
        let fc1 = Linear(2, 2, generator: Generator(seed: 0)), fc2 = Linear(2, 3, generator: Generator(seed: 0))
        noGrad {
            fc1.weight!.copy_(Tensor([[1.0e38, 1.0e38], [0.5, -0.5]]))
            fc1.bias!.copy_(Tensor([0.0, 0.0]))
            fc2.weight!.copy_(Tensor([[1.0e38, 1.0], [1.0, 1.0], [1.0, 1.0]]))
        }
        return traced {
            let (hidden, fc1Line) = (fc1(Tensor([[10.0, 10.0]])), #line)
            let (output, fc2Line) = (fc2(hidden).logSoftmax(dim: 1), #line)
            let target = Tensor(shape: [1], values: [2], dtype: .int64)
            let (loss, lossLine) = (AnomalyMode.trace("loss") { NLLLoss()(output, target) }, #line)
            return SampleNetwork(parameters: named([("fc1", fc1), ("fc2", fc2)]), loss: loss,
                                 lines: ["fc1": fc1Line, "fc2": fc2Line, "loss": lossLine])
        }
    }
}
