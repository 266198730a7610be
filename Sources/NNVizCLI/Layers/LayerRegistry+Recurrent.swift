import NNViz

extension LayerRegistry {
    /// `rnn`, `lstm` and `gru`, batch first, one or both directions, giving every step (`output: all`) or
    /// the last (`output: last`).
    static let recurrentLayers: [LayerEntry] = [
        recurrent("rnn", gates: 1, extra: [.optional("nonlinearity", .choice(["tanh", "relu"]), .text("tanh"))],
                  rule: { try RNN.outputShape(input: $0, inputSize: $1, hiddenSize: $2, batchFirst: true, bidirectional: $3) }) { a in
            RecurrentOutput(RNN(a.int("input_size"), a.int("hidden_size"), numLayers: a.int("num_layers"),
                                nonlinearity: a.text("nonlinearity") == "relu" ? .relu : .tanh, bias: a.bool("bias"),
                                batchFirst: true, bidirectional: a.bool("bidirectional")),
                            lastStep: a.text("output") == "last")
        },
        recurrent("lstm", gates: 4, extra: [],
                  rule: { try LSTM.outputShape(input: $0, inputSize: $1, hiddenSize: $2, batchFirst: true, bidirectional: $3) }) { a in
            RecurrentOutput(LSTM(a.int("input_size"), a.int("hidden_size"), numLayers: a.int("num_layers"),
                                 bias: a.bool("bias"), batchFirst: true, bidirectional: a.bool("bidirectional")),
                            lastStep: a.text("output") == "last")
        },
        recurrent("gru", gates: 3, extra: [],
                  rule: { try GRU.outputShape(input: $0, inputSize: $1, hiddenSize: $2, batchFirst: true, bidirectional: $3) }) { a in
            RecurrentOutput(GRU(a.int("input_size"), a.int("hidden_size"), numLayers: a.int("num_layers"),
                                bias: a.bool("bias"), batchFirst: true, bidirectional: a.bool("bidirectional")),
                            lastStep: a.text("output") == "last")
        },
    ]

    private static func recurrent(_ kind: String, gates: Int, extra: [ArgumentSchema],
                                  rule: @escaping @Sendable ([Int], Int, Int, Bool) throws -> [Int],
                                  make: @escaping @Sendable (LayerArguments) -> Module) -> LayerEntry {
        let arguments: [ArgumentSchema] = [
            .required("input_size", aliases: ["input"]), .required("hidden_size", aliases: ["hidden"]),
            .optional("num_layers", .positiveInt, .int(1), aliases: ["layers"]),
        ] + extra + [.optional("bias", .bool, .bool(true)), .optional("bidirectional", .bool, .bool(false)),
                     .optional("output", .choice(["last", "all"]), .text("last"))]
        return .layer(kind, arguments,
                      parameters: { a in
                          let h = a.int("hidden_size"), directions = a.bool("bidirectional") ? 2 : 1
                          let first = saturatingProduct(directions, gates, h, a.int("input_size") + h)
                          let later = saturatingProduct(a.int("num_layers") - 1, directions, gates, h, directions * h + h)
                          let biases = a.bool("bias") ? saturatingProduct(a.int("num_layers"), directions, 2, gates, h) : 0
                          return saturatingSum([first, later, biases])
                      },
                      shape: { input, a, _ in
                          let sequence = try rule(input, a.int("input_size"), a.int("hidden_size"), a.bool("bidirectional"))
                          guard a.text("output") == "last" else { return sequence }
                          return sequence.count == 3 ? [sequence[0], sequence[2]] : [sequence[1]]
                      },
                      build: make)
    }
}
