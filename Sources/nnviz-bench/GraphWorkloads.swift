import NNViz

/// The graph of an `RNNCell(1, 32)` unrolled over `steps` time steps with a `Linear(32, 1)` head and an
/// MSE loss — the graph torchviz's `dot` took over 11 minutes to draw at 100 steps — with the named
/// parameters makeDot labels it with.
private func unrolledRNNLoss(steps: Int) -> (loss: Tensor, params: [(name: String, tensor: Tensor)]) {
    withManualSeed(0) {
        let cell = RNNCell(1, 32), head = Linear(32, 1)
        let x = Tensor.randn([steps, 4, 1])
        var h = Tensor.zeros([4, 32])
        for t in 0..<steps { h = cell(x[t], h) }
        let loss = MSELoss()(head(h), Tensor.zeros([4, 1]))
        let params = cell.namedParameters().map { ("cell." + $0.name, $0.tensor) }
            + head.namedParameters().map { ("head." + $0.name, $0.tensor) }
        return (loss, params)
    }
}

/// makeDot on an unrolled RNN: to PNG with the default options (repeats folded, shared leaves copied
/// per use) at 100 and 1,000 steps, and building the DOT text alone at 1,000 steps.
let graphWorkloads: [Workload] = [100, 1000].map { steps in
    Workload(name: "graph_rnn\(steps)_png", repeats: 5, prepare: {
        let (loss, params) = unrolledRNNLoss(steps: steps)
        return {
            guard let png = try? makeDot(loss, params: params).render(format: .png), png.count > 1000 else {
                fatalError("graph_rnn\(steps)_png: rendering failed")
            }
        }
    })
} + [
    Workload(name: "dot_rnn1000", repeats: 21, prepare: {
        let (loss, params) = unrolledRNNLoss(steps: 1000)
        return { precondition(makeDot(loss, params: params).dotSource.count > 100_000) }
    }),
]
