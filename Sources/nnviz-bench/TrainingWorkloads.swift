import NNViz

/// Whole training runs: the sine-wave RNN tutorial and the blog's 100→1000→10 network, model built and
/// trained inside the timed body, data made outside it.
let trainingWorkloads: [Workload] = [
    // The sine RNN tutorial: RNN(1, 32, batch_first) + Linear(32, 1) on 176 windows of 25, MSE, SGD lr 0.05,
    // 100 full-batch epochs (PyTorch CPU here: 0.20–0.25 s).
    Workload(name: "rnn_sine_100ep", repeats: 11) {
        let (inputs, targets) = sineWindows()
        return {
            let model = withManualSeed(1) { SineRNN() }
            let loss = train(model, inputs, targets, criterion: MSELoss(), steps: 100,
                             optimizer: SGD(model.parameters(), lr: 0.05))
            precondition(loss.isFinite && loss < 0.1)
        }
    },
    // 1,000 full-batch steps of Linear(100, 1000) → ReLU → Linear(1000, 10), no biases, summed MSE,
    // SGD lr 1e-5 with Nesterov momentum 0.8 and weight decay 1e-8 (PyTorch CPU here: 0.8–1.5 s).
    Workload(name: "mlp_1000ep", repeats: 5) {
        manualSeed(0)
        let x = Tensor.randn([100, 100]), y = Tensor.randn([100, 10])
        return {
            let model = withManualSeed(1) {
                Sequential(Linear(100, 1000, bias: false), ReLU(), Linear(1000, 10, bias: false))
            }
            let optimizer = SGD(model.parameters(), lr: 1e-5, momentum: 0.8, weightDecay: 1e-8, nesterov: true)
            let loss = train(model, x, y, criterion: MSELoss(reduction: .sum), steps: 1000, optimizer: optimizer)
            precondition(loss.isFinite && loss < 1000)
        }
    },
]

/// The tutorial's data after `manualSeed(0)`: sin over two periods in 201 points plus 0.1·N(0, 1) noise,
/// as (176, 25, 1) windows and the (176, 1) values that follow them.
private func sineWindows() -> (inputs: Tensor, targets: Tensor) {
    let window = 25
    manualSeed(0)
    let series = Tensor.linspace(0, 4 * Double.pi, steps: 201).sin() + 0.1 * Tensor.randn([201])
    let count = series.count - window
    let inputs = Tensor.stack((0..<count).map { series[$0..<($0 + window)] }).unsqueeze(-1)
    let targets = Tensor.stack((0..<count).map { series[($0 + window)..<($0 + window + 1)] })
    return (inputs, targets)
}

/// `RNN(1, 32, batchFirst: true)` read out by `Linear(32, 1)` at the last step.
private final class SineRNN: Module {
    let rnn = RNN(1, 32, batchFirst: true)
    let fc = Linear(32, 1)

    override func forward(_ x: Tensor) -> Tensor {
        let (output, _) = rnn(x)
        return fc(output[TensorIndex.all, -1])
    }
}

/// Full-batch training steps; returns the last loss.
private func train(_ model: Module, _ x: Tensor, _ y: Tensor, criterion: some Loss, steps: Int,
                   optimizer: Optimizer) -> Double {
    var last = Double.nan
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        last = loss.item()
    }
    return last
}

/// 100 Adam steps (lr 1e-3) of one `TransformerEncoderLayer(64, 4, dim_feedforward 256, dropout 0.1,
/// batch_first)` in training mode on a 16 × 32 × 64 input, MSE to a fixed target; layer built inside the
/// timed body, data outside it (PyTorch's side: Tests/tools/bench_transformer_layer.py).
let transformerWorkloads: [Workload] = [
    Workload(name: "transformer_layer_train_100", repeats: 5) {
        manualSeed(0)
        let x = Tensor.randn([16, 32, 64]), y = Tensor.randn([16, 32, 64])
        return {
            let loss: Double = withManualSeed(1) {
                let layer = TransformerEncoderLayer(64, 4, dimFeedforward: 256, dropout: 0.1)
                return train(layer, x, y, criterion: MSELoss(), steps: 100, optimizer: Adam(layer.parameters(), lr: 1e-3))
            }
            precondition(loss.isFinite && loss < 10)
        }
    },
]
