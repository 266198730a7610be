import Foundation

/// A model file (`samples/*.yaml`) parsed and checked, before anything is built or drawn.
///
/// ```yaml
/// seed: 1
/// model:
///   - linear: {in_features: 3, out_features: 2}    # or the short {in: 3, out: 2}
///     name: fc1
///   - relu
///   - linear: {in: 2, out: 1}
///     name: fc2
/// input: [[1, 2, 3]]
/// target: [[1]]
/// loss: mse
/// ```
public struct ModelSpec {
    public struct Layer {
        public let kind: String
        /// The layer's name: its index unless the file names it, as `nn.Sequential` names children.
        public let name: String
        /// What the registry knows of its kind: arguments, module, shape rule, parameter count; nil when
        /// `kind` names one of the file's blocks.
        let entry: LayerEntry?
        let arguments: LayerArguments
        /// The layers it reads, by index in its block or model (-1: the block's or model's input).
        let inputs: [Int]
        /// `repeat: N`: an `nn.Sequential` of N copies.
        let copies: Int?
        let line: Int?
        let column: Int?

        /// How messages name it: `layer 'fc1' (linear, line 5)`.
        var reference: String { reference(full: name) }

        /// The same, with its dotted path where a block is used: `layer 'layer1.0.conv1' (conv2d, line 4)`.
        func reference(full: String) -> String {
            "layer '\(full)' (\(kind)\(line.map { ", line \($0)" } ?? ""))"
        }
    }

    /// A tensor given literally or drawn: `[[1, 2]]`, `{randn: [5, 4]}`.
    public enum TensorSource {
        case literal(shape: [Int], values: [Double], integral: Bool)
        case random(kind: String, shape: [Int])

        var shape: [Int] {
            switch self {
            case .literal(let shape, _, _): return shape
            case .random(_, let shape): return shape
            }
        }
    }

    public struct Loss {
        public let kind: String
        let arguments: LayerArguments
        let line: Int?
        var reduction: String { arguments.text("reduction") }
    }

    public let file: String
    public let seed: UInt64?
    public let layers: [Layer]
    /// Reusable sub-networks by name (`blocks:`), used by name like a layer.
    public let blocks: [String: Block]
    /// Explicit parameter values by dotted name, with where they stand in the file.
    public let initialValues: [(name: String, shape: [Int], values: [Double], line: Int?, column: Int?)]
    public let input: TensorSource
    let inputLine: Int?
    public let target: TensorSource?
    let targetLine: Int?
    public let loss: Loss?
    public let training: Bool

    /// The file's stem (`seed1_mlp` for `samples/seed1_mlp.yaml`): the default output name.
    public var stem: String { URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent }
}

// MARK: - Reading

extension ModelSpec {
    static let topLevelKeys = ["seed", "blocks", "model", "init", "input", "target", "loss", "mode"]

