import NNViz

/// Every layer kind a model file can name, in one place: its arguments (PyTorch's names and the short
/// aliases), how to build its module, its output-shape rule and its parameter count. A new layer is one
/// entry in the family file it belongs to (`LayerRegistry+Convolution.swift`, …) plus its Module in NNVizNN.
///
/// ```swift
/// let linear = LayerRegistry.entries["linear"]!
/// // linear.arguments: in_features (in), out_features (out), bias
/// ```
enum LayerRegistry {
    /// Layer kinds by their snake_case name.
    static let entries: [String: LayerEntry] = Dictionary(
        uniqueKeysWithValues: (linearLayers + recurrentLayers + convolutionLayers + poolingLayers + normalizationLayers
            + dropoutLayers + activationLayers + shapeLayers + mergeLayers).map { ($0.kind, $0) })
}

/// What a shape rule sees besides the input shapes and the arguments.
struct ShapeContext {
    /// Whether the model runs in training mode (batch norm needs more than one value per channel).
    let training: Bool
    /// The model file's input when the layer reads it directly (an embedding checks its indices).
    let modelInput: ModelSpec.TensorSource?
}

/// One layer kind.
struct LayerEntry: Sendable {
    let kind: String
    let arguments: [ArgumentSchema]
    /// How many inputs it takes: one, except for merge layers.
    let inputCount: ClosedRange<Int>
    let build: @Sendable (LayerArguments) -> Module
    /// The output shape for the inputs' shapes, or the `TensorError` the module would throw.
    let outputShape: @Sendable ([[Int]], LayerArguments, ShapeContext) throws -> [Int]
    /// Learnable parameters, counted from the arguments alone.
    let parameterCount: @Sendable (LayerArguments) -> Int

    /// A one-input layer; without `shape` it keeps its input's shape.
    static func layer(_ kind: String, _ arguments: [ArgumentSchema] = [],
                      parameters: @escaping @Sendable (LayerArguments) -> Int = { _ in 0 },
                      shape: (@Sendable ([Int], LayerArguments, ShapeContext) throws -> [Int])? = nil,
                      build: @escaping @Sendable (LayerArguments) -> Module) -> LayerEntry {
        LayerEntry(kind: kind, arguments: arguments, inputCount: 1...1, build: build,
                   outputShape: { inputs, arguments, context in
                       try shape?(inputs[0], arguments, context) ?? inputs[0]
                   },
                   parameterCount: parameters)
    }
}

/// `a · b · …`, or `Int.max` when that overflows (a parameter count then fails the budget instead of trapping).
func saturatingProduct(_ factors: Int...) -> Int {
    factors.reduce(1) { total, factor in
        let (product, overflow) = total.multipliedReportingOverflow(by: factor)
        return overflow ? Int.max : product
    }
}

/// `a + b + …`, or `Int.max` when that overflows.
func saturatingSum(_ terms: [Int]) -> Int {
    terms.reduce(0) { total, term in
        let (sum, overflow) = total.addingReportingOverflow(term)
        return overflow ? Int.max : sum
    }
}
