import NNViz

/// The optimizers' and data loader's workloads: one update of the 100→1000→10 network's 110,000
/// parameters, and one shuffled epoch over an MNIST-sized dataset.
let optimizerWorkloads: [Workload] = [
    // One SGD step with Nesterov momentum and weight decay (the blog network's optimizer) on 110,000 floats.
    Workload(name: "sgd_nesterov_step_110k", repeats: 201) {
        let opt = SGD(networkParameters(), lr: 1e-5, momentum: 0.8, weightDecay: 1e-8, nesterov: true)
        opt.step()
        return { opt.step() }
    },
    // One Adam step on the same 110,000 floats.
    Workload(name: "adam_step_110k", repeats: 201) {
        let opt = Adam(networkParameters(), lr: 1e-3)
        opt.step()
        return { opt.step() }
    },
    // One shuffled epoch of 64-sample batches over 60,000 rows of 784 floats with int64 labels.
    Workload(name: "dataloader_epoch_60k", repeats: 11) {
        let generator = Generator(seed: 0)
        let x = Tensor.rand([60_000, 784], generator: generator)
        let y = Tensor(shape: [60_000], values: (0..<60_000).map { Double($0 % 10) }, dtype: .int64)
        let loader = DataLoader(TensorDataset(x, y), batchSize: 64, shuffle: true, generator: generator)
        return {
            var rows = 0
            for (batch, _) in loader { rows += batch.shape[0] }
            precondition(rows == 60_000)
        }
    },
]

/// Weights shaped like the blog network's (1000 × 100 and 10 × 1000) with random gradients.
private func networkParameters() -> [Tensor] {
    let generator = Generator(seed: 0)
    return [[1000, 100], [10, 1000]].map { shape in
        let p = Tensor.randn(shape, generator: generator).requiresGrad_()
        p.grad = Tensor.randn(shape, generator: generator)
        return p
    }
}
