import NNViz

/// The core's workloads: per-op overhead of the autograd engine, and BLAS-backed products.
let coreWorkloads: [Workload] = [
    // 10,000 scalar steps y = y * 0.9999 + 0.0001, forward and backward (PyTorch CPU here: ~0.17 s).
    Workload(name: "scalar_chain_10k", repeats: 21) {
        return {
            let x = Tensor(1.0, requiresGrad: true)
            var y = x
            for _ in 0..<10_000 { y = y * 0.9999 + 0.0001 }
            y.backward()
            precondition(x.grad != nil)
        }
    },
    // One 256×256 float32 matrix product through cblas_sgemm.
    Workload(name: "matmul_256", repeats: 51) {
        let a = Tensor.randn([256, 256]), b = Tensor.randn([256, 256])
        return { precondition(a.mm(b).count == 65_536) }
    },
]
