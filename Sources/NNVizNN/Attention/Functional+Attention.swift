import NNVizCore

// Multi-head self-attention as `F.multi_head_attention_forward` runs it on CPU, node for node: the packed
// in-projection, the per-head split, then either the explicit product/softmax path (`need_weights=True`,
// what `nn.MultiheadAttention(x, x, x)` runs) or `scaled_dot_product_attention` (`need_weights=False`,
// what `nn.TransformerEncoderLayer` runs): one fused `ScaledDotProductFlashAttentionForCpuBackward0`
// without dropout, its decomposed math path with `SafeSoftmaxBackward0` and a dropout mask otherwise.

// MARK: - Self-attention

/// The weights of one multi-head attention, in PyTorch's packed layout.
struct AttentionWeights {
    let inProjWeight: Tensor
    let inProjBias: Tensor?
    let outProjWeight: Tensor
    let outProjBias: Tensor?
    let numHeads: Int
}

/// Self-attention of `x` ((L, N, E), or (N, L, E) when `batchFirst`, or unbatched (L, E)), returning the
/// attention output and, with `needWeights`, the attention weights averaged over the heads ((N, L, L)).
/// `dropoutP` drops attention weights (training only: callers pass 0 in evaluation mode).
func selfAttention(_ x: Tensor, _ weights: AttentionWeights, batchFirst: Bool, needWeights: Bool, dropoutP: Double,
                   generator: Generator) -> (output: Tensor, weights: Tensor?) {
    let batched = x.ndim == 3
    let heads = weights.numHeads
    let roles: [Tensor], length: Int, batch: Int, embed: Int
    if batched {
        // Query, key and value are one tensor: `_in_projection_packed` runs one linear, then
        // unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous().
        let query = batchFirst ? x.transpose(1, 0) : x
        length = query.shape[0]
        batch = query.shape[1]
        embed = query.shape[2]
        let packed = linear(query, weights.inProjWeight, weights.inProjBias).view([length, batch, 3, embed]).unsqueeze(0)
        let split = recordedClone(recordedSqueeze(recordedTranspose(packed, 0, -2), -2))
        roles = (0..<3).map { split.select(0, $0) }
    } else {
        // Unbatched input is unsqueezed once per role, so the three are no longer one tensor: the packed
        // weight and bias are chunked (`SplitBackward0`) and each role gets its own linear.
        length = x.shape[0]
        batch = 1
        embed = x.shape[1]
        let w = recordedChunk3(weights.inProjWeight), b = weights.inProjBias.map(recordedChunk3)
        roles = (0..<3).map { linear(x.unsqueeze(1), w[$0], b?[$0]) }
    }
    let headDim = embed / heads
    func perHead(_ t: Tensor) -> Tensor { t.view([length, batch * heads, headDim]).transpose(0, 1) }
    let q = perHead(roles[0]), k = perHead(roles[1]), v = perHead(roles[2])

    var output: Tensor
    var averaged: Tensor?
    if needWeights {
        let scores = (q * (1 / Double(headDim)).squareRoot()).bmm(recordedTranspose(k, -2, -1))
        var attention = scores.softmax(dim: -1)
        if dropoutP > 0 { attention = dropout(attention, p: dropoutP, generator: generator) }
        output = attention.bmm(v).transpose(0, 1).reshape([length * batch, embed])
        averaged = attention.view([batch, heads, length, length]).mean(dim: 1)
    } else {
        let shape = [batch, heads, length, headDim]
        let attended = scaledDotProductAttention(q.view(shape), k.view(shape), v.view(shape), dropoutP: dropoutP,
                                                 generator: generator).permute([2, 0, 1, 3])
        // The fused kernel's output is laid out (L, N, H, d), so the permuted result is contiguous (a view);
        // the decomposed path's is not (a copy).
        output = dropoutP > 0 ? attended.reshape([length * batch, embed]) : attended.view([length * batch, embed])
    }
    output = linear(output, weights.outProjWeight, weights.outProjBias).view([length, batch, embed])
    if !batched { return (output.squeeze(1), averaged?.squeeze(0)) }
    return (batchFirst ? output.transpose(1, 0) : output, averaged)
}

