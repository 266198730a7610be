import Foundation
import NNVizCore

/// The autograd graph behind one or several outputs, drawn as torchviz's `make_dot` draws it.
///
/// Walks every output's grad_fn chain (iteratively, so chains of any length are fine) and returns a
/// ``DotGraph``: backward functions grey with PyTorch's names, leaves that require grad blue with
/// `name\n (shape)` (named from `params`, by identity), outputs green, bases of view outputs dark
/// green with a dotted edge, and with `showSaved` the saved tensors orange on undirected edges; with
/// `showAttrs` each function lists its saved attributes as torchviz's table. Node ids follow the walk
/// (`t0`, `f1`, …), so the same model gives byte-identical DOT on every run.
///
/// Unlike torchviz, saved tensors and attributes stay drawable after `backward()` (their metadata
/// outlives the freed values), any number of outputs can be passed, and the output can be named.
/// With `showShapes` every edge is labelled with the shape of the tensor flowing along it, as torchview
/// draws shapes. After `backward()` parameters carry their gradient norm (tinted when rendered); in anomaly mode the
/// node where NaN or ±Inf first appeared is marked and drawn red.
///
/// ```swift
/// let yPred = model(x)
/// let graph = makeDot(yPred, params: model.namedParameters())
/// try graph.render(to: "output/single_neuron.png")
/// ```
public func makeDot(_ outputs: Tensor..., params: [(name: String, tensor: Tensor)] = [], showAttrs: Bool = false,
                    showSaved: Bool = false, maxAttrChars: Int = 50, showShapes: Bool = false,
                    outputNames: [String] = []) -> DotGraph {
    makeDot(outputs, params: params, showAttrs: showAttrs, showSaved: showSaved, maxAttrChars: maxAttrChars,
            showShapes: showShapes, outputNames: outputNames)
}

/// ``makeDot(_:params:showAttrs:showSaved:maxAttrChars:showShapes:outputNames:)`` for a collection of outputs.
public func makeDot(_ outputs: [Tensor], params: [(name: String, tensor: Tensor)] = [], showAttrs: Bool = false,
                    showSaved: Bool = false, maxAttrChars: Int = 50, showShapes: Bool = false,
                    outputNames: [String] = []) -> DotGraph {
    var builder = DotBuilder(params: params, showAttrs: showAttrs, showSaved: showSaved, maxAttrChars: maxAttrChars,
                             showShapes: showShapes)
    for (i, output) in outputs.enumerated() {
        builder.addOutput(output, name: i < outputNames.count ? outputNames[i] : nil)
    }
    builder.markFirstAnomaly(outputs)
    return builder.graph
}

/// torchviz's walk, with stable ids.
struct DotBuilder {
    private(set) var graph = DotGraph.torchviz()
    private let names: [ObjectIdentifier: String]
    private let showAttrs: Bool
    private let showSaved: Bool
    private let maxAttrChars: Int
    private let showShapes: Bool
    private var functionIDs: [ObjectIdentifier: String] = [:]
    private var tensorIDs: [ObjectIdentifier: String] = [:]
    private var counter = 0

    init(params: [(name: String, tensor: Tensor)], showAttrs: Bool, showSaved: Bool, maxAttrChars: Int, showShapes: Bool) {
        var names: [ObjectIdentifier: String] = [:]
        for (name, tensor) in params where names[ObjectIdentifier(tensor)] == nil { names[ObjectIdentifier(tensor)] = name }
        self.names = names
        self.showAttrs = showAttrs
        self.showSaved = showSaved
        self.maxAttrChars = maxAttrChars
        self.showShapes = showShapes
    }

    /// The edge label for a tensor of `shape` flowing along an edge, when shapes are shown.
    private func shapeLabel(_ shape: [Int]) -> String? {
        showShapes ? "(" + shape.map(String.init).joined(separator: ", ") + ")" : nil
    }

    private mutating func nextID(_ prefix: String) -> String {
        defer { counter += 1 }
        return "\(prefix)\(counter)"
    }

