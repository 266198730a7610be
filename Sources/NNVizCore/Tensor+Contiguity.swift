extension Tensor {
    /// Whether PyTorch would call this tensor contiguous: false for the results of `t()`, `transpose` and
    /// `permute` (which PyTorch returns as strided views), true otherwise. Ops that behave differently on
    /// non-contiguous input in PyTorch (`reshape`, `nn.Linear` on 3-D input) read it to record the same graph.
    ///
    /// ```swift
    /// Tensor.ones([2, 3]).t().isContiguous   // false
    /// ```
    public var isContiguous: Bool { viewStrides == nil || viewStrides! == Tensor.contiguousStrides(shape) }
}
