import NNViz

/// The module a model file's layer list builds (the model, or one use of a block): its layers are its
/// children, by the names the file gives them, and each reads the earlier layers its `from:` names, so
/// `namedParameters()`, `namedModules()` and graph clusters see the hierarchy PyTorch's twin has.
///
/// ```swift
/// let run = try ModelRun(spec: ModelSpec.read(contentsOf: "samples/resnet_block.yaml"))
/// print(run.model.namedParameters().map(\.name))   // ["stem.weight", "stem.bias", "layer1.0.conv1.weight", …]
/// ```
final class LayerGraph: Module {
    struct Node {
        let name: String
        let module: Module
        /// Indices of the nodes it reads (-1: the graph's input).
        let inputs: [Int]
        /// How anomaly mode names it: `layer 'conv1' (conv2d)`, at `line` of the model file.
        let label: String
        let line: Int
    }

    let nodes: [Node]
    let file: String
    /// `Sequential` for a plain chain (as today's files build), `Model` for a graph, a block's name for a block.
    let displayName: String

    init(nodes: [Node], file: String, displayName: String) {
        self.nodes = nodes
        self.file = file
        self.displayName = displayName
        super.init()
    }

    override var typeName: String { displayName }

    override func namedChildren() -> [(name: String, module: Module)] { nodes.map { ($0.name, $0.module) } }

    override func forward(_ input: Tensor) -> Tensor {
        var outputs: [Tensor] = []
        outputs.reserveCapacity(nodes.count)
        for node in nodes {
            let inputs = node.inputs.map { $0 < 0 ? input : outputs[$0] }
            let output = AnomalyMode.trace(node.label, file: file, line: node.line) {
                if let merge = node.module as? MergeModule { return merge(inputs) }
                return node.module(inputs[0])
            }
            outputs.append(output)
        }
        return outputs.last ?? input
    }

    /// Builds the modules of `layers` in file order (so parameters are drawn in PyTorch's order), blocks
    /// expanded where they are used; recurses only into blocks, at most ``ModelSpec/blockDepthLimit`` deep.
    static func build(_ layers: [ModelSpec.Layer], spec: ModelSpec, displayName: String) -> LayerGraph {
        let nodes = layers.map { layer -> Node in
            func make() -> Module {
                if let entry = layer.entry { return entry.build(layer.arguments) }
                return build(spec.blocks[layer.kind]!.layers, spec: spec, displayName: layer.kind)
            }
            let module = layer.copies.map { n in Sequential((0..<n).map { _ in make() }) } ?? make()
            return Node(name: layer.name, module: module, inputs: layer.inputs,
                        label: "layer '\(layer.name)' (\(layer.kind))", line: layer.line ?? 0)
        }
        return LayerGraph(nodes: nodes, file: spec.file, displayName: displayName)
    }
}
