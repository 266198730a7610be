import NNVizCore

/// Multiply-adds of the forward op behind a backward node, read from what the node saved (the operand
/// sizes PyTorch's nodes keep), so any module built from these ops is counted without knowing the module.
///
/// | node | multiply-adds |
/// |---|---|
/// | `AddmmBackward0` (Linear, a recurrent layer's projections) | m·k·n, plus m·n for the bias |
/// | `AddBackward0` adding a parameter (a bias added apart from its product) | output elements |
/// | `MmBackward0`, `MvBackward0`, `DotBackward0` | m·k·n, m·k, k |
/// | `BmmBackward0` (attention's QKᵀ and A·V as batched products) | b·m·k·n |
/// | `ConvolutionBackward0` | output elements × (input channels per group × kernel), plus output elements for the bias (transposed: input elements × weight elements per input channel) |
/// | `…ScaledDotProduct…AttentionBackward0` | batch·L·S·(E + Ev): QKᵀ and the weighted sum of V |
/// | `MkldnnRnnLayerBackward0` (PyTorch's fused LSTM layer) | steps · batch · (weight and bias elements) |
///
/// A bias adds one per output element, as torchinfo counts it (`(weights + bias) × outputs`). Elementwise
/// ops, normalisation and activations count 0, as in torchinfo.
///
/// ```swift
/// let y = Linear(3, 2)(Tensor.randn([4, 3]))
/// print(y.gradFn!.multiplyAdds)   // 32: 4·3·2 products and 4·2 bias adds
/// ```
extension GradFn {
    public var multiplyAdds: Int {
        switch name {
        case "AddmmBackward0":
            guard let a = savedSizes("mat1_sym_sizes"), let b = savedSizes("mat2_sym_sizes"), a.count == 2, b.count == 2 else { return 0 }
            return a[0] * a[1] * b[1] + a[0] * b[1]
        case "MmBackward0":
            guard let a = savedSizes("self_sym_sizes"), let b = savedSizes("mat2_sym_sizes"), a.count == 2, b.count == 2 else { return 0 }
            return a[0] * a[1] * b[1]
        case "BmmBackward0":
            guard let a = savedShape("self"), let b = savedShape("mat2"), a.count == 3, b.count == 3 else { return 0 }
            return a[0] * a[1] * a[2] * b[2]
        case "MvBackward0":
            return savedShape("self").map { $0.reduce(1, *) } ?? 0
        case "DotBackward0":
            return savedShape("self").map { $0.reduce(1, *) } ?? 0
        case "AddBackward0":
            // A bias added apart from its product (a Linear on a strided input, a recurrent layer's
            // input projection): one per output element.
            return nextFunctions.contains { $0?.variable != nil } ? outputShape.reduce(1, *) : 0
        case "MkldnnRnnLayerBackward0":
            // PyTorch's fused LSTM layer: inputs (sequence, weights and biases…, h0, c0), output (steps, batch,
            // hidden); every weight and bias element is used once per step and batch row.
            let inputs = nextFunctions
            guard outputShape.count == 3, inputs.count > 3 else { return 0 }
            let parameters = inputs[1..<(inputs.count - 2)].reduce(0) { $0 + ($1?.variable?.count ?? 0) }
            return outputShape[0] * outputShape[1] * parameters
        case "ConvolutionBackward0":
            guard let weight = savedShape("weight"), weight.count >= 3 else { return 0 }
            let perOutput = weight.dropFirst().reduce(1, *)
            if savedAttribute("transposed") == "True" {
                guard let input = savedShape("input") else { return 0 }
                return input.reduce(1, *) * perOutput
            }
            let outputs = outputShape.reduce(1, *)
            let hasBias = (savedSizes("bias_sym_sizes_opt")?.first ?? 0) > 0
            return outputs * perOutput + (hasBias ? outputs : 0)
        default:
            guard name.contains("ScaledDotProduct"), let q = savedShape("query"), let k = savedShape("key"),
                  let v = savedShape("value"), q.count >= 2, k.count >= 2, v.count >= 2 else { return 0 }
            let batch = q.dropLast(2).reduce(1, *), l = q[q.count - 2], e = q[q.count - 1]
            let s = k[k.count - 2], ev = v[v.count - 1]
            return batch * l * s * (e + ev)
        }
    }

    private func savedShape(_ name: String) -> [Int]? {
        guard let entry = saved.first(where: { $0.name == name }), case .tensor(let shape) = entry.value else { return nil }
        return shape
    }

    private func savedAttribute(_ name: String) -> String? {
        guard let entry = saved.first(where: { $0.name == name }), case .attribute(let text) = entry.value else { return nil }
        return text
    }

    /// A size tuple attribute (`(2, 3)`, `(4,)`) as integers.
    private func savedSizes(_ name: String) -> [Int]? {
        guard let text = savedAttribute(name), text.hasPrefix("("), text.hasSuffix(")") else { return nil }
        let sizes = text.dropFirst().dropLast().split(separator: ",").map { Int($0.filter { !$0.isWhitespace }) }
        return sizes.contains(nil) ? nil : sizes.map { $0! }
    }
}
