/// The layers of a model file as a graph: `blocks:` (reusable sub-networks), layer names, `from:` (which
/// earlier layers a layer reads) and `repeat:` — resolved and checked before anything runs.
///
/// ```yaml
/// blocks:
///   residual:
///     - linear: {in_features: 4, out_features: 4}
///       name: fc
///     - add: {}
///       from: [input, fc]     # `input`: the block's input
/// model:
///   - residual: {}
///     name: layer1
///     repeat: 2               # parameters layer1.0.fc.weight, layer1.1.fc.weight, …
/// ```
extension ModelSpec {
    /// A reusable sub-network: its layers read the block's input as `input`.
    public struct Block {
        public let name: String
        public let layers: [Layer]
        let line: Int?
        let column: Int?
    }

    /// Deepest nesting of blocks inside blocks.
    static let blockDepthLimit = 32
    /// Most layers a model may expand to, blocks and repeats counted out.
    static let expandedLayerLimit = 100_000

    /// A layer as written, before its `from:` names are resolved.
    private struct WrittenLayer {
        let kind: String
        let name: String
        let entry: LayerEntry?
        let arguments: LayerArguments
        let from: [(name: String, node: YAMLValue)]?
        let fromNode: YAMLValue?
        let copies: Int?
        let kindNode: YAMLValue
    }

    /// Parses `blocks:` and `model:`, resolving names, checking `from:`, inputs counts and block cycles.
    static func parseNetwork(model: YAMLValue, blocks blocksNode: YAMLValue?) throws -> ([Layer], [String: Block]) {
        let blockEntries = try blocksNode.map { try $0.mapping("'blocks'") } ?? []
        var blockNames = Set<String>()
        for entry in blockEntries {
            guard isLayerName(entry.key) else {
                throw entry.keyNode.error("a block's name must be a word without dots or spaces, found '\(entry.key)'")
            }
            guard LayerRegistry.entries[entry.key] == nil else {
                throw entry.keyNode.error("block '\(entry.key)' has the name of a layer kind; choose another name")
            }
            guard blockNames.insert(entry.key).inserted else { throw entry.keyNode.error("two blocks are named '\(entry.key)'") }
        }
        var blocks: [String: Block] = [:]
        for entry in blockEntries {
            let layers = try parseLayers(entry.value, what: "block '\(entry.key)'", scope: "block '\(entry.key)'", blockNames: blockNames)
            blocks[entry.key] = Block(name: entry.key, layers: layers, line: entry.keyNode.line, column: entry.keyNode.column)
        }
        let layers = try parseLayers(model, what: "'model'", scope: "the model", blockNames: blockNames)
        try checkBlockUses(blocks, model: layers, file: model.file)
        return (layers, blocks)
    }

