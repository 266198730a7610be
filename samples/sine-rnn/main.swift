// The sine-wave RNN tutorial in Swift: noisy sine data, a hand-written RNN cell next to the built-in
// RNN, 100 epochs of SGD, the loss per epoch, and pictures of the loss, the predictions and the graph.
//
//   swift run sine-rnn        (writes output/sine_rnn_*.png and output/sine_rnn_losses.csv)

import Foundation
import NNViz

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

// MARK: - Training

func train(_ model: Module, name: String) -> [Double] {
    let optimizer = SGD(model.parameters(), lr: 0.05)
    let criterion = MSELoss()
    var losses: [Double] = []
    for epoch in 1...epochs {
        optimizer.zeroGrad()
        let loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if epoch % 10 == 0 || epoch == 1 { print(String(format: "%@ epoch %3d  loss %.6f", name, epoch, loss.item())) }
    }
    return losses
}

let handWritten = withManualSeed(1) { SineRNN() }
let builtin = withManualSeed(1) { BuiltinSineRNN() }
let handLosses = train(handWritten, name: "hand-written cell")
let builtinLosses = train(builtin, name: "built-in RNN     ")
print(String(format: "final loss: hand-written %.6f, built-in %.6f (PyTorch: 0.018657)", handLosses.last!, builtinLosses.last!))

// MARK: - Pictures and the log

try FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
let log = try LossLogWriter(path: "output/sine_rnn_losses.csv", columns: ["hand_written", "builtin"])
for epoch in 0..<epochs {
    try log.record(step: epoch + 1, values: ["hand_written": handLosses[epoch], "builtin": builtinLosses[epoch]])
}

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

print("wrote output/sine_rnn_loss.png, output/sine_rnn_prediction.png, output/sine_rnn_losses.csv")
