import NNVizCore

// Multi-class losses: negative log-likelihood of log-probabilities (`nllLoss`, `NLLLoss`) and
// cross-entropy of logits (`crossEntropy`, `CrossEntropyLoss`). Inputs are (C) or (N, C) with int64
// class indices of shape () or (N); cross-entropy also takes class probabilities shaped like the input.

// MARK: - Functions

/// Negative log-likelihood `−input[i, target[i]]` of log-probabilities, like `F.nll_loss`
/// (`NllLossBackward0`). `weight` (one per class) scales each sample's term and, for the mean, the
/// divisor is the sum of the weights of the targets counted; targets equal to `ignoreIndex` count for
/// nothing (and give 0 with `.none`).
///
/// ```swift
/// let logProbabilities = logits.logSoftmax(dim: 1)
/// let loss = nllLoss(logProbabilities, Tensor([1, 0, 4, 2]))
/// ```
public func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: Reduction = .mean) -> Tensor {
    do { try checkNLL(input, target, weight: weight, ignoreIndex: ignoreIndex) } catch { preconditionFailure("\(error)") }
    let classes = input.ndim == 1 ? input.count : input.shape[1]
    let targets = target.scalars.map { Int($0) }
    var saved: [SavedValue] = [
        .attribute("ignore_index", String(UInt64(bitPattern: Int64(ignoreIndex)))),
        .attribute("reduction", "\(reduction.code)"), .tensor("self", shape: input.shape),
        .tensor("target", shape: target.shape, dtype: .int64), .tensor("total_weight", shape: []),
    ]
    saved.append(weight.map { .tensor("weight", shape: $0.shape) } ?? .attribute("weight", "None"))
    let inputShape = input.shape
    func run<T: KernelFloat>(_: T.Type) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let w: [T]? = weight.map { T.elementValues(of: $0) }
        var losses = [T](repeating: 0, count: targets.count)
        var total: T = 0, totalWeight: T = 0
        for (i, t) in targets.enumerated() where t != ignoreIndex {
            let weightOfClass = w?[t] ?? 1
            losses[i] = -x[i * classes + t] * weightOfClass
            total -= x[i * classes + t] * weightOfClass
            totalWeight += weightOfClass
        }
        let out: Tensor
        switch reduction {
        case .none: out = T.elementTensor(losses, shape: target.shape)
        case .sum: out = T.elementTensor([total], shape: [])
        case .mean: out = T.elementTensor([total / totalWeight], shape: [])
        }
        return Tensor.function("NllLossBackward0", inputs: [input], saved: saved, output: out) { grad in
            let g: [T] = T.elementValues(of: grad)
            var gx = [T](repeating: 0, count: x.count)
            for (i, t) in targets.enumerated() where t != ignoreIndex {
                if reduction == .none {
                    gx[i * classes + t] = -(w?[t] ?? 1) * g[i]
                } else {
                    let scaled = -(reduction == .mean ? g[0] / totalWeight : g[0])
                    gx[i * classes + t] = w.map { $0[t] * scaled } ?? scaled
                }
            }
            return [T.elementTensor(gx, shape: inputShape)]
        }
    }
    return input.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// Cross-entropy of logits, like `F.cross_entropy`: `nllLoss(input.logSoftmax(dim: 1), target)` for
