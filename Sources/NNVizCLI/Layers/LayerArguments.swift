import NNViz

/// The arguments a layer (or loss) takes in a model file: their types, defaults, PyTorch names and the
/// short aliases older files use (`linear: {in: 3, out: 2}` is `linear: {in_features: 3, out_features: 2}`).
enum ArgumentType {
    case int, positiveInt, nonNegativeInt, double, bool, choice([String])
    /// A whole number that may be `null` (`padding_idx: null`).
    case intOrNone
    /// A number that may be `null` (`momentum: null`).
    case doubleOrNone
    /// One positive size or a `[height, width]` pair (`kernel_size`, `stride`).
    case size
    /// A size of 0 or more, or a pair (`padding`).
    case nonNegativeSize
    /// A positive size, a pair, or `null` (`stride` of pooling, which defaults to the kernel).
    case sizeOrNone
    /// A list of whole numbers (`shape`, `dims`).
    case intList
    /// A probability between 0 and 1 (`p`).
    case probability
}

struct ArgumentSchema {
    /// PyTorch's constructor argument name.
    let name: String
    /// Older short names accepted for the same argument.
    let aliases: [String]
    let type: ArgumentType
    /// nil: required.
    let defaultValue: LayerArgument?

    static func required(_ name: String, _ type: ArgumentType = .positiveInt, aliases: [String] = []) -> ArgumentSchema {
        ArgumentSchema(name: name, aliases: aliases, type: type, defaultValue: nil)
    }

    static func optional(_ name: String, _ type: ArgumentType, _ value: LayerArgument, aliases: [String] = []) -> ArgumentSchema {
        ArgumentSchema(name: name, aliases: aliases, type: type, defaultValue: value)
    }
}

/// A parsed argument value.
enum LayerArgument: Equatable {
    case int(Int), double(Double), bool(Bool), text(String), size(IntOrPair), ints([Int]), none

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
    var size: IntOrPair? { if case .size(let v) = self { return v }; return nil }
    var ints: [Int]? { if case .ints(let v) = self { return v }; return nil }
}

/// A layer's arguments by PyTorch name, every one present (given or defaulted) and of its schema's type.
struct LayerArguments {
    let values: [String: LayerArgument]

    func int(_ name: String) -> Int { values[name]!.int! }
    func double(_ name: String) -> Double { values[name]!.double! }
    func bool(_ name: String) -> Bool { values[name]!.bool! }
    func text(_ name: String) -> String { values[name]!.text! }
    func size(_ name: String) -> IntOrPair { values[name]!.size! }
    func ints(_ name: String) -> [Int] { values[name]!.ints! }
    func optionalSize(_ name: String) -> IntOrPair? { values[name]?.size }
    func optionalInt(_ name: String) -> Int? { values[name]?.int }
    func optionalDouble(_ name: String) -> Double? { values[name]?.double }
}

// MARK: - Parsing

extension ArgumentSchema {
    /// Reads the arguments `node` gives `owner` (nil: none given), by name or alias, filling in defaults.
    static func parse(_ node: YAMLValue?, schema: [ArgumentSchema], owner: String,
                      at anchor: YAMLValue) throws -> LayerArguments {
        var result: [String: LayerArgument] = [:]
        var givenAs: [String: String] = [:]
        let known = schema.map(\.name)
        let list = known.isEmpty ? "it takes none" : "it takes \(known.joined(separator: ", "))"
        if let node {
            for entry in try node.mapping("the arguments of '\(owner)'") {
                guard let argument = schema.first(where: { $0.name == entry.key || $0.aliases.contains(entry.key) }) else {
                    let candidates = schema.flatMap { [$0.name] + $0.aliases }
                    throw entry.keyNode.error("'\(owner)' has no argument '\(entry.key)'\(suggestion(entry.key, in: candidates)); \(list)")
                }
                if let earlier = givenAs[argument.name] {
                    throw entry.keyNode.error("'\(owner)' got '\(entry.key)' and '\(earlier)', two names of the same argument; give '\(argument.name)' once")
                }
                givenAs[argument.name] = entry.key
                result[argument.name] = try argument.read(entry.value, what: "'\(owner)' argument '\(entry.key)'")
            }
        }
        for argument in schema where result[argument.name] == nil {
            guard let value = argument.defaultValue else {
                throw anchor.error("'\(owner)' needs '\(argument.name)' (\(list))")
            }
            result[argument.name] = value
        }
        return LayerArguments(values: result)
    }

    /// The largest size argument a model file may give (2³¹ − 1).
    static let largestSize = Int(Int32.max)

    private func read(_ value: YAMLValue, what: String) throws -> LayerArgument {
        func atLeast(_ minimum: Int, _ v: Int, at node: YAMLValue) throws -> Int {
            guard v >= minimum else {
                throw node.error(minimum == 0 ? "\(what) must be 0 or more, found \(v)" : "\(what) must be at least \(minimum), found \(v)")
            }
            // Sizes this large cannot fit the memory budget; refusing them keeps every shape rule's arithmetic exact.
            guard v <= ArgumentSchema.largestSize else { throw node.error("\(what) must be at most \(ArgumentSchema.largestSize), found \(v)") }
            return v
        }
        func size(minimum: Int) throws -> LayerArgument {
            if case .sequence = value.node {
                let items = try value.sequence(what)
                guard items.count == 2 else {
                    throw value.error("\(what) must be one number or a pair [height, width], found \(items.count) numbers")
                }
                let pair = try items.map { try atLeast(minimum, try $0.int(what), at: $0) }
                return .size(IntOrPair((pair[0], pair[1])))
            }
            return .size(IntOrPair(try atLeast(minimum, try value.int(what), at: value)))
        }
        switch type {
        case .int: return .int(try value.int(what))
        case .positiveInt: return .int(try atLeast(1, try value.int(what), at: value))
        case .nonNegativeInt: return .int(try atLeast(0, try value.int(what), at: value))
        case .intOrNone: return value.isNull ? .none : .int(try value.int(what))
        case .double: return .double(try value.double(what))
        case .doubleOrNone: return value.isNull ? .none : .double(try value.double(what))
        case .probability:
            let p = try value.double(what)
            guard (0...1).contains(p) else { throw value.error("dropout probability has to be between 0 and 1, but got \(p)") }
            return .double(p)
        case .bool: return .bool(try value.bool(what))
        case .choice(let options):
            let v = try value.string(what)
            guard options.contains(v) else {
                throw value.error("\(what) must be one of \(options.joined(separator: ", ")), found '\(v)'\(suggestion(v, in: options))")
            }
            return .text(v)
        case .size: return try size(minimum: 1)
        case .nonNegativeSize: return try size(minimum: 0)
        case .sizeOrNone: return value.isNull ? .none : try size(minimum: 1)
        case .intList: return .ints(try value.sequence(what).map { try $0.int(what) })
        }
    }
}
