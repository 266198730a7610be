@testable import NNVizGraph

/// The graph torchviz draws for `RNNCell(1, hidden)` unrolled `steps` times, a `Linear(hidden, 1)`
/// head and an MSE loss, node for node and in torchviz's statement order (read from real torchviz
/// output made with PyTorch 2.x).
///
/// Each step has two `AddmmBackward0` (input and hidden gates, each with its own `TBackward0`),
/// an `AddBackward0` and a `TanhBackward0`; the four cell parameters and their `AccumulateGrad`
/// are single nodes shared by every step.
enum SyntheticRNN {
    final class Function {
        let name: String
        var next: [Function?]
        let variable: (name: String, shape: String)?
        let module: String
        init(_ name: String, next: [Function?] = [], variable: (String, String)? = nil, module: String) {
            self.name = name
            self.next = next
            self.variable = variable.map { (name: $0.0, shape: $0.1) }
            self.module = module
        }
    }

    static func graph(steps: Int, hidden: Int = 32) -> DotGraph {
        let biasHH = Function("AccumulateGrad", variable: ("cell.bias_hh", "(\(hidden))"), module: "cell")
        let biasIH = Function("AccumulateGrad", variable: ("cell.bias_ih", "(\(hidden))"), module: "cell")
        let weightHH = Function("AccumulateGrad", variable: ("cell.weight_hh", "(\(hidden), \(hidden))"), module: "cell")
        let weightIH = Function("AccumulateGrad", variable: ("cell.weight_ih", "(\(hidden), 1)"), module: "cell")
        var state: Function?
        for _ in 0..<steps {
            let hiddenGates = Function("AddmmBackward0", next: [biasHH, state, Function("TBackward0", next: [weightHH], module: "cell")], module: "cell")
            let inputGates = Function("AddmmBackward0", next: [biasIH, nil, Function("TBackward0", next: [weightIH], module: "cell")], module: "cell")
            let sum = Function("AddBackward0", next: [hiddenGates, inputGates], module: "cell")
            state = Function("TanhBackward0", next: [sum], module: "cell")
        }
        let headBias = Function("AccumulateGrad", variable: ("head.bias", "(1)"), module: "head")
        let headWeight = Function("AccumulateGrad", variable: ("head.weight", "(1, \(hidden))"), module: "head")
        let head = Function("AddmmBackward0", next: [headBias, state, Function("TBackward0", next: [headWeight], module: "head")], module: "head")
        let loss = Function("MseLossBackward0", next: [head, nil], module: "")
        return torchvizOrder(output: loss)
    }

    /// torchviz's `make_dot` walk (variable node, function node, then depth-first over
    /// `next_functions`), done with an explicit stack; nodes are added where they are first named.
    private static func torchvizOrder(output: Function) -> DotGraph {
        var graph = DotGraph.torchviz()
        var ids: [ObjectIdentifier: String] = [:]
        func id(_ function: Function) -> String {
            if let id = ids[ObjectIdentifier(function)] { return id }
            let id = "f\(ids.count)"
            ids[ObjectIdentifier(function)] = id
            return id
        }
        func mention(_ function: Function) {
            let node = id(function)
            guard !graph.contains(node: node) else { return }
            graph.add(DotNode(id: node, label: .text(function.name), kind: .function,
                              modulePath: function.module.isEmpty ? nil : function.module))
        }
        graph.add(DotNode(id: "out", label: "\n ()", kind: .output))
        var seen = Set<ObjectIdentifier>()
        var stack: [(Function, Int)] = []
        func enter(_ function: Function) {
            guard seen.insert(ObjectIdentifier(function)).inserted else { return }
            if let variable = function.variable {
                let name = "p_" + variable.name
                graph.add(DotNode(id: name, label: .text(variable.name + "\n " + variable.shape), kind: .parameter,
                                  groupKey: variable.name, modulePath: function.module))
                graph.add(DotEdge(from: name, to: id(function)))
            }
            mention(function)
            stack.append((function, 0))
        }
        enter(output)
        while let (function, index) = stack.last {
            guard index < function.next.count else { stack.removeLast(); continue }
            stack[stack.count - 1].1 += 1
            guard let input = function.next[index] else { continue }
            mention(input)
            graph.add(DotEdge(from: id(input), to: id(function)))
            enter(input)
        }
        graph.add(DotEdge(from: id(output), to: "out"))
        return graph
    }
}