    private static func isLayerName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains(".") && !name.contains(" ")
    }

    /// One list of layers (the model or a block), with names and `from:` resolved within it.
    private static func parseLayers(_ node: YAMLValue, what: String, scope: String, blockNames: Set<String>) throws -> [Layer] {
        let written = try node.sequence(what).enumerated().map { try parseLayer($1, index: $0, blockNames: blockNames) }
        var indexByName: [String: Int] = [:]
        for (index, layer) in written.enumerated() {
            guard layer.name != "input" else {
                throw layer.kindNode.error("a layer cannot be named 'input': 'from: input' means the input of \(scope)")
            }
            guard indexByName[layer.name] == nil else { throw layer.kindNode.error("two layers are named '\(layer.name)'") }
            indexByName[layer.name] = index
        }
        return try written.enumerated().map { index, layer in
            let reference = "layer '\(layer.name)' (\(layer.kind))"
            var inputs = [index - 1]
            if let from = layer.from {
                inputs = try from.map { name, fromNode in
                    if name == "input" { return -1 }
                    guard let source = indexByName[name] else {
                        let earlier = written[..<index].map(\.name) + ["input"]
                        throw fromNode.error("\(reference) reads '\(name)', which is no layer of \(scope)\(suggestion(name, in: earlier))")
                    }
                    guard source < index else {
                        throw fromNode.error("\(reference) reads layer '\(name)' (\(written[source].kind), line \(written[source].kindNode.line ?? 0)), which comes after it; a layer reads only layers before it")
                    }
                    return source
                }
            }
            let count = layer.entry?.inputCount ?? 1...1
            if !count.contains(inputs.count) {
                let anchor = layer.fromNode ?? layer.kindNode
                if count.lowerBound > 1 {
                    throw anchor.error("\(reference) takes \(count.lowerBound) or more inputs; name them with 'from: [a, b]'")
                }
                throw anchor.error("\(reference) takes one input, but 'from' names \(inputs.count)")
            }
            if layer.copies != nil && count.lowerBound > 1 {
                throw layer.kindNode.error("\(reference) takes several inputs, so it cannot be repeated")
            }
            return Layer(kind: layer.kind, name: layer.name, entry: layer.entry, arguments: layer.arguments, inputs: inputs,
                         copies: layer.copies, line: layer.kindNode.line, column: layer.kindNode.column)
        }
    }

    private static func parseLayer(_ node: YAMLValue, index: Int, blockNames: Set<String>) throws -> WrittenLayer {
        var kind: String
        var name = "\(index)"
        var argumentsNode: YAMLValue? = nil
        var kindNode = node
        var from: [(String, YAMLValue)]? = nil
        var fromNode: YAMLValue? = nil
        var copies: Int? = nil
        switch node.node {
        case .scalar:
            kind = try node.string("a layer")
        case .mapping:
            var found: (String, YAMLValue, YAMLValue)? = nil
            for entry in try node.mapping("a layer") {
                switch entry.key {
                case "name":
                    name = try entry.value.string("a layer's name")
                    guard isLayerName(name) else {
                        throw entry.value.error("a layer's name must be a word without dots or spaces, found '\(name)'")
                    }
                case "from":
                    fromNode = entry.value
                    var items = [entry.value]
                    if case .sequence = entry.value.node { items = try entry.value.sequence("'from'") }
                    guard !items.isEmpty else { throw entry.value.error("'from' names no layer; give a name or a list of names") }
                    from = try items.map { (try $0.string("a name in 'from'"), $0) }
                case "repeat":
                    let n = try entry.value.int("'repeat'")
                    guard n >= 1, n <= expandedLayerLimit else {
                        throw entry.value.error("'repeat' must be between 1 and \(expandedLayerLimit), found \(n)")
                    }
                    copies = n
                default:
                    if found != nil {
                        throw entry.keyNode.error("a layer has one kind and optional 'name', 'from' and 'repeat'; found a second key '\(entry.key)'")
                    }
                    found = (entry.key, entry.keyNode, entry.value)
                }
            }
            guard let found else { throw node.error("a layer needs a kind, such as 'linear: {in_features: 3, out_features: 2}'") }
            kind = found.0
            kindNode = found.1
            argumentsNode = found.2.isNull ? nil : found.2
        default:
            throw node.error("a layer must be a name like 'relu' or a mapping like 'linear: {in_features: 3, out_features: 2}', found \(node.kindName)")
        }
        kind = kind.trimmingCharacters(in: .whitespaces)
        if blockNames.contains(kind) {
            if let argumentsNode, try !argumentsNode.mapping("the arguments of block '\(kind)'").isEmpty {
                throw argumentsNode.error("block '\(kind)' takes no arguments; write '\(kind): {}'")
            }
            return WrittenLayer(kind: kind, name: name, entry: nil, arguments: LayerArguments(values: [:]), from: from,
                                fromNode: fromNode, copies: copies, kindNode: kindNode)
        }
        guard let entry = LayerRegistry.entries[kind] else {
            throw kindNode.error("unknown layer '\(kind)'\(suggestion(kind, in: Array(LayerRegistry.entries.keys) + blockNames))")
        }
        let arguments = try ArgumentSchema.parse(argumentsNode, schema: entry.arguments, owner: kind, at: kindNode)
        return WrittenLayer(kind: kind, name: name, entry: entry, arguments: arguments, from: from, fromNode: fromNode,
                            copies: copies, kindNode: kindNode)
    }

    // MARK: - Blocks using blocks

    /// Blocks may use blocks, but not themselves (directly or not), nor nest deeper than ``blockDepthLimit``,
    /// nor expand to more than ``expandedLayerLimit`` layers. Walks iteratively.
    private static func checkBlockUses(_ blocks: [String: Block], model: [Layer], file: String) throws {
        func uses(_ layers: [Layer]) -> [Layer] { layers.filter { $0.entry == nil } }
        // Depth-first with an explicit stack: a block met again while still open closes a cycle.
        var state: [String: Bool] = [:]  // false: open, true: done
        var depth: [String: Int] = [:]
        var size: [String: Int] = [:]
        for root in blocks.keys.sorted() where state[root] == nil {
            var stack: [(block: String, next: Int)] = [(root, 0)]
            var path = [root]
            state[root] = false
            while let top = stack.last {
                let layers = blocks[top.block]!.layers
                let used = uses(layers)
                if top.next < used.count {
                    stack[stack.count - 1].next += 1
                    let layer = used[top.next]
                    switch state[layer.kind] {
                    case false?:
                        let cycle = path[path.firstIndex(of: layer.kind)!...] + [layer.kind]
                        throw ModelSpecError(file: file, line: layer.line, column: layer.column,
                                             "blocks use each other in a cycle: \(cycle.joined(separator: " → "))")
                    case true?: continue
                    case nil:
                        state[layer.kind] = false
                        stack.append((layer.kind, 0))
                        path.append(layer.kind)
                    }
                    continue
                }
                // All its blocks are done: its depth and expanded size follow from theirs.
                depth[top.block] = 1 + (used.map { depth[$0.kind]! }.max() ?? 0)
                size[top.block] = saturatingSum(layers.map { layer in
                    saturatingProduct(layer.copies ?? 1, layer.entry == nil ? size[layer.kind]! : 1)
                })
                if depth[top.block]! > blockDepthLimit {
                    let block = blocks[top.block]!
                    throw ModelSpecError(file: file, line: block.line, column: block.column,
                                         "block '\(top.block)' nests blocks \(depth[top.block]!) deep, more than the \(blockDepthLimit) allowed")
                }
                state[top.block] = true
                stack.removeLast()
                path.removeLast()
            }
        }
        var total = 0
        for layer in model {
            total = saturatingSum([total, saturatingProduct(layer.copies ?? 1, layer.entry == nil ? size[layer.kind]! : 1)])
            if total > expandedLayerLimit {
                throw ModelSpecError(file: file, line: layer.line, column: layer.column,
                                     "the model expands to \(total == Int.max ? "too many" : "\(total)") layers by \(layer.reference) (blocks and repeats counted out), more than the \(expandedLayerLimit) allowed")
            }
        }
    }
}
