import NNViz

/// Rendering torchviz-shaped graphs of an RNN cell unrolled 100 and 1,000 steps to PNG with the
/// default options (repeats folded, shared leaves copied per use), from building the graph's DOT
/// text to the PNG bytes.
let graphWorkloads: [Workload] = [100, 1000].map { steps in
    Workload(name: "graph_rnn\(steps)_png", repeats: 5, prepare: {
        let graph = unrolledRNNGraph(steps: steps)
        return {
            guard let png = try? graph.render(format: .png), png.count > 1000 else {
                fatalError("graph_rnn\(steps)_png: rendering failed")
            }
        }
    })
}

/// The graph torchviz draws for `RNNCell(1, 32)` unrolled `steps` times, a `Linear(32, 1)` head and
/// an MSE loss: per step two `AddmmBackward0` (each with a `TBackward0`), an `AddBackward0` and a
/// `TanhBackward0`; the four cell parameters with their `AccumulateGrad` shared by all steps. Nodes
/// are added in the order torchviz's depth-first walk first names them.
private func unrolledRNNGraph(steps: Int) -> DotGraph {
    final class Function {
        let name: String
        let next: [Function?]
        let variable: String?
        init(_ name: String, _ next: [Function?] = [], variable: String? = nil) {
            self.name = name
            self.next = next
            self.variable = variable
        }
    }
    let biasHH = Function("AccumulateGrad", variable: "cell.bias_hh\n (32)")
    let biasIH = Function("AccumulateGrad", variable: "cell.bias_ih\n (32)")
    let weightHH = Function("AccumulateGrad", variable: "cell.weight_hh\n (32, 32)")
    let weightIH = Function("AccumulateGrad", variable: "cell.weight_ih\n (32, 1)")
    var state: Function?
    for _ in 0..<steps {
        let hidden = Function("AddmmBackward0", [biasHH, state, Function("TBackward0", [weightHH])])
        let input = Function("AddmmBackward0", [biasIH, nil, Function("TBackward0", [weightIH])])
        state = Function("TanhBackward0", [Function("AddBackward0", [hidden, input])])
    }
    let head = Function("AddmmBackward0", [Function("AccumulateGrad", variable: "head.bias\n (1)"), state,
                                           Function("TBackward0", [Function("AccumulateGrad", variable: "head.weight\n (1, 32)")])])
    let loss = Function("MseLossBackward0", [head, nil])

    var graph = DotGraph.torchviz()
    var ids: [ObjectIdentifier: String] = [:]
    func id(_ function: Function) -> String {
        if let id = ids[ObjectIdentifier(function)] { return id }
        let id = "f\(ids.count)"
        ids[ObjectIdentifier(function)] = id
        return id
    }
    func mention(_ function: Function) {
        if !graph.contains(node: id(function)) {
            graph.add(DotNode(id: id(function), label: .text(function.name), kind: .function))
        }
    }
    graph.add(DotNode(id: "out", label: "\n ()", kind: .output))
    var seen = Set<ObjectIdentifier>()
    var stack: [(Function, Int)] = []
    func enter(_ function: Function) {
        guard seen.insert(ObjectIdentifier(function)).inserted else { return }
        if let variable = function.variable {
            graph.add(DotNode(id: "v" + id(function), label: .text(variable), kind: .parameter))
            graph.add(DotEdge(from: "v" + id(function), to: id(function)))
        }
        mention(function)
        stack.append((function, 0))
    }
    enter(loss)
    while let (function, index) = stack.last {
        guard index < function.next.count else {
            stack.removeLast()
            continue
        }
        stack[stack.count - 1].1 += 1
        guard let input = function.next[index] else { continue }
        mention(input)
        graph.add(DotEdge(from: id(input), to: id(function)))
        enter(input)
    }
    graph.add(DotEdge(from: id(loss), to: "out"))
    return graph
}
