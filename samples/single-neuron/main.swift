// The single tanh neuron tutorial in Swift: a Module with one Linear(2, 1) layer and tanh, weights set by
// hand to (0.6, -0.2) and bias 0.8, its graph as torchviz draws it, autograd of y = x² at 1, the MSE loss
// against 1 with its gradients, and the loss graph with saved tensors and attributes after backward.
//
//   swift run -c release single-neuron     (writes output/single_neuron_graph.png, output/single_neuron_loss_attrs.png)

import Foundation
import NNViz

HeapTuning.keepTrainingMemory()  // training steps reuse their buffers instead of faulting them in again

/// Prints a section header.
func section(_ title: String) {
    print("\n== \(title) ==")
}

// MARK: - The model: y = tanh(x·Wᵀ + b)

final class NeuralNetwork: Module {
    let layer1 = Linear(2, 1)

    override func forward(_ x: Tensor) -> Tensor {
        tanh(layer1(x))
    }
}

section("Model")
let model = NeuralNetwork()
model.layer1.weight = Parameter([[0.6, -0.2]])
model.layer1.bias = Parameter([0.8])
print(model)
for (name, parameter) in model.namedParameters() {
    print(name, "Parameter containing:\n\(parameter)")
}

// MARK: - Forward and its graph

section("Forward")
let x = Tensor([[1.0, 2.0]])
let yPred = model(x)
print("yPred = tanh(0.6·1 - 0.2·2 + 0.8) = tanh(1) =", yPred, "   (PyTorch: 0.7616)")

try FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
let graph = makeDot(yPred, params: model.namedParameters())
try graph.render(to: "output/single_neuron_graph.png", options: RenderOptions(dpi: 150))
print("wrote output/single_neuron_graph.png (blue: parameters, grey: backward functions, green: output)")

// MARK: - Autograd on its own: y = x² at x = 1

section("Autograd: y = x² at x = 1")
let a = Tensor(1.0, requiresGrad: true)
let b = a.pow(2)
b.backward()
print("x =", a)
print("y = x² =", b)
print("dy/dx = 2x =", a.grad!, "   (PyTorch: 2.)")

// MARK: - Loss and backward

section("Loss and gradients")
let target = Tensor([[1.0]])
let loss = MSELoss()(yPred, target)
print("loss = (0.7616 - 1)² =", loss, "   (PyTorch: 0.0568)")
loss.backward()
for (name, parameter) in model.namedParameters() {
    print("\(name).grad =", parameter.grad!)
}
print("(PyTorch: weight [[-0.2002, -0.4005]], bias [-0.2002]; dL/db = 2(y - 1)(1 - y²))")

// MARK: - The loss graph after backward, with saved tensors and attributes

section("Loss graph with saved tensors and attributes")
let lossGraph = makeDot(loss, params: model.namedParameters(), showAttrs: true, showSaved: true)
try lossGraph.render(to: "output/single_neuron_loss_attrs.png", options: RenderOptions(dpi: 150))
print("wrote output/single_neuron_loss_attrs.png (saved tensors orange; torchviz cannot draw them once backward has freed them)")
