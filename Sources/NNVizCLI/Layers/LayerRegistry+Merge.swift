import NNViz

extension LayerRegistry {
    /// Layers that combine two or more earlier layers named by `from:`: `add`, `mul`, `cat`.
    static let mergeLayers: [LayerEntry] = [
        LayerEntry(kind: "add", arguments: [], inputCount: 2...Int.max, build: { _ in Add() },
                   outputShape: { inputs, _, _ in try Add.outputShape(inputs: inputs) }, parameterCount: { _ in 0 }),
        LayerEntry(kind: "mul", arguments: [], inputCount: 2...Int.max, build: { _ in Mul() },
                   outputShape: { inputs, _, _ in try Mul.outputShape(inputs: inputs) }, parameterCount: { _ in 0 }),
        LayerEntry(kind: "cat", arguments: [.optional("dim", .int, .int(0))], inputCount: 2...Int.max,
                   build: { a in Cat(dim: a.int("dim")) },
                   outputShape: { inputs, a, _ in try Cat.outputShape(inputs: inputs, dim: a.int("dim")) },
                   parameterCount: { _ in 0 }),
    ]
}
