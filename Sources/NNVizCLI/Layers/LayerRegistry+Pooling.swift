import NNViz

extension LayerRegistry {
    /// `maxpool2d`, `avgpool2d`, `adaptive_avg_pool2d` and `upsample`.
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
        .layer("avgpool2d", [.required("kernel_size", .size, aliases: ["kernel"]), .optional("stride", .sizeOrNone, .none),
                             .optional("padding", .nonNegativeSize, .size(0)), .optional("ceil_mode", .bool, .bool(false)),
                             .optional("count_include_pad", .bool, .bool(true))],
               shape: { input, a, _ in
                   try AvgPool2d.outputShape(input: input, kernelSize: a.size("kernel_size"), stride: a.optionalSize("stride"),
                                             padding: a.size("padding"), ceilMode: a.bool("ceil_mode"))
               },
               build: { a in
                   AvgPool2d(a.size("kernel_size"), stride: a.optionalSize("stride"), padding: a.size("padding"),
                             ceilMode: a.bool("ceil_mode"), countIncludePad: a.bool("count_include_pad"))
               }),
        .layer("adaptive_avg_pool2d", [.required("output_size", .size)],
               shape: { input, a, _ in try AdaptiveAvgPool2d.outputShape(input: input, outputSize: a.size("output_size")) },
               build: { a in AdaptiveAvgPool2d(a.size("output_size")) }),
        .layer("upsample", [.required("scale_factor", .double), .optional("mode", .choice(["nearest"]), .text("nearest"))],
               shape: { input, a, _ in try Upsample.outputShape(input: input, scaleFactor: a.double("scale_factor")) },
               build: { a in Upsample(scaleFactor: a.double("scale_factor")) }),
    ]
}
