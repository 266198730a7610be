// The PyTorch cheat sheet as a tour in Swift: creating tensors, arithmetic and broadcasting, shapes and
// views, indexing and masked assignment, a shuffled DataLoader, autograd, train/eval modes, a small CNN
// with its graph, and every optimizer on one regression problem with the loss curves on one chart.
//
//   swift run -c release tensor-basics     (writes output/tensor_basics_cnn_graph.png, output/tensor_basics_optimizers.png)

import Foundation
import NNViz

HeapTuning.keepTrainingMemory()  // training steps reuse their buffers instead of faulting them in again

/// Prints a section header.
func section(_ title: String) {
    print("\n== \(title) ==")
}

/// A shape as PyTorch prints it: `torch.Size([2, 3])`.
func size(_ tensor: Tensor) -> String {
    "torch.Size([\(tensor.shape.map(String.init).joined(separator: ", "))])"
}

// MARK: - Creating tensors

section("Creating tensors")
let ints = Tensor([[1, 2, 3], [4, 5, 6]])
let floats = Tensor([[1.0, 2.0], [3.0, 4.0]])
print("Tensor([[1, 2, 3], [4, 5, 6]]) =", ints, " dtype:", ints.dtype, " shape:", size(ints))
print("Tensor([[1.0, 2.0], [3.0, 4.0]]) =", floats, " dtype:", floats.dtype)
print("zeros([2, 3]) =", Tensor.zeros([2, 3]))
print("ones([2, 3]) =", Tensor.ones([2, 3]))
print("full([2, 2], 7) =", Tensor.full([2, 2], 7))
print("arange(5) =", Tensor.arange(5))
print("arange(0, 10, 2) =", Tensor.arange(0, 10, 2))
print("arange(0, 1, 0.25) =", Tensor.arange(0, 1, 0.25))
print("linspace(0, 1, steps: 5) =", Tensor.linspace(0, 1, steps: 5))
manualSeed(0)
print("manualSeed(0)")
print("rand([2, 3]) =", Tensor.rand([2, 3]))
print("randn([2, 3]) =", Tensor.randn([2, 3]))
print("zerosLike(floats) =", Tensor.zerosLike(floats))
print("onesLike(floats) =", Tensor.onesLike(floats))
print("randLike(floats) =", Tensor.randLike(floats))
print("randnLike(floats) =", Tensor.randnLike(floats))

// MARK: - Arithmetic and broadcasting

section("Arithmetic and broadcasting")
let a = Tensor([[1.0, 2.0], [3.0, 4.0]])
let b = Tensor([[5.0, 6.0], [7.0, 8.0]])
print("a + b =", a + b)
print("a * b =", a * b)
print("a.matmul(b) =", a.matmul(b))
print("a / 2 =", a / 2)
print("a.pow(2) =", a.pow(2))
print("a.exp() =", a.exp())
print("a.sum() =", a.sum(), " a.mean(dim: 0) =", a.mean(dim: 0), " a.max() =", a.max(), " a.argmax() =", a.argmax())
let column = Tensor([[1.0], [2.0], [3.0]])
let row = Tensor([10.0, 20.0])
print("column (3, 1) + row (2) broadcasts to (3, 2):", column + row)

// MARK: - Shapes and views

section("Shapes and views")
let x12 = Tensor.arange(12)
print("x = arange(12) =", x12)
print("x.view([3, 4]) =", x12.view([3, 4]))
print("x.reshape([2, -1]) =", x12.reshape([2, -1]))
print("x.view([3, 4]).t() =", x12.view([3, 4]).t())
let cube = Tensor.zeros([2, 3, 4])
print("zeros([2, 3, 4]).permute([2, 0, 1]) shape:", size(cube.permute([2, 0, 1])))
let padded = Tensor.zeros([1, 3, 1])
print("zeros([1, 3, 1]).squeeze() shape:", size(padded.squeeze()), " .squeeze(0):", size(padded.squeeze(0)))
print("arange(3).unsqueeze(0) shape:", size(Tensor.arange(3).unsqueeze(0)), " .unsqueeze(1):", size(Tensor.arange(3).unsqueeze(1)))
print("cat([a, b], dim: 0) =", Tensor.cat([a, b], dim: 0))
print("cat([a, b], dim: 1) =", Tensor.cat([a, b], dim: 1))
print("stack([a, b]) shape:", size(Tensor.stack([a, b])), " stack([a, b], dim: 2) shape:", size(Tensor.stack([a, b], dim: 2)))

// MARK: - Indexing, slicing and masks

section("Indexing, slicing and masks")
let x = Tensor([[100.0, 200.0, 300.0], [400.0, 500.0, 600.0], [700.0, 800.0, 900.0]])
print("x =", x)
print("x[0] =", x[0])
print("x[0, 2] =", x[0, 2])
print("x[TensorIndex.all, 0] =", x[TensorIndex.all, 0])
print("x[1..<3, 0] =", x[1..<3, 0])
print("x[mask: x > 300] =", x[mask: x > 300])
x[mask: x > 300] = Tensor(2.0)
print("after x[mask: x > 300] = Tensor(2.0):", x)

// MARK: - Datasets and loaders

