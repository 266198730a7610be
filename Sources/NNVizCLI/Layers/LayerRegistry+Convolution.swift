import NNViz

extension LayerRegistry {
    /// `conv1d`, `conv2d` and `conv_transpose2d`.
    static let convolutionLayers: [LayerEntry] = [
        .layer("conv1d", [.required("in_channels", aliases: ["in"]), .required("out_channels", aliases: ["out"]),
                          .required("kernel_size", aliases: ["kernel"]), .optional("stride", .positiveInt, .int(1)),
                          .optional("padding", .nonNegativeInt, .int(0)), .optional("dilation", .positiveInt, .int(1)),
                          .optional("groups", .positiveInt, .int(1)), .optional("bias", .bool, .bool(true))],
               parameters: { a in
                   saturatingSum([saturatingProduct(a.int("out_channels"), a.int("in_channels") / a.int("groups"), a.int("kernel_size")),
                                  a.bool("bias") ? a.int("out_channels") : 0])
               },
               shape: { input, a, _ in
                   try Conv1d.outputShape(input: input, inChannels: a.int("in_channels"), outChannels: a.int("out_channels"),
                                          kernelSize: a.int("kernel_size"), stride: a.int("stride"), padding: a.int("padding"),
                                          dilation: a.int("dilation"), groups: a.int("groups"))
               },
               build: { a in
                   Conv1d(a.int("in_channels"), a.int("out_channels"), kernelSize: a.int("kernel_size"), stride: a.int("stride"),
                          padding: a.int("padding"), dilation: a.int("dilation"), groups: a.int("groups"), bias: a.bool("bias"))
               }),
        .layer("conv2d", [.required("in_channels", aliases: ["in"]), .required("out_channels", aliases: ["out"]),
                          .required("kernel_size", .size, aliases: ["kernel"]), .optional("stride", .size, .size(1)),
                          .optional("padding", .nonNegativeSize, .size(0)), .optional("dilation", .size, .size(1)),
                          .optional("groups", .positiveInt, .int(1)), .optional("bias", .bool, .bool(true))],
               parameters: { a in
                   let k = a.size("kernel_size")
                   return saturatingSum([saturatingProduct(a.int("out_channels"), a.int("in_channels") / a.int("groups"), k.height, k.width),
                                         a.bool("bias") ? a.int("out_channels") : 0])
               },
               shape: { input, a, _ in
                   try Conv2d.outputShape(input: input, inChannels: a.int("in_channels"), outChannels: a.int("out_channels"),
                                          kernelSize: a.size("kernel_size"), stride: a.size("stride"),
                                          padding: a.size("padding"), dilation: a.size("dilation"), groups: a.int("groups"))
               },
               build: { a in
                   Conv2d(a.int("in_channels"), a.int("out_channels"), kernelSize: a.size("kernel_size"), stride: a.size("stride"),
                          padding: a.size("padding"), dilation: a.size("dilation"), groups: a.int("groups"), bias: a.bool("bias"))
               }),
        .layer("conv_transpose2d", [.required("in_channels", aliases: ["in"]), .required("out_channels", aliases: ["out"]),
                                    .required("kernel_size", .size, aliases: ["kernel"]), .optional("stride", .size, .size(1)),
                                    .optional("padding", .nonNegativeSize, .size(0)),
                                    .optional("output_padding", .nonNegativeSize, .size(0)),
                                    .optional("groups", .positiveInt, .int(1)), .optional("bias", .bool, .bool(true)),
                                    .optional("dilation", .size, .size(1))],
               parameters: { a in
                   let k = a.size("kernel_size")
                   return saturatingSum([saturatingProduct(a.int("in_channels"), a.int("out_channels") / a.int("groups"), k.height, k.width),
                                         a.bool("bias") ? a.int("out_channels") : 0])
               },
               shape: { input, a, _ in
                   try ConvTranspose2d.outputShape(input: input, inChannels: a.int("in_channels"), outChannels: a.int("out_channels"),
                                                   kernelSize: a.size("kernel_size"), stride: a.size("stride"),
                                                   padding: a.size("padding"), outputPadding: a.size("output_padding"),
                                                   groups: a.int("groups"), dilation: a.size("dilation"))
               },
               build: { a in
                   ConvTranspose2d(a.int("in_channels"), a.int("out_channels"), kernelSize: a.size("kernel_size"),
                                   stride: a.size("stride"), padding: a.size("padding"), outputPadding: a.size("output_padding"),
                                   groups: a.int("groups"), bias: a.bool("bias"), dilation: a.size("dilation"))
               }),
    ]
}
