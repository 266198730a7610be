// The blog's "manual gradients vs autograd" network in Swift: 100 → 1000 → 10 (two bias-free Linear layers
// with a ReLU between), sum of squared errors, trained three ways for 1000 steps from the same seeded
// weights: gradients written out by hand, autograd with a hand-written update, and a Module with SGD
// (Nesterov momentum). Losses are compared with PyTorch's, step-0 gradients hand vs autograd, and the
// three curves drawn on one log-scale chart.
//
//   swift run -c release manual-vs-autograd        (writes output/manual_vs_autograd_losses.png)

import Foundation
import NNViz

HeapTuning.keepTrainingMemory()  // training steps reuse their buffers instead of faulting them in again

let steps = 1000, lr = 1e-5
let marks = [0, 1, 2, 10, 100, 999]

// MARK: - Data and weights, drawn as the fixture draws them (seed 0: x, y, then the two layers' init)

manualSeed(0)
let x = Tensor.randn([100, 100])
let y = Tensor.randn([100, 10])
let model = Sequential(Linear(100, 1000, bias: false), ReLU(), Linear(1000, 10, bias: false))
let (w1Init, w2Init) = (model.parameters()[0], model.parameters()[1])

/// A copy of `tensor`'s values that shares nothing with it (and does not require grad).
func copy(_ tensor: Tensor) -> Tensor {
    Tensor(shape: tensor.shape, values: tensor.scalars)
}

// MARK: - (a) Hand-written gradients, plain SGD update

var handLosses: [Double] = []
var handStep0Grads: (w1: Tensor, w2: Tensor)?
noGrad {
    let w1 = copy(w1Init), w2 = copy(w2Init)
    for step in 0..<steps {
        let h = x.matmul(w1.t())
        let hRelu = h.relu()
        let yPred = hRelu.matmul(w2.t())
        handLosses.append((yPred - y).pow(2).sum().item())

        let gradYPred = 2 * (yPred - y)
        let gradW2 = gradYPred.t().matmul(hRelu)
        let gradH = gradYPred.matmul(w2)
        gradH[mask: h < 0] = Tensor(0.0)
        let gradW1 = gradH.t().matmul(x)
        if step == 0 { handStep0Grads = (copy(gradW1), copy(gradW2)) }

        w1 -= lr * gradW1
        w2 -= lr * gradW2
    }
}

// MARK: - (b) Autograd, the same update written out under noGrad

var autogradLosses: [Double] = []
var gradientDifference = 0.0, largestGradient = 0.0
do {
    let w1 = copy(w1Init).requiresGrad_(), w2 = copy(w2Init).requiresGrad_()
    for step in 0..<steps {
        let loss = (x.matmul(w1.t()).relu().matmul(w2.t()) - y).pow(2).sum()
        autogradLosses.append(loss.item())
        loss.backward()
        if step == 0, let hand = handStep0Grads {
            gradientDifference = max((w1.grad! - hand.w1).abs().max().item(), (w2.grad! - hand.w2).abs().max().item())
            largestGradient = max(w1.grad!.abs().max().item(), w2.grad!.abs().max().item())
        }
        noGrad {
            w1 -= lr * w1.grad!
            w2 -= lr * w2.grad!
            w1.grad!.zero_()
            w2.grad!.zero_()
        }
    }
}

// MARK: - (c) Module and SGD with Nesterov momentum and weight decay

var sgdLosses: [Double] = []
let optimizer = SGD(model.parameters(), lr: lr, momentum: 0.8, weightDecay: 1e-8, nesterov: true)
let lossFunction = MSELoss(reduction: .sum)
for _ in 0..<steps {
    let loss = lossFunction(model(x), y)
    sgdLosses.append(loss.item())
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
}

// MARK: - Against PyTorch

/// The blog network's entry of Tests/NNVizNNTests/Fixtures/tutorials.json (PyTorch's run of this script).
struct BlogReference: Decodable {
    let lossMarks: [Int]
    let autogradLossesAtMarks: [Double]
    let manualLossesAtMarks: [Double]
    let step0MaxAbsGradDifferenceManualVsAutograd: Double
}