    /// `name\n (2, 3)`, torchviz's tensor label.
    static func tensorLabel(_ name: String, _ shape: [Int]) -> String {
        name + "\n (" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// torchviz's `add_base_tensor`: the output, its graph, and the bases it is a view of.
    mutating func addOutput(_ output: Tensor, name: String?, kind: DotNode.Kind = .output) {
        var pending: [(tensor: Tensor, kind: DotNode.Kind, viewOf: String?)] = [(output, kind, nil)]
        while let (tensor, kind, viewOf) = pending.popLast() {
            let key = ObjectIdentifier(tensor)
            if let existing = tensorIDs[key] {
                if let viewOf { graph.add(DotEdge(from: existing, to: viewOf, style: .dotted)) }
                continue
            }
            let id = nextID("t")
            tensorIDs[key] = id
            let label = DotBuilder.tensorLabel(tensor === output ? (name ?? names[key] ?? tensor.name ?? "") : (names[key] ?? tensor.name ?? ""),
                                               tensor.shape)
            graph.add(DotNode(id: id, label: .text(label), kind: kind, groupKey: id,
                              gradientNorm: tensor.grad.map(DotBuilder.norm),
                              details: DotBuilder.details(of: tensor, name: tensor === output ? name : nil, names: names)))
            if let fn = tensor.gradFn {
                let fnID = addFunctions(from: fn)
                graph.add(DotEdge(from: fnID, to: id, label: shapeLabel(tensor.shape)))
            }
            if let viewOf { graph.add(DotEdge(from: id, to: viewOf, style: .dotted)) }
            if let base = tensor.viewBase { pending.append((base, .viewBase, id)) }
        }
    }

    /// torchviz's `add_nodes`, iterative: every function reachable from `root`, each once, with edges
    /// emitted for every use (so `a * a` draws two parallel edges). Returns the root's id.
    private mutating func addFunctions(from root: GradFn) -> String {
        if let id = functionIDs[ObjectIdentifier(root)] { return id }
        let rootID = register(root)
        var stack = [root]
        while let fn = stack.popLast() {
            let fnID = functionIDs[ObjectIdentifier(fn)]!
            var newlySeen: [GradFn] = []
            for case let next? in fn.nextFunctions {
                let known = functionIDs[ObjectIdentifier(next)] != nil
                let nextID = known ? functionIDs[ObjectIdentifier(next)]! : register(next)
                graph.add(DotEdge(from: nextID, to: fnID, label: shapeLabel(next.outputShape)))
                if !known { newlySeen.append(next) }
            }
            // Depth first in argument order, as torchviz recurses.
            stack.append(contentsOf: newlySeen.reversed())
        }
        return rootID
    }

    /// Adds the node for `fn` (and its variable or saved tensors) and returns its id.
    private mutating func register(_ fn: GradFn) -> String {
        let id = nextID("f")
        functionIDs[ObjectIdentifier(fn)] = id
        if showSaved {
            for saved in fn.saved {
                switch saved.value {
                case .tensor(let shape):
                    addSaved(saved.name, shape, to: id)
                case .tensors(let shapes):
                    for (i, shape) in shapes.enumerated() { addSaved("\(saved.name)[\(i)]", shape, to: id) }
                case .attribute:
                    break
                }
            }
        }
        if let variable = fn.variable {
            let key = ObjectIdentifier(variable)
            let variableID = tensorIDs[key] ?? nextID("t")
            if tensorIDs[key] == nil {
                tensorIDs[key] = variableID
                graph.add(DotNode(id: variableID, label: .text(DotBuilder.tensorLabel(names[key] ?? variable.name ?? "", variable.shape)),
                                  kind: .parameter, groupKey: variableID,
                                  gradientNorm: variable.grad.map(DotBuilder.norm),
                                  details: DotBuilder.details(of: variable, name: nil, names: names)))
            }
            graph.add(DotEdge(from: variableID, to: id))
        }
        graph.add(DotNode(id: id, label: .text(functionLabel(fn)), kind: .function, groupKey: fn.variable == nil ? nil : tensorIDs[ObjectIdentifier(fn.variable!)],
                          modulePath: fn.modulePath, isAnomaly: false, tooltip: fn.creationSite,
                          details: DotBuilder.details(of: fn)))
        return id
    }

    private mutating func addSaved(_ name: String, _ shape: [Int], to functionID: String) {
        let id = nextID("s")
        graph.add(DotEdge(from: functionID, to: id, direction: DotEdge.Direction.none))
        graph.add(DotNode(id: id, label: .text(DotBuilder.tensorLabel(name, shape)), kind: .saved,
                          details: NodeDetails(name: name, shape: shape)))
    }

    /// The details of a tensor node: its name, shape, dtype and value statistics.
    static func details(of tensor: Tensor, name: String?, names: [ObjectIdentifier: String]) -> NodeDetails {
        let parameter = names[ObjectIdentifier(tensor)]
        return NodeDetails(name: name ?? parameter ?? tensor.name, isParameter: name == nil && parameter != nil,
                           shape: tensor.shape, dtype: tensor.dtype, statistics: ValueStatistics(tensor))
    }

    /// The details of a backward function: what it saved (all of it, whatever is drawn), its output's
    /// shape, the statistics recorded in ``StatisticsMode``, and where it was created.
    static func details(of fn: GradFn) -> NodeDetails {
        var attributes: [NodeDetails.Entry] = [], saved: [NodeDetails.Entry] = []
        for entry in fn.saved {
            switch entry.value {
            case .tensor(let shape): saved.append(NodeDetails.Entry(name: entry.name, value: pyShape(shape)))
            case .tensors(let shapes):
                for (i, shape) in shapes.enumerated() {
                    saved.append(NodeDetails.Entry(name: "\(entry.name)[\(i)]", value: pyShape(shape)))
                }
            case .attribute(let text): attributes.append(NodeDetails.Entry(name: entry.name, value: text))
            }
        }
        let statistics = fn.outputStatistics
        return NodeDetails(operation: fn.name, shape: fn.variable?.shape ?? fn.outputShape,
                           dtype: fn.variable?.dtype ?? statistics?.dtype, statistics: statistics,
                           attributes: attributes, saved: saved, source: fn.creationSite)
    }

    /// `(2, 3)`, torchviz's shape in a tensor label.
    static func pyShape(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// torchviz's `get_fn_name`: the name, and with `showAttrs` a table of the saved attributes.
    func functionLabel(_ fn: GradFn) -> String {
        guard showAttrs, !fn.saved.isEmpty else { return fn.name }
        let rows: [(String, String)] = fn.saved.map { saved in
            switch saved.value {
            case .tensor: return (saved.name, "[saved tensor]")
            case .tensors: return (saved.name, "[saved tensors]")
            case .attribute(let text): return (saved.name, text)
            }
        }
        let limit = max(maxAttrChars, 3)
        let keyWidth = rows.map(\.0.count).max()!
        let valueWidth = min(rows.map(\.1.count).max()!, limit)
        let separator = String(repeating: "-", count: max(keyWidth + valueWidth + 2, fn.name.count))
        let lines = rows.map { key, value -> String in
            let shown = value.count > valueWidth ? String(value.prefix(valueWidth - 3)) + "..." : value
            return key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + ": "
                + String(repeating: " ", count: valueWidth - shown.count) + shown
        }
        return ([fn.name, separator] + lines).joined(separator: "\n")
    }

    /// Marks the node where anomaly mode saw the first NaN or ±Inf.
    mutating func markFirstAnomaly(_ outputs: [Tensor]) {
        for output in outputs {
            guard let bad = AnomalyMode.firstNonFinite(from: output), let id = functionIDs[ObjectIdentifier(bad)] else { continue }
            let place = bad.creationSite.map { "\n\($0)" } ?? ""
            let label = functionLabel(bad) + "\nfirst NaN/Inf " + (bad.forwardNonFinite ? "in forward" : "in backward") + place
            graph.update(id) { node in
                node.isAnomaly = true
                node.label = .text(label)
                node.details?.firstNonFinite = bad.forwardNonFinite ? "forward" : "backward"
            }
            return
        }
    }

    /// L2 norm of a gradient (NaN and Inf pass through, so a bad gradient shows as one).
    static func norm(_ tensor: Tensor) -> Double {
        tensor.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
