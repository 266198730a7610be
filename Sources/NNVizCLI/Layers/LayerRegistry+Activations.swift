import NNViz

extension LayerRegistry {
    /// Activations and the softmax family, with PyTorch's argument names (`negative_slope`, `min_val`, `lambd`, …).
    static let activationLayers: [LayerEntry] = [
        .layer("relu") { _ in ReLU() },
        .layer("relu6") { _ in ReLU6() },
        .layer("tanh") { _ in Tanh() },
        .layer("sigmoid") { _ in Sigmoid() },
        .layer("selu") { _ in SELU() },
        .layer("softsign") { _ in Softsign() },
        .layer("tanhshrink") { _ in Tanhshrink() },
        .layer("logsigmoid") { _ in LogSigmoid() },
        .layer("softmax2d", shape: { input, _, _ in try Softmax2d.outputShape(input: input) }) { _ in Softmax2d() },
        .layer("gelu", [.optional("approximate", .choice(["none", "tanh"]), .text("none"))]) { a in
            GELU(approximate: a.text("approximate") == "tanh" ? .tanh : .none)
        },
        .layer("elu", [.optional("alpha", .double, .double(1))]) { a in ELU(alpha: a.double("alpha")) },
        .layer("celu", [.optional("alpha", .double, .double(1))]) { a in CELU(alpha: a.double("alpha")) },
        .layer("leaky_relu", [.optional("negative_slope", .double, .double(0.01))]) { a in
            LeakyReLU(negativeSlope: a.double("negative_slope"))
        },
        .layer("hardtanh", [.optional("min_val", .double, .double(-1), aliases: ["min"]),
                            .optional("max_val", .double, .double(1), aliases: ["max"])]) { a in
            Hardtanh(minVal: a.double("min_val"), maxVal: a.double("max_val"))
        },
        .layer("hardshrink", [.optional("lambd", .double, .double(0.5), aliases: ["lambda"])]) { a in
            Hardshrink(lambda: a.double("lambd"))
        },
        .layer("softshrink", [.optional("lambd", .double, .double(0.5), aliases: ["lambda"])]) { a in
            Softshrink(lambda: a.double("lambd"))
        },
        .layer("softplus", [.optional("beta", .double, .double(1)), .optional("threshold", .double, .double(20))]) { a in
            Softplus(beta: a.double("beta"), threshold: a.double("threshold"))
        },
        .layer("threshold", [.required("threshold", .double), .required("value", .double)]) { a in
            Threshold(threshold: a.double("threshold"), value: a.double("value"))
        },
        .layer("prelu", [.optional("num_parameters", .positiveInt, .int(1)), .optional("init", .double, .double(0.25))],
               parameters: { a in a.int("num_parameters") },
               shape: { input, a, _ in try PReLU.outputShape(input: input, numParameters: a.int("num_parameters")) }) { a in
            PReLU(numParameters: a.int("num_parameters"), init: a.double("init"))
        },
        .layer("rrelu", [.optional("lower", .double, .double(1.0 / 8)), .optional("upper", .double, .double(1.0 / 3))]) { a in
            RReLU(lower: a.double("lower"), upper: a.double("upper"))
        },
        softmax("softmax", rule: { try Softmax.outputShape(input: $0, dim: $1) }) { Softmax(dim: $0) },
        softmax("log_softmax", rule: { try LogSoftmax.outputShape(input: $0, dim: $1) }) { LogSoftmax(dim: $0) },
        softmax("softmin", rule: { try Softmin.outputShape(input: $0, dim: $1) }) { Softmin(dim: $0) },
    ]

    private static func softmax(_ kind: String, rule: @escaping @Sendable ([Int], Int) throws -> [Int],
                                make: @escaping @Sendable (Int) -> Module) -> LayerEntry {
        .layer(kind, [.optional("dim", .int, .int(-1))],
               shape: { input, a, _ in try rule(input, a.int("dim")) },
               build: { a in make(a.int("dim")) })
    }
}
