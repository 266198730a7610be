import NNViz

extension LayerRegistry {
    /// `dropout` and `dropout2d`.
    static let dropoutLayers: [LayerEntry] = [
        .layer("dropout", [.optional("p", .probability, .double(0.5))], build: { a in Dropout(a.double("p")) }),
        .layer("dropout2d", [.optional("p", .probability, .double(0.5))],
               shape: { input, _, _ in try Dropout2d.outputShape(input: input) },
               build: { a in Dropout2d(a.double("p")) }),
    ]
}