struct Tutorials: Decodable {
    let blogNetwork: BlogReference
}

/// PyTorch's losses for the plain update `w -= 1e-5 · grad` (runs (a) and (b)), from the same weights; the
/// fixture's own runs both use the Nesterov update, so these were computed separately with torch 2.
let pytorchPlainUpdate = [1007.121826171875, 995.25390625, 984.8933715820312, 929.87451171875,
                          627.181884765625, 48.21046447753906]

let fixturePath = "Tests/NNVizNNTests/Fixtures/tutorials.json"
let reference: BlogReference?
do {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    reference = try decoder.decode(Tutorials.self, from: Data(contentsOf: URL(fileURLWithPath: fixturePath))).blogNetwork
} catch {
    print("(no PyTorch reference: cannot read \(fixturePath) from \(FileManager.default.currentDirectoryPath): \(error))")
    reference = nil
}

/// Relative difference, in percent.
func percent(_ value: Double, _ expected: Double) -> Double {
    100 * abs(value - expected) / abs(expected)
}

print("step  hand-written  autograd naive  PyTorch naive   SGD Nesterov  PyTorch Nesterov")
var worstPlain = 0.0, worstNesterov = 0.0
for (i, step) in marks.enumerated() {
    var line = String(format: "%4d  %12.6g  %14.6g  %13.6g  %13.6g", step, handLosses[step], autogradLosses[step],
                      pytorchPlainUpdate[i], sgdLosses[step])
    worstPlain = max(worstPlain, percent(handLosses[step], pytorchPlainUpdate[i]),
                     percent(autogradLosses[step], pytorchPlainUpdate[i]))
    if let reference, let k = reference.lossMarks.firstIndex(of: step) {
        line += String(format: "  %16.6g", reference.autogradLossesAtMarks[k])
        worstNesterov = max(worstNesterov, percent(sgdLosses[step], reference.autogradLossesAtMarks[k]))
    }
    print(line)
}
print(String(format: "plain update: hand-written and autograd within %.3g %% of PyTorch at every mark", worstPlain))
if let reference {
    print(String(format: "SGD with Nesterov: within %.3g %% of PyTorch's autograd run at every mark", worstNesterov))
    let manualEqualsAutograd = reference.manualLossesAtMarks.indices.map {
        percent(reference.manualLossesAtMarks[$0], reference.autogradLossesAtMarks[$0])
    }.max() ?? 0
    print(String(format: "(PyTorch's own hand-written Nesterov run agrees with its autograd run to %.2g %%)",
                 manualEqualsAutograd))
}
print(String(format: "step-0 gradients, hand-written vs autograd: max |difference| %.3g, %.2g of the largest gradient %.4g",
             gradientDifference, gradientDifference / largestGradient, largestGradient)
      + (reference.map { String(format: " (PyTorch: %.3g)",
                                $0.step0MaxAbsGradDifferenceManualVsAutograd) } ?? ""))
let handVsAutograd = zip(handLosses, autogradLosses).map { percent($0, $1) }.max() ?? 0
print(String(format: "hand-written vs autograd losses over all %d steps: at most %.3g %% apart", steps, handVsAutograd))

// MARK: - The three curves

try FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
var figure = Figure(width: 8, height: 6, dpi: 150)
let epochs = Array(0..<steps)
figure.axes.plot(handLosses, x: epochs, label: "hand-written gradients")
figure.axes.plot(autogradLosses, x: epochs, label: "autograd, naive update", lineStyle: .dashed)
figure.axes.plot(sgdLosses, x: epochs, label: "SGD with Nesterov and momentum")
figure.axes.yscale = .log
figure.axes.xlabel("epochs")
figure.axes.ylabel("loss (log scale)")
figure.axes.title("100 → 1000 → 10 network: hand-written gradients vs autograd")
figure.axes.legend(.best)
try figure.save(to: "output/manual_vs_autograd_losses.png")
print("wrote output/manual_vs_autograd_losses.png")