// MARK: - Scaled dot-product attention

/// `softmax(q·kᵀ/√d)·v` over (N, H, L, d) query, key and value laid out as multi-head attention's
/// in-projection leaves them, recorded as PyTorch's CPU dispatch records `F.scaled_dot_product_attention`:
/// without dropout the fused flash kernel (one node), with dropout its decomposed math path.
func scaledDotProductAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, dropoutP: Double, generator: Generator) -> Tensor {
    dropoutP > 0 ? attentionMath(q, k, v, dropoutP: dropoutP, generator: generator) : attentionFlash(q, k, v)
}

/// The decomposed path: q and kᵀ each scaled by `(1/√d)^½` (`MulBackward1`), expanded and reshaped for
/// `matmul` (`ExpandBackward0`, `ReshapeAliasBackward0`), `BmmBackward0`, `SafeSoftmaxBackward0`, the
/// dropout mask (`MulBackward0`), and the product with v.
private func attentionMath(_ q: Tensor, _ k: Tensor, _ v: Tensor, dropoutP: Double, generator: Generator) -> Tensor {
    let (batch, heads, length, headDim) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let sourceLength = k.shape[2], groups = batch * heads
    let scale = (1 / Double(headDim).squareRoot()).squareRoot()
    let query = recordedReshapeAlias(recordedExpand(recordedScale(q, scale)), [groups, length, headDim])
    let keyT = recordedReshapeAlias(recordedExpand(recordedScale(recordedTranspose(k, -2, -1), scale)),
                                    [groups, headDim, sourceLength])
    let scores = unsafeView(query.bmm(keyT), [batch, heads, length, sourceLength])
    let attention = dropout(scores.safeSoftmax(dim: -1), p: dropoutP, generator: generator)
    let value = recordedReshapeAlias(recordedExpand(v), [groups, sourceLength, headDim])
    let product = recordedExpand(attention).view([groups, length, sourceLength]).bmm(value)
    return unsafeView(product, [batch, heads, length, headDim])
}

/// The fused CPU kernel (`ScaledDotProductFlashAttentionForCpuBackward0`, saving query, key, value, the
/// output and the rows' log-sum-exp): the forward keeps the softmax, the backward runs the flash
/// attention gradient (dV = Pᵀ·dO, dS = P ∘ (dO·Vᵀ − rowsum(dO ∘ O)), dQ = dS·K/√d, dK = dSᵀ·Q/√d).
private func attentionFlash(_ q: Tensor, _ k: Tensor, _ v: Tensor) -> Tensor {
    let (batch, heads, length, headDim) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let sourceLength = k.shape[2], groups = batch * heads
    let scale = 1 / Double(headDim).squareRoot()
    let query = q.detach().view([groups, length, headDim])
    let key = k.detach().view([groups, sourceLength, headDim])
    let value = v.detach().view([groups, sourceLength, headDim])
    let probabilities = (query.bmm(key.transpose(1, 2)) * scale).softmax(dim: -1)
    let output = probabilities.bmm(value)
    let saved: [SavedValue] = [
        .attribute("attn_mask", "None"), .attribute("dropout_p", "0.0"), .attribute("is_causal", "False"),
        .tensor("key", shape: k.shape), .tensor("logsumexp", shape: [batch, heads, length]),
        .tensor("output", shape: q.shape), .tensor("query", shape: q.shape), .attribute("scale", "None"),
        .tensor("value", shape: v.shape),
    ]
    let shape = q.shape, keyShape = k.shape, valueShape = v.shape
    return Tensor.function("ScaledDotProductFlashAttentionForCpuBackward0", inputs: [q, k, v], saved: saved,
                           output: output.view(shape)) { grad in
        let g = grad.view([groups, length, headDim])
        let dValue = probabilities.transpose(1, 2).bmm(g)
        let dProbabilities = g.bmm(value.transpose(1, 2))
        let rowDots = (g * output).sum(dim: -1, keepdim: true)
        let dScores = probabilities * (dProbabilities - rowDots) * scale
        let dQuery = dScores.bmm(key)
        let dKey = dScores.transpose(1, 2).bmm(query)
        return [dQuery.view(shape), dKey.view(keyShape), dValue.view(valueShape)]
    }
}

