import NNViz

extension LayerRegistry {
    /// `maxpool2d`.
    static let poolingLayers: [LayerEntry] = [
        .layer("maxpool2d", [.required("kernel_size", .size, aliases: ["kernel"]), .optional("stride", .sizeOrNone, .none),
                             .optional("padding", .nonNegativeSize, .size(0)), .optional("dilation", .size, .size(1)),
                             .optional("ceil_mode", .bool, .bool(false))],
               shape: { input, a, _ in
                   try MaxPool2d.outputShape(input: input, kernelSize: a.size("kernel_size"), stride: a.optionalSize("stride"),
                                             padding: a.size("padding"), dilation: a.size("dilation"), ceilMode: a.bool("ceil_mode"))
               },
               build: { a in
                   MaxPool2d(a.size("kernel_size"), stride: a.optionalSize("stride"), padding: a.size("padding"),
                             dilation: a.size("dilation"), ceilMode: a.bool("ceil_mode"))
               }),
    ]
}