section("DataLoader over a TensorDataset (batchSize 3, shuffle, manualSeed(0))")
let features = Tensor.arange(0, 16, 1, dtype: .float32).view([8, 2])
let labels = Tensor.arange(8)
let loader = DataLoader(TensorDataset(features, labels), batchSize: 3, shuffle: true)
manualSeed(0)
for epoch in 1...2 {
    for (i, (xb, yb)) in loader.enumerated() {
        print("epoch \(epoch) batch \(i): y =", yb, " x shape:", size(xb))
    }
}

// MARK: - Autograd

section("Autograd")
let t = Tensor(2.0, requiresGrad: true)
let cubic = 3 * t.pow(2)
cubic.backward()
print("y = 3x² at x = 2:", cubic, " dy/dx = 6x =", t.grad!)
let angle = Tensor(Double.pi, requiresGrad: true)
let sine = sin(angle)
sine.backward()
print("y = sin(x) at x = π:", sine, " dy/dx = cos(π) =", angle.grad!)

// MARK: - Training and evaluation modes

section("train() and eval(): Dropout")
manualSeed(0)
let dropout = Dropout(0.5)
let ones = Tensor.ones([2, 6])
print(dropout)
print("training (half zeroed, the rest scaled by 2):", dropout(ones))
dropout.eval()
print("eval (unchanged):", dropout(ones))

section("train() and eval(): BatchNorm1d")
let norm = BatchNorm1d(3)
let batch = Tensor([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0], [5.0, 6.0, 10.0]])
print(norm)
print("training (batch statistics):", norm(batch))
print("running_mean =", norm.runningMean!, " running_var =", norm.runningVar!)
norm.eval()
print("eval (running statistics):", norm(batch))

// MARK: - A small CNN

section("A small CNN: Conv2d → BatchNorm2d → ReLU → MaxPool2d → Flatten → Linear")
manualSeed(0)
let cnn = Sequential(Conv2d(1, 4, kernelSize: 3, padding: 1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Flatten(), Linear(4 * 6 * 6, 3))
let images = Tensor.randn([8, 1, 12, 12])
let classes = Tensor([0, 1, 2, 0, 1, 2, 0, 1])
print(cnn)
print("parameters:", cnn.parameterCount)
let criterion = CrossEntropyLoss()
let cnnOptimizer = SGD(cnn.parameters(), lr: 0.1)
let logits = cnn(images)
let cnnLoss = criterion(logits, classes)
print("images", size(images), "→ logits", size(logits), " cross-entropy =", cnnLoss)
cnnLoss.backward()
try FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
let cnnGraph = makeDot(cnnLoss, params: cnn.namedParameters()).labellingGradientNorms()
try cnnGraph.render(to: "output/tensor_basics_cnn_graph.png", options: RenderOptions(dpi: 150, legend: true))
print("wrote output/tensor_basics_cnn_graph.png (parameters labelled with their gradient norms)")
cnnOptimizer.step()
for step in 2...20 {
    cnnOptimizer.zeroGrad()
    let loss = criterion(cnn(images), classes)
    loss.backward()
    cnnOptimizer.step()
    if step % 5 == 0 { print(String(format: "SGD step %2d  cross-entropy %.4f", step, loss.item())) }
}
let predicted = noGrad { cnn.eval()(images).argmax(dim: 1) }
print("eval-mode predictions:", predicted, " labels:", classes)

// MARK: - Every optimizer on one regression problem

section("Optimizers on y = x·[2, -3, 0.5] + 1 + noise (100 full-batch steps, same initial weights)")
manualSeed(0)
let inputs = Tensor.randn([100, 3])
let targets = inputs.matmul(Tensor([[2.0], [-3.0], [0.5]])) + 1 + 0.1 * Tensor.randn([100, 1])
let steps = 100
let optimizers: [(name: String, make: ([Tensor]) -> Optimizer)] = [
    ("SGD lr=0.05", { SGD($0, lr: 0.05) }),
    ("SGD lr=0.01 momentum=0.9 nesterov", { SGD($0, lr: 0.01, momentum: 0.9, nesterov: true) }),
    ("Adam lr=0.1", { Adam($0, lr: 0.1) }),
    ("AdamW lr=0.1", { AdamW($0, lr: 0.1) }),
    ("RMSprop lr=0.01", { RMSprop($0, lr: 0.01) }),
    ("Adagrad lr=0.5", { Adagrad($0, lr: 0.5) }),
    ("Adadelta lr=1.0", { Adadelta($0, lr: 1.0) }),
]
var curves: [(name: String, losses: [Double])] = []
for (name, make) in optimizers {
    let model = withManualSeed(1) { Linear(3, 1) }
    let optimizer = make(model.parameters())
    var losses: [Double] = []
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let loss = mseLoss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    }
    curves.append((name, losses))
    let padded = name.padding(toLength: 34, withPad: " ", startingAt: 0)
    print(padded + String(format: " step 1 %8.4f   step 50 %8.4f   step 100 %8.4f", losses[0], losses[49], losses[99]))
}

var figure = Figure(width: 8, height: 6, dpi: 150)
for (name, losses) in curves {
    figure.axes.plot(losses, x: Array(1...steps), label: name)
}
figure.axes.yscale = .log
figure.axes.xlabel("step")
figure.axes.ylabel("MSE loss (log scale)")
figure.axes.title("One regression problem, seven optimizers")
figure.axes.grid()
figure.axes.legend(.best)
try figure.save(to: "output/tensor_basics_optimizers.png")
print("wrote output/tensor_basics_optimizers.png")
