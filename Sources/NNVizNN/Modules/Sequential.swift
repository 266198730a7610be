import NNVizCore

/// Runs modules one after another, like `nn.Sequential`; children are named "0", "1", … unless named.
///
/// ```swift
/// let model = Sequential(Linear(3, 2), ReLU(), Linear(2, 1))
/// print(model.namedParameters().map(\.name))   // ["0.weight", "0.bias", "2.weight", "2.bias"]
/// let named = Sequential(named: [("fc1", Linear(3, 2)), ("act", ReLU()), ("fc2", Linear(2, 1))])
/// ```
public final class Sequential: Module {
    public let layers: [(name: String, module: Module)]

    public init(_ modules: Module...) {
        layers = modules.enumerated().map { ("\($0.offset)", $0.element) }
        super.init()
    }

    public init(_ modules: [Module]) {
        layers = modules.enumerated().map { ("\($0.offset)", $0.element) }
        super.init()
    }

    /// Layers with explicit names, as an `OrderedDict` gives them.
    public init(named layers: [(String, Module)]) {
        self.layers = layers.map { (name: $0.0, module: $0.1) }
        super.init()
    }

    public override func namedChildren() -> [(name: String, module: Module)] { layers }

    public override func forward(_ input: Tensor) -> Tensor {
        var x = input
        for (_, layer) in layers { x = layer(x) }
        return x
    }

    /// Checks each layer on the shape the previous one produces (run without recording a graph).
    public override func check(_ input: Tensor) throws {
        var x = input
        for (_, layer) in layers {
            try layer.check(x)
            x = noGrad { layer.forward(x) }
        }
    }

    public subscript(index: Int) -> Module { layers[index].module }
}
