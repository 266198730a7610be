import NNViz

extension LayerRegistry {
    /// `dropout`.
    static let dropoutLayers: [LayerEntry] = [
        .layer("dropout", [.optional("p", .probability, .double(0.5))], build: { a in Dropout(a.double("p")) }),
    ]
}
