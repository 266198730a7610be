import NNViz

extension LayerRegistry {
    /// `multihead_attention` (self-attention of the layer's input, batch first by default) and
    /// `transformer_encoder_layer`.
    static let attentionLayers: [LayerEntry] = [
        .layer("multihead_attention",
               [.required("embed_dim"), .required("num_heads"), .optional("dropout", .probability, .double(0)),
                .optional("bias", .bool, .bool(true)), .optional("batch_first", .bool, .bool(true))],
               parameters: { a in attentionParameters(a.int("embed_dim"), bias: a.bool("bias")) },
               shape: { input, a, _ in
                   try MultiheadAttention.outputShape(input: input, embedDim: a.int("embed_dim"), numHeads: a.int("num_heads"))
               }) { a in
            MultiheadAttention(a.int("embed_dim"), a.int("num_heads"), dropout: a.double("dropout"), bias: a.bool("bias"),
                               batchFirst: a.bool("batch_first"))
        },
        .layer("transformer_encoder_layer",
               [.required("d_model"), .required("nhead"), .optional("dim_feedforward", .positiveInt, .int(2048)),
                .optional("dropout", .probability, .double(0.1)), .optional("activation", .choice(["relu", "gelu"]), .text("relu")),
                .optional("layer_norm_eps", .double, .double(1e-5)), .optional("norm_first", .bool, .bool(false)),
                .optional("batch_first", .bool, .bool(true)), .optional("bias", .bool, .bool(true))],
               parameters: { a in
                   let d = a.int("d_model"), f = a.int("dim_feedforward"), bias = a.bool("bias")
                   return saturatingSum([attentionParameters(d, bias: bias),
                                         saturatingProduct(2, d, f), bias ? saturatingSum([f, d]) : 0,  // linear1, linear2
                                         saturatingProduct(bias ? 4 : 2, d)])                            // norm1, norm2
               },
               shape: { input, a, _ in
                   try TransformerEncoderLayer.outputShape(input: input, dModel: a.int("d_model"), nhead: a.int("nhead"))
               }) { a in
            TransformerEncoderLayer(a.int("d_model"), a.int("nhead"), dimFeedforward: a.int("dim_feedforward"),
                                    dropout: a.double("dropout"),
                                    activation: TransformerEncoderLayer.Activation(rawValue: a.text("activation"))!,
                                    layerNormEps: a.double("layer_norm_eps"), normFirst: a.bool("norm_first"),
                                    batchFirst: a.bool("batch_first"), bias: a.bool("bias"))
        },
    ]

    /// `in_proj_weight` (3E × E), `out_proj.weight` (E × E) and, with bias, `in_proj_bias` and `out_proj.bias`.
    private static func attentionParameters(_ embed: Int, bias: Bool) -> Int {
        saturatingSum([saturatingProduct(4, embed, embed), bias ? saturatingProduct(4, embed) : 0])
    }
}
