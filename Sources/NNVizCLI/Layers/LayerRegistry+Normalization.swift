import NNViz

extension LayerRegistry {
    /// `batchnorm1d`, `batchnorm2d`, `layer_norm` and `group_norm`.
    static let normalizationLayers: [LayerEntry] = [
        batchNorm("batchnorm1d", rule: {
            try BatchNorm1d.outputShape(input: $0, numFeatures: $1, training: $2, affine: $3, trackRunningStats: $4)
        }) { a in
            BatchNorm1d(a.int("num_features"), eps: a.double("eps"), momentum: a.optionalDouble("momentum"),
                        affine: a.bool("affine"), bias: a.bool("bias"), trackRunningStats: a.bool("track_running_stats"))
        },
        batchNorm("batchnorm2d", rule: {
            try BatchNorm2d.outputShape(input: $0, numFeatures: $1, training: $2, affine: $3, trackRunningStats: $4)
        }) { a in
            BatchNorm2d(a.int("num_features"), eps: a.double("eps"), momentum: a.optionalDouble("momentum"),
                        affine: a.bool("affine"), bias: a.bool("bias"), trackRunningStats: a.bool("track_running_stats"))
        },
        .layer("layer_norm", [.required("normalized_shape", .sizeList), .optional("eps", .double, .double(1e-5)),
                              .optional("elementwise_affine", .bool, .bool(true)), .optional("bias", .bool, .bool(true))],
               parameters: { a in
                   guard a.bool("elementwise_affine") else { return 0 }
                   return a.ints("normalized_shape").reduce(a.bool("bias") ? 2 : 1) { saturatingProduct($0, $1) }
               },
               shape: { input, a, _ in try LayerNorm.outputShape(input: input, normalizedShape: a.ints("normalized_shape")) }) { a in
            LayerNorm(a.ints("normalized_shape"), eps: a.double("eps"), elementwiseAffine: a.bool("elementwise_affine"),
                      bias: a.bool("bias"))
        },
        .layer("group_norm", [.required("num_groups"), .required("num_channels"), .optional("eps", .double, .double(1e-5)),
                              .optional("affine", .bool, .bool(true)), .optional("bias", .bool, .bool(true))],
               parameters: { a in a.bool("affine") ? saturatingProduct(a.bool("bias") ? 2 : 1, a.int("num_channels")) : 0 },
               shape: { input, a, _ in
                   try GroupNorm.outputShape(input: input, numGroups: a.int("num_groups"), numChannels: a.int("num_channels"),
                                             affine: a.bool("affine"))
               },
               build: { a in
                   GroupNorm(a.int("num_groups"), a.int("num_channels"), eps: a.double("eps"), affine: a.bool("affine"),
                             bias: a.bool("bias"))
               }),
    ]

    private static func batchNorm(_ kind: String, rule: @escaping @Sendable ([Int], Int, Bool, Bool, Bool) throws -> [Int],
                                  build: @escaping @Sendable (LayerArguments) -> Module) -> LayerEntry {
        .layer(kind, [.required("num_features", aliases: ["features"]), .optional("eps", .double, .double(1e-5)),
                      .optional("momentum", .doubleOrNone, .double(0.1)), .optional("affine", .bool, .bool(true)),
                      .optional("track_running_stats", .bool, .bool(true)), .optional("bias", .bool, .bool(true))],
               parameters: { a in a.bool("affine") ? (a.bool("bias") ? 2 : 1) * a.int("num_features") : 0 },
               shape: { input, a, context in
                   try rule(input, a.int("num_features"), context.training, a.bool("affine"), a.bool("track_running_stats"))
               },
               build: build)
    }
}