// MARK: - Recorded shape functions

// Shape functions recorded under PyTorch's node names with its saved attributes (negative dimensions
// kept as given, printed as PyTorch prints an int64 attribute: -2 as 18446744073709551614), where the
// core's own functions record another node or normalise the dimension. The value is computed on a
// detached copy; the backward maps the gradient back.

/// A dimension attribute as PyTorch prints a saved int64.
private func dimAttribute(_ dim: Int) -> String { String(UInt64(bitPattern: Int64(dim))) }

/// `t.transpose(dim0, dim1)` (`TransposeBackward0`).
private func recordedTranspose(_ t: Tensor, _ dim0: Int, _ dim1: Int) -> Tensor {
    Tensor.function("TransposeBackward0", inputs: [t],
                    saved: [.attribute("dim0", dimAttribute(dim0)), .attribute("dim1", dimAttribute(dim1))],
                    output: t.detach().transpose(dim0, dim1)) { g in [g.transpose(dim0, dim1)] }
}

/// `t.squeeze(dim)` of a size-1 dimension (`SqueezeBackward1`).
private func recordedSqueeze(_ t: Tensor, _ dim: Int) -> Tensor {
    let original = t.shape
    return Tensor.function("SqueezeBackward1", inputs: [t],
                           saved: [.attribute("dim", dimAttribute(dim)), .sizes("self_sym_sizes", original)],
                           output: t.detach().squeeze(dim)) { g in [g.view(original)] }
}

/// `t.contiguous()` of a non-contiguous view (`CloneBackward0`).
private func recordedClone(_ t: Tensor) -> Tensor {
    Tensor.function("CloneBackward0", inputs: [t], output: t.detach()) { g in [g] }
}

/// `t.expand(t.shape)` as `matmul` expands its operands, stretching nothing (`ExpandBackward0`).
private func recordedExpand(_ t: Tensor) -> Tensor {
    Tensor.function("ExpandBackward0", inputs: [t], saved: [.sizes("self_sym_sizes", t.shape)],
                    output: t.detach()) { g in [g] }
}

/// `t.reshape(shape)` of a non-contiguous tensor whose strides allow a view (`ReshapeAliasBackward0`).
private func recordedReshapeAlias(_ t: Tensor, _ shape: [Int]) -> Tensor {
    let original = t.shape
    return Tensor.function("ReshapeAliasBackward0", inputs: [t], saved: [.sizes("self_sym_sizes", original)],
                           output: t.detach().view(shape)) { g in [g.view(original)] }
}

/// `t.chunk(3)` along dimension 0 (one `SplitBackward0` node for the three parts).
private func recordedChunk3(_ t: Tensor) -> [Tensor] {
    let size = t.shape[0] / 3, original = t.shape
    let parts = (0..<3).map { t.detach().narrow(0, $0 * size, size) }
    return Tensor.multiOutputFunction("SplitBackward0", inputs: [t],
                                      saved: [.attribute("dim", "0"), .sizes("self_sym_sizes", original),
                                              .attribute("split_size", "\(size)")],
                                      outputs: parts) { grads in
        let filled = zip(parts, grads).map { part, grad in grad ?? Tensor.zeros(part.shape, dtype: part.dtype) }
        return [Tensor.cat(filled, dim: 0)]
    }
}

/// `t * s` for a Python float `s` (`MulBackward1`, saving the number).
private func recordedScale(_ t: Tensor, _ s: Double) -> Tensor {
    Tensor.function("MulBackward1", inputs: [t], saved: [.attribute("other", pythonFloat(s))],
                    output: t.detach() * s) { g in [g * s] }
}
