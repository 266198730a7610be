import NNViz

extension LayerRegistry {
    /// `conv2d` (PyTorch's `groups` is not supported by ``Conv2d`` yet).
    static let convolutionLayers: [LayerEntry] = [
        .layer("conv2d", [.required("in_channels", aliases: ["in"]), .required("out_channels", aliases: ["out"]),
                          .required("kernel_size", .size, aliases: ["kernel"]), .optional("stride", .size, .size(1)),
                          .optional("padding", .nonNegativeSize, .size(0)), .optional("dilation", .size, .size(1)),
                          .optional("bias", .bool, .bool(true))],
               parameters: { a in
                   let k = a.size("kernel_size")
                   return saturatingSum([saturatingProduct(a.int("out_channels"), a.int("in_channels"), k.height, k.width),
                                         a.bool("bias") ? a.int("out_channels") : 0])
               },
               shape: { input, a, _ in
                   try Conv2d.outputShape(input: input, inChannels: a.int("in_channels"), outChannels: a.int("out_channels"),
                                          kernelSize: a.size("kernel_size"), stride: a.size("stride"),
                                          padding: a.size("padding"), dilation: a.size("dilation"))
               },
               build: { a in
                   Conv2d(a.int("in_channels"), a.int("out_channels"), kernelSize: a.size("kernel_size"), stride: a.size("stride"),
                          padding: a.size("padding"), dilation: a.size("dilation"), bias: a.bool("bias"))
               }),
    ]
}
