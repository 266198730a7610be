// The sine-wave RNN tutorial in Swift: noisy sine data, a hand-written RNN cell next to the built-in
// RNN, 100 epochs of SGD under a TrainingMonitor (anomaly-checked losses, a flushed CSV row per epoch),
// and pictures of the loss, the predictions, the graph with gradient norms, the gradient flow and the
// gradient heatmap (each parameter's gradient norm at every epoch, logged to the CSV as it trains).
//
//   swift run -c release sine-rnn
//   (writes output/sine_rnn_losses.csv and output/sine_rnn_{loss,prediction,graph,grad_flow,grad_heatmap}.png;
//    `nnviz plot output/sine_rnn_losses.csv` draws the same heatmap from the CSV)

import Foundation
import NNViz

HeapTuning.keepTrainingMemory()  // training steps reuse their buffers instead of faulting them in again

// MARK: - Data: 201 points of sin over two periods plus noise, windows of 25 predicting the next value

let window = 25, hidden = 32, epochs = 100
manualSeed(0)
let t = Tensor.linspace(0, 4 * Double.pi, steps: 201)
let series = t.sin() + 0.1 * Tensor.randn([201])
let windowCount = series.count - window          // 176
let inputs = Tensor.stack((0..<windowCount).map { series[$0..<($0 + window)] }).unsqueeze(-1)   // (176, 25, 1)
let targets = Tensor.stack((0..<windowCount).map { series[($0 + window)..<($0 + window + 1)] })  // (176, 1)

// MARK: - The article's model: a hand-written cell unrolled over the window, and a Linear head

/// `h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`, initialised as `nn.RNNCell` is (uniform ±1/√hidden).
final class SineCell: Module {
    @Param var weightIH: Tensor?
    @Param var weightHH: Tensor?
    @Param var biasIH: Tensor?
    @Param var biasHH: Tensor?

    init(inputSize: Int, hiddenSize: Int) {
        super.init()
        let bound = 1 / Double(hiddenSize).squareRoot()
        func uniform(_ shape: [Int]) -> Tensor {
            let p = Tensor.zeros(shape)
            p.uniform_(-bound, bound)
            return p
        }
        weightIH = uniform([hiddenSize, inputSize])
        weightHH = uniform([hiddenSize, hiddenSize])
        biasIH = uniform([hiddenSize])
        biasHH = uniform([hiddenSize])
    }

    func step(_ x: Tensor, _ h: Tensor) -> Tensor {
        (addmm(biasIH!, x, weightIH!.t()) + addmm(biasHH!, h, weightHH!.t())).tanh()
    }
}

/// Unrolls the cell over the window and reads the last hidden state out with a Linear layer.
final class SineRNN: Module {
    let cell = SineCell(inputSize: 1, hiddenSize: hidden)
    let fc = Linear(hidden, 1)

    override func forward(_ x: Tensor) -> Tensor {
        var h = Tensor.zeros([x.size(0), hidden])
        for step in 0..<x.size(1) { h = cell.step(x[TensorIndex.all, step], h) }
        return fc(h)
    }
}

/// The same network with the built-in `RNN`.
final class BuiltinSineRNN: Module {
    let rnn = RNN(1, hidden, batchFirst: true)
    let fc = Linear(hidden, 1)

    override func forward(_ x: Tensor) -> Tensor {
        let (output, _) = rnn(x)
        return fc(output[TensorIndex.all, -1])
    }
}

// MARK: - Training, watched: each epoch's loss runs in anomaly mode and both losses go to the CSV at once

struct Run {
    let model: Module
    let column: String
    let optimizer: SGD
}

let handWritten = withManualSeed(1) { SineRNN() }
let builtin = withManualSeed(1) { BuiltinSineRNN() }
let runs = [Run(model: handWritten, column: "hand_written", optimizer: SGD(handWritten.parameters(), lr: 0.05)),
            Run(model: builtin, column: "builtin", optimizer: SGD(builtin.parameters(), lr: 0.05))]
let criterion = MSELoss()
let monitor = try TrainingMonitor(name: "sine_rnn", directory: "output", metricsFile: "sine_rnn_losses.csv",
                                  columns: runs.map(\.column), watching: handWritten)
var lastHandWrittenLoss: Tensor?
// The built-in model's state dict names (rnn.weight_ih_l0, …, fc.bias) are samples/sine_rnn.yaml's, so
// `nnviz diff` can draw that file at both checkpoints.
try builtin.saveSafetensors("output/sine_rnn_initial.safetensors")
for epoch in 1...epochs {
    var row: [String: Double] = [:]
    for run in runs {
        run.optimizer.zeroGrad()
        let loss = try monitor.step(epoch, model: run.model) { criterion(run.model(inputs), targets) }
        loss.backward()
        run.optimizer.step()
        row[run.column] = loss.item()
        if run.model === handWritten { lastHandWrittenLoss = loss }
    }
    try monitor.record(epoch, row)
    if epoch % 10 == 0 || epoch == 1 {
        print(String(format: "epoch %3d  loss: hand-written cell %.6f, built-in RNN %.6f",
                     epoch, row["hand_written"]!, row["builtin"]!))
    }
}
try builtin.saveSafetensors("output/sine_rnn_trained.safetensors")
let handLosses = monitor.history["hand_written"]!.map(\.value)
let builtinLosses = monitor.history["builtin"]!.map(\.value)
print(String(format: "loss at epoch 100: hand-written %.6f, built-in %.6f (PyTorch: 0.018693)", handLosses.last!, builtinLosses.last!))

// MARK: - Pictures: the last epoch's graph and gradient flow (the gradients of its backward), curves, predictions

let graphPath = try monitor.plotGraph(lastHandWrittenLoss!, model: handWritten)
let flowPath = try monitor.plotGradientFlow(handWritten)
let heatmapPath = try monitor.plotGradientHeatmap()

var lossFigure = Figure(width: 8, height: 6, dpi: 150)
lossFigure.axes.plot(handLosses, x: Array(1...epochs), label: "hand-written RNN cell")
lossFigure.axes.plot(builtinLosses, x: Array(1...epochs), label: "built-in RNN", lineStyle: .dashed)
lossFigure.axes.xlabel("epoch")
lossFigure.axes.ylabel("MSE loss (log scale)")
lossFigure.axes.yscale = .log
lossFigure.axes.title("Sine-wave RNN: training loss")
lossFigure.axes.legend(.upperRight)
try lossFigure.save(to: "output/sine_rnn_loss.png")

let prediction = noGrad { handWritten(inputs) }
var predictionFigure = Figure(width: 8, height: 6, dpi: 150)
predictionFigure.axes.plot(prediction, x: Array(24..<200), label: "prediction")
predictionFigure.axes.plot(series, label: "noisy sine data")
predictionFigure.axes.xlabel("t (sample)")
predictionFigure.axes.title("Sine-wave RNN: next-value predictions after \(epochs) epochs")
predictionFigure.axes.grid()
predictionFigure.axes.legend(.best)
try predictionFigure.save(to: "output/sine_rnn_prediction.png")

print("wrote output/sine_rnn_loss.png, output/sine_rnn_prediction.png, \(graphPath), \(flowPath), \(heatmapPath), "
      + "\(monitor.metricsPath), output/sine_rnn_initial.safetensors, output/sine_rnn_trained.safetensors")
