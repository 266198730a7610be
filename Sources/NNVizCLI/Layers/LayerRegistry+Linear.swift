import NNViz

extension LayerRegistry {
    /// `linear` and `embedding`.
    static let linearLayers: [LayerEntry] = [
        .layer("linear", [.required("in_features", aliases: ["in"]), .required("out_features", aliases: ["out"]),
                          .optional("bias", .bool, .bool(true))],
               parameters: { a in
                   saturatingSum([saturatingProduct(a.int("in_features"), a.int("out_features")), a.bool("bias") ? a.int("out_features") : 0])
               },
               shape: { input, a, _ in
                   try Linear.outputShape(input: input, inFeatures: a.int("in_features"), outFeatures: a.int("out_features"))
               },
               build: { a in Linear(a.int("in_features"), a.int("out_features"), bias: a.bool("bias")) }),
        .layer("embedding", [.required("num_embeddings", aliases: ["num"]), .required("embedding_dim", aliases: ["dim"]),
                             .optional("padding_idx", .intOrNone, .none)],
               parameters: { a in saturatingProduct(a.int("num_embeddings"), a.int("embedding_dim")) },
               shape: { input, a, context in
                   if let row = a.optionalInt("padding_idx"), row >= a.int("num_embeddings") || row < -a.int("num_embeddings") {
                       throw TensorError("Padding_idx must be within num_embeddings")
                   }
                   // The indices are data: only the model's own literal input can be checked before running.
                   guard case .literal(_, let values, let integral)? = context.modelInput, integral else {
                       throw TensorError("an embedding needs whole-number indices as the model's input (an int literal such as [[1, 4, 2]])")
                   }
                   if let bad = values.first(where: { $0 < 0 || Int($0) >= a.int("num_embeddings") }) {
                       throw TensorError("index \(Int(bad)) is out of range for \(a.int("num_embeddings")) embeddings")
                   }
                   return try Embedding.outputShape(input: input, numEmbeddings: a.int("num_embeddings"),
                                                    embeddingDim: a.int("embedding_dim"))
               },
               build: { a in Embedding(a.int("num_embeddings"), a.int("embedding_dim"), paddingIdx: a.optionalInt("padding_idx")) }),
    ]
}