/// int64 class indices (graph `NllLossBackward0` ← `LogSoftmaxBackward0`), or, when `target` has the
/// input's shape, `−Σ target · logSoftmax(input)` over classes for class probabilities, recorded with the
/// ops PyTorch uses (`MulBackward0`, `SumBackward0`, `NegBackward0`, and for the mean `DivBackward1` by the
/// number of samples). `ignoreIndex` applies to class indices only.
///
/// ```swift
/// let logits = Tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requiresGrad: true)   // (N, C)
/// let loss = crossEntropy(logits, Tensor([0, 2]))   // tensor(0.1755, grad_fn=<NllLossBackward0>)
/// ```
public func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: Reduction = .mean) -> Tensor {
    do { try checkCrossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex) } catch { preconditionFailure("\(error)") }
    let classDim = input.ndim == 1 ? 0 : 1
    let logProbabilities = input.logSoftmax(dim: classDim)
    guard input.shape == target.shape else {
        return nllLoss(logProbabilities, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
    var products = logProbabilities * target
    if let weight {
        var broadcastShape = [Int](repeating: 1, count: input.ndim)
        broadcastShape[classDim] = weight.count
        products = products * weight.reshape(broadcastShape)
    }
    switch reduction {
    case .none:
        return -products.sum(dim: classDim)
    case .sum:
        return -products.sum()
    case .mean:
        // PyTorch divides by the integer sample count (`div(Tensor, Scalar)`: `DivBackward1`).
        let negated = -products.sum()
        let samples = input.count / Swift.max(input.shape[classDim], 1)
        let value = noGrad { samples == 0 ? negated * Double.nan : negated / Double(samples) }
        return Tensor.function("DivBackward1", inputs: [negated], saved: [.attribute("other", "\(samples)")],
                               output: value) { g in [noGrad { g / Double(samples) }] }
    }
}

// MARK: - Checks

/// Throws the error ``nllLoss(_:_:weight:ignoreIndex:reduction:)`` would stop with, in PyTorch's words:
/// wrong dimensions, a batch-size mismatch, non-integer targets, a class weight of the wrong length or
/// a target class out of range.
public func checkNLL(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100) throws {
    guard input.ndim >= 1 else { throw TensorError("Expected 1 or more dimensions (got 0)") }
    guard input.ndim <= 2 else {
        throw TensorError("nll_loss: nnviz takes (C) or (N, C) inputs, got \(lossSizeText(input.shape)); reshape the extra dimensions into N")
    }
    if input.ndim == 2, target.ndim >= 1, input.shape[0] != target.shape[0] {
        throw TensorError("Expected input batch_size (\(input.shape[0])) to match target batch_size (\(target.shape[0])).")
    }
    guard target.ndim <= 1 else { throw TensorError("0D or 1D target tensor expected, multi-target not supported") }
    guard input.ndim == 2 || target.ndim == 0 else {
        throw TensorError("size mismatch (got input: \(lossSizeText(input.shape)), target: \(lossSizeText(target.shape)))")
    }
    guard target.dtype == .int64 else {
        throw TensorError("expected target dtype to be Long or Byte, but got \(target.dtype.scalarTypeName)")
    }
    try input.checkFloatingPoint("nll_loss_out_frame")
    let classes = input.ndim == 1 ? input.count : input.shape[1]
    if let weight, weight.count != classes || weight.ndim != 1 {
        throw TensorError("weight tensor should be defined either for all \(classes) classes or no classes but got weight tensor of shape: \(lossSizeText(weight.shape))")
    }
    if let weight, weight.dtype != input.dtype {
        throw TensorError("expected scalar type \(input.dtype.scalarTypeName) but found \(weight.dtype.scalarTypeName)")
    }
    for value in target.scalars.map({ Int($0) }) where value != ignoreIndex && !(0..<classes).contains(value) {
        throw TensorError("Target \(value) is out of bounds.")
    }
}

/// Throws the error ``crossEntropy(_:_:weight:ignoreIndex:reduction:)`` would stop with: for a target
/// shaped like the input (class probabilities), a non-float target; otherwise the errors of
/// ``checkNLL(_:_:weight:ignoreIndex:)``.
public func checkCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100) throws {
    guard input.shape == target.shape else {
        try input.checkSoftmax(dim: input.ndim == 1 ? 0 : 1, logarithm: true)
        return try checkNLL(input, target, weight: weight, ignoreIndex: ignoreIndex)
    }
    guard target.dtype.isFloatingPoint else {
        throw TensorError("Expected floating point type for target with class probabilities, got \(target.dtype.scalarTypeName)")
    }
    try input.checkSoftmax(dim: input.ndim == 1 ? 0 : 1, logarithm: true)
    let classes = input.ndim == 1 ? input.count : input.shape[1]
    if let weight, weight.count != classes || weight.ndim != 1 {
        throw TensorError("weight tensor should be defined either for all \(classes) classes or no classes but got weight tensor of shape: \(lossSizeText(weight.shape))")
    }
}

// MARK: - Criteria

/// Negative log-likelihood of log-probabilities, like `nn.NLLLoss(weight=..., ignore_index=..., reduction=...)`;
/// put a ``LogSoftmax`` before it, or use ``CrossEntropyLoss`` on the logits.
///
/// ```swift
/// let model = Sequential(Linear(4, 3), LogSoftmax(dim: 1))
/// let loss = NLLLoss()(model(x), labels)
/// ```
public struct NLLLoss: Loss {
    /// One weight per class, or nil for equal weights.
    public var weight: Tensor?
    public var ignoreIndex: Int
    public var reduction: Reduction
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
    }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        nllLoss(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
    public func check(_ input: Tensor, _ target: Tensor) throws {
        try checkNLL(input, target, weight: weight, ignoreIndex: ignoreIndex)
    }
}

/// Cross-entropy of logits against class indices or class probabilities, like
/// `nn.CrossEntropyLoss(weight=..., ignore_index=..., reduction=...)`.
///
/// ```swift
/// let criterion = CrossEntropyLoss()
/// let loss = criterion(model(images), labels)   // labels: int64 (N)
/// ```
public struct CrossEntropyLoss: Loss {
    /// One weight per class, or nil for equal weights.
    public var weight: Tensor?
    public var ignoreIndex: Int
    public var reduction: Reduction
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
    }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        crossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
    public func check(_ input: Tensor, _ target: Tensor) throws {
        try checkCrossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex)
    }
}
