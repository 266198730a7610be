import NNViz

extension LayerRegistry {
    /// Layers that only rearrange their input: `flatten`, `reshape`, `permute`, `transpose`, `identity`.
    static let shapeLayers: [LayerEntry] = [
        .layer("flatten", [.optional("start_dim", .int, .int(1)), .optional("end_dim", .int, .int(-1))],
               shape: { input, a, _ in try Flatten.outputShape(input: input, startDim: a.int("start_dim"), endDim: a.int("end_dim")) },
               build: { a in Flatten(startDim: a.int("start_dim"), endDim: a.int("end_dim")) }),
        .layer("reshape", [.required("shape", .intList)],
               shape: { input, a, _ in try Reshape.outputShape(input: input, shape: a.ints("shape")) },
               build: { a in Reshape(a.ints("shape")) }),
        .layer("permute", [.required("dims", .intList)],
               shape: { input, a, _ in try Permute.outputShape(input: input, dims: a.ints("dims")) },
               build: { a in Permute(a.ints("dims")) }),
        .layer("transpose", [.required("dim0", .int), .required("dim1", .int)],
               shape: { input, a, _ in try Transpose.outputShape(input: input, dim0: a.int("dim0"), dim1: a.int("dim1")) },
               build: { a in Transpose(a.int("dim0"), a.int("dim1")) }),
        .layer("identity") { _ in Identity() },
    ]
}