    /// Reads and checks a model file. Every problem is a ``ModelSpecError`` naming the file, line and column.
    public static func read(contentsOf path: String) throws -> ModelSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw ModelSpecError(file: path, isDirectory.boolValue ? "is a directory, not a model file" : "cannot read the file (permission denied?)")
            }
            throw ModelSpecError(file: path, "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = firstInvalidUTF8(data)
            throw ModelSpecError(file: path, line: line, column: column, "the file is not valid UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Line and column of the first byte that breaks UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        let bytes = [UInt8](data)
        var line = 1, lineStart = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if length == 0 || i + length > bytes.count || String(bytes: bytes[i..<(i + length)], encoding: .utf8) == nil {
                return (line, i - lineStart + 1)
            }
            if b == 0x0A { line += 1; lineStart = i + 1 }
            i += length
        }
        return (line, 1)
    }

    /// Parses model-file text (`file` names it in messages).
    public static func parse(_ text: String, file: String) throws -> ModelSpec {
        let root = try YAMLValue.parse(text, file: file)
        let entries = try root.mapping("a model file")
        var byKey: [String: YAMLValue] = [:]
        for entry in entries {
            guard topLevelKeys.contains(entry.key) else {
                throw entry.keyNode.error("unknown key '\(entry.key)'\(suggestion(entry.key, in: topLevelKeys)); a model file has \(topLevelKeys.joined(separator: ", "))")
            }
            guard byKey[entry.key] == nil else { throw entry.keyNode.error("'\(entry.key)' appears twice") }
            byKey[entry.key] = entry.value
        }
        // A target without a loss means MSE, as the tutorials and the oracle use.
        guard let modelNode = byKey["model"] else { throw root.error("missing 'model' (a list of layers; [] for none)") }
        guard let inputNode = byKey["input"] else { throw root.error("missing 'input' (a literal like [[1, 2]] or {randn: [5, 4]})") }

        var seed: UInt64? = nil
        if let node = byKey["seed"] {
            let value = try node.int("seed")
            guard value >= 0 else { throw node.error("seed must be 0 or more, found \(value)") }
            seed = UInt64(value)
        }
        let (layers, blocks) = try parseNetwork(model: modelNode, blocks: byKey["blocks"])

        let loss = try byKey["loss"].map(parseLoss)
        let target = try byKey["target"].map { try parseTensor($0, what: "target") }
        var training = true
        if let node = byKey["mode"] {
            let mode = try node.string("mode")
            guard ["train", "eval"].contains(mode) else {
                throw node.error("mode must be 'train' or 'eval', found '\(mode)'\(suggestion(mode, in: ["train", "eval"]))")
            }
            training = mode == "train"
        }
        var initial: [(String, [Int], [Double], Int?, Int?)] = []
        if let node = byKey["init"] {
            for entry in try node.mapping("'init'") {
                let parsed = try entry.value.numbers("init value of '\(entry.key)'")
                initial.append((entry.key, parsed.shape, parsed.values, entry.keyNode.line, entry.keyNode.column))
            }
        }
        let spec = ModelSpec(
            file: file, seed: seed, layers: layers, blocks: blocks, initialValues: initial,
            input: try parseTensor(inputNode, what: "input"), inputLine: inputNode.line,
            target: target, targetLine: byKey["target"]?.line,
            loss: loss ?? (target != nil ? Loss(kind: "mse", arguments: LayerArguments(values: ["reduction": .text("mean")]), line: nil) : nil),
            training: training)
        try spec.checkSizes()
        return spec
    }

    private static func parseLoss(_ node: YAMLValue) throws -> Loss {
        var kind: String
        var argumentsNode: YAMLValue? = nil
        var anchor = node
        switch node.node {
        case .scalar: kind = try node.string("loss")
        case .mapping:
            let entries = try node.mapping("loss")
            guard entries.count == 1 else { throw node.error("loss must be one name, like 'mse' or '{mse: {reduction: sum}}'") }
            kind = entries[0].key
            anchor = entries[0].keyNode
            argumentsNode = entries[0].value.isNull ? nil : entries[0].value
        default:
            throw node.error("loss must be a name like 'mse', found \(node.kindName)")
        }
        guard let schema = LossCatalog.arguments[kind] else {
            throw anchor.error("unknown loss '\(kind)'\(suggestion(kind, in: Array(LossCatalog.losses.keys))); losses: \(LossCatalog.losses.keys.sorted().joined(separator: ", "))")
        }
        let arguments = try ArgumentSchema.parse(argumentsNode, schema: schema, owner: kind, at: anchor)
        return Loss(kind: kind, arguments: arguments, line: anchor.line)
    }

    private static func parseTensor(_ node: YAMLValue, what: String) throws -> TensorSource {
        if case .mapping = node.node {
            let entries = try node.mapping(what)
            let kinds = ["randn", "rand", "zeros", "ones"]
            guard entries.count == 1, kinds.contains(entries[0].key) else {
                let key = entries.first?.key ?? ""
                throw (entries.first?.keyNode ?? node).error("\(what) must be a literal or one of {randn: [...]}, {rand: [...]}, {zeros: [...]}, {ones: [...]}\(suggestion(key, in: kinds))")
            }
            let shapeNode = entries[0].value
            let shape = try shapeNode.sequence("the shape of \(what)").map { try $0.int("a size in the shape of \(what)") }
            if let bad = shape.first(where: { $0 < 0 }) { throw shapeNode.error("the shape of \(what) has a negative size \(bad)") }
            return .random(kind: entries[0].key, shape: shape)
        }
        let parsed = try node.numbers(what)
        return .literal(shape: parsed.shape, values: parsed.values, integral: parsed.integral)
    }
}
