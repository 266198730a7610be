// The "neural network flow" tutorial in Swift: with seed 1, a 3→2→1 network (Linear, ReLU, Linear) on one
// input row, its MSE loss against 1, every gradient after backward, the int64-input mistake Linear reports,
// and the graph of the loss.
//
//   swift run -c release neural-network-flow        (writes output/neural_network_flow_graph.png)

import Foundation
import NNViz

HeapTuning.keepTrainingMemory()  // training steps reuse their buffers instead of faulting them in again

/// Prints a parameter as PyTorch prints `print(name, param)`.
func show(_ name: String, _ parameter: Tensor) {
    print(name, "Parameter containing:\n\(parameter)")
}

/// Prints a section header.
func section(_ title: String) {
    print("\n== \(title) ==")
}

// MARK: - The network, initialised from seed 1

section("Parameters (torch.manual_seed(1))")
manualSeed(1)
let fc1 = Linear(3, 2)
let fc2 = Linear(2, 1)
print(fc1)
show("fc1.weight", fc1.weight!)
show("fc1.bias", fc1.bias!)
print(fc2)
show("fc2.weight", fc2.weight!)
show("fc2.bias", fc2.bias!)

// MARK: - Forward: u = fc1(x), z = relu(u), y = fc2(z)

section("Forward")
let x = Tensor([[1.0, 2.0, 3.0]])
let u = fc1(x)
let z = relu(u)
let y = fc2(z)
print("x =", x)
print("u = fc1(x) =", u)
print("z = relu(u) =", z)
print("y = fc2(z) =", y, "   (PyTorch: 0.1514)")

// MARK: - Loss and backward

section("Loss and gradients")
let target = Tensor([[1.0]])
let loss = MSELoss()(y, target)
print("loss = MSELoss()(y, [[1]]) =", loss, "   (PyTorch: 0.7201)")
loss.backward()
let namedParameters = [("fc1", fc1), ("fc2", fc2)].flatMap { prefix, layer in
    layer.namedParameters().map { (name: "\(prefix).\($0.name)", tensor: $0.tensor) }
}
for (name, parameter) in namedParameters {
    print("\(name).grad =", parameter.grad!)
}
print("(the ReLU cut u[0] = -0.6667 off, so fc1's first row and fc2.weight[0] get no gradient)")

// MARK: - An int64 input meets Linear

section("An integer input")
let xLong = Tensor([[1, 2, 3]])
print("xLong =", xLong, " dtype:", xLong.dtype)
do {
    try fc1.check(xLong)
    print("fc1 accepts xLong")
} catch {
    print("fc1(xLong) fails with: \(error)")
}
print("fc1(xLong.float()) =", fc1(xLong.float()))

// MARK: - The graph of the loss

section("Graph")
try FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
let graph = makeDot(loss, params: namedParameters)
try graph.render(to: "output/neural_network_flow_graph.png", options: RenderOptions(dpi: 150))
print("wrote output/neural_network_flow_graph.png (drawn after backward: parameters tinted by gradient norm)")
