/// Every layer a model file can name, with its arguments: their types, defaults, and which are required.
enum ArgumentType {
    case int, positiveInt, nonNegativeInt, double, bool, choice([String]), intOrNone
}

struct ArgumentSchema {
    let name: String
    let type: ArgumentType
    /// nil: required.
    let defaultValue: LayerArgument?
}

/// A parsed argument value.
enum LayerArgument: Equatable {
    case int(Int), double(Double), bool(Bool), text(String), none

    var int: Int? { if case .int(let v) = self { return v }; return nil }
    var double: Double? {
        switch self {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }
    var bool: Bool? { if case .bool(let v) = self { return v }; return nil }
    var text: String? { if case .text(let v) = self { return v }; return nil }
}

enum LayerCatalog {
    private static func required(_ name: String, _ type: ArgumentType = .positiveInt) -> ArgumentSchema {
        ArgumentSchema(name: name, type: type, defaultValue: nil)
    }
    private static func optional(_ name: String, _ type: ArgumentType, _ value: LayerArgument) -> ArgumentSchema {
        ArgumentSchema(name: name, type: type, defaultValue: value)
    }
    private static let dimArgument = optional("dim", .int, .int(-1))

    /// Layer kinds by their snake_case name.
    static let layers: [String: [ArgumentSchema]] = [
        "linear": [required("in"), required("out"), optional("bias", .bool, .bool(true))],
        "rnn": [required("input"), required("hidden"), optional("layers", .positiveInt, .int(1)),
                optional("nonlinearity", .choice(["tanh", "relu"]), .text("tanh")), optional("bias", .bool, .bool(true)),
                optional("output", .choice(["last", "all"]), .text("last"))],
        "lstm": [required("input"), required("hidden"), optional("layers", .positiveInt, .int(1)),
                 optional("bias", .bool, .bool(true)), optional("output", .choice(["last", "all"]), .text("last"))],
        "conv2d": [required("in"), required("out"), required("kernel"), optional("stride", .positiveInt, .int(1)),
                   optional("padding", .nonNegativeInt, .int(0)), optional("bias", .bool, .bool(true))],
        "maxpool2d": [required("kernel"), optional("stride", .intOrNone, .none)],
        "batchnorm1d": [required("features")],
        "batchnorm2d": [required("features")],
        "dropout": [optional("p", .double, .double(0.5))],
        "flatten": [],
        "embedding": [required("num"), required("dim")],
        "relu": [], "relu6": [], "tanh": [], "sigmoid": [], "selu": [], "softsign": [], "tanhshrink": [],
        "logsigmoid": [], "softmax2d": [],
        "gelu": [optional("approximate", .choice(["none", "tanh"]), .text("none"))],
        "elu": [optional("alpha", .double, .double(1))],
        "celu": [optional("alpha", .double, .double(1))],
        "leaky_relu": [optional("negative_slope", .double, .double(0.01))],
        "hardtanh": [optional("min", .double, .double(-1)), optional("max", .double, .double(1))],
        "hardshrink": [optional("lambda", .double, .double(0.5))],
        "softshrink": [optional("lambda", .double, .double(0.5))],
        "softplus": [optional("beta", .double, .double(1)), optional("threshold", .double, .double(20))],
        "threshold": [required("threshold", .double), required("value", .double)],
        "prelu": [optional("num_parameters", .positiveInt, .int(1)), optional("init", .double, .double(0.25))],
        "rrelu": [optional("lower", .double, .double(1.0 / 8)), optional("upper", .double, .double(1.0 / 3))],
        "softmax": [dimArgument], "log_softmax": [dimArgument], "softmin": [dimArgument],
    ]

    /// Loss names and whether their targets are class indices.
    static let losses: [String: Bool] = [
        "mse": false, "l1": false, "smooth_l1": false, "huber": false, "cross_entropy": true, "nll": true,
        "bce": false, "bce_with_logits": false,
    ]

    static let lossArguments: [String: [ArgumentSchema]] = [
        "mse": [], "l1": [], "cross_entropy": [], "nll": [], "bce": [], "bce_with_logits": [],
        "smooth_l1": [optional("beta", .double, .double(1))],
        "huber": [optional("delta", .double, .double(1))],
    ].mapValues { $0 + [optional("reduction", .choice(["mean", "sum", "none"]), .text("mean"))] }
}
