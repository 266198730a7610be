import NNViz

extension LayerRegistry {
    /// Layers that only rearrange their input: `flatten`.
    static let shapeLayers: [LayerEntry] = [
        .layer("flatten", [.optional("start_dim", .int, .int(1)), .optional("end_dim", .int, .int(-1))],
               shape: { input, a, _ in try Flatten.outputShape(input: input, startDim: a.int("start_dim"), endDim: a.int("end_dim")) },
               build: { a in Flatten(startDim: a.int("start_dim"), endDim: a.int("end_dim")) }),
    ]
}
