import NNVizCore

// Binary classification losses: on probabilities (`binaryCrossEntropy`, `BCELoss`) and on logits
// (`binaryCrossEntropyWithLogits`, `BCEWithLogitsLoss`).

// MARK: - Functions

/// Binary cross-entropy `−(t·log p + (1 − t)·log(1 − p))` of probabilities `input` against targets in
/// [0, 1], like `F.binary_cross_entropy` (`BinaryCrossEntropyBackward0`). Each log is clamped at −100 as
/// PyTorch clamps it, so a probability of exactly 0 or 1 gives a finite loss.
///
/// ```swift
/// let p = Tensor([0.9, 0.2])
/// let loss = binaryCrossEntropy(p, Tensor([1.0, 0.0]))   // tensor(0.1643)
/// ```
public func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    BinaryCrossEntropyKernel()(input, target, reduction: reduction)
}

/// Binary cross-entropy of `sigmoid(input)`, computed from the logits without overflow, like
/// `F.binary_cross_entropy_with_logits` (`BinaryCrossEntropyWithLogitsBackward0`).
///
/// ```swift
/// let loss = binaryCrossEntropyWithLogits(Tensor([2.2, -1.4]), Tensor([1.0, 0.0]))   // tensor(0.1628)
/// ```
public func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    BinaryCrossEntropyWithLogitsKernel()(input, target, reduction: reduction)
}

// MARK: - Criteria

/// Binary cross-entropy on probabilities, like `nn.BCELoss(reduction=...)`; put a ``Sigmoid`` before it,
/// or use ``BCEWithLogitsLoss`` on the logits (more stable).
///
/// ```swift
/// let criterion = BCELoss()
/// let loss = criterion(Sigmoid()(logits), labels)
/// ```
public struct BCELoss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        binaryCrossEntropy(input, target, reduction: reduction)
    }
    public func check(_ input: Tensor, _ target: Tensor) throws { try BinaryCrossEntropyKernel().check(input, target) }
}

/// Binary cross-entropy on logits, like `nn.BCEWithLogitsLoss(reduction=...)`.
///
/// ```swift
/// let criterion = BCEWithLogitsLoss()
/// let loss = criterion(model(x), labels)
/// ```
public struct BCEWithLogitsLoss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        binaryCrossEntropyWithLogits(input, target, reduction: reduction)
    }
    public func check(_ input: Tensor, _ target: Tensor) throws {
        try BinaryCrossEntropyWithLogitsKernel().check(input, target)
    }
}

// MARK: - Kernels

/// `binary_cross_entropy` and its backward, as PyTorch's CPU kernels compute them.
struct BinaryCrossEntropyKernel: PointwiseLoss {
    var nodeName: String { "BinaryCrossEntropyBackward0" }
    var kernelName: String { "binary_cross_entropy" }
    var attributes: [SavedValue] { [.attribute("weight", "None")] }

    func value<T: KernelFloat>(_ x: T, _ t: T) -> T {
        (t - 1) * Swift.max(T.log1p(-x), -100) - t * Swift.max(T.log(x), -100)
    }

    /// `g · (x − t) / max((1 − x)·x, 1e-12)`, divided by the count afterwards for a mean.
    func inputGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        let r = g * (x - t) / Swift.max((1 - x) * x, T(1e-12))
        return meanCount.map { r / T($0) } ?? r
    }

    /// `−logit(x) · g` (PyTorch's `binary_cross_entropy_target_backward`).
    func targetGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        let r = -T.log(x / (1 - x)) * g
        return meanCount.map { r / T($0) } ?? r
    }

    func check(_ input: Tensor, _ target: Tensor) throws {
        guard input.shape == target.shape else {
            throw TensorError("Using a target size (\(lossSizeText(target.shape))) that is different to the input size (\(lossSizeText(input.shape))) is deprecated. Please ensure they have the same size.")
        }
        guard target.dtype == input.dtype else {
            throw TensorError("Found dtype \(target.dtype.scalarTypeName) but expected \(input.dtype.scalarTypeName)")
        }
        try input.checkFloatingPoint(kernelName)
        guard input.scalars.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw TensorError("all elements of input should be between 0 and 1")
        }
        guard target.scalars.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw TensorError("all elements of target should be between 0 and 1")
        }
    }
}

/// `binary_cross_entropy_with_logits`: `(1 − t)·x − log σ(x)` with the stable log-sigmoid.
struct BinaryCrossEntropyWithLogitsKernel: PointwiseLoss {
    var nodeName: String { "BinaryCrossEntropyWithLogitsBackward0" }
    var kernelName: String { "binary_cross_entropy_with_logits" }
    var attributes: [SavedValue] { [.attribute("pos_weight", "None"), .attribute("weight", "None")] }

    func value<T: KernelFloat>(_ x: T, _ t: T) -> T {
        (1 - t) * x - LogSigmoidKernel().value(x)
    }

    /// `(σ(x) − t) · g`, divided by the count afterwards for a mean.
    func inputGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        let r = (1 / (1 + T.exp(-x)) - t) * g
        return meanCount.map { r / T($0) } ?? r
    }

    /// `−x · g`.
    func targetGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        let r = -x * g
        return meanCount.map { r / T($0) } ?? r
    }

    func check(_ input: Tensor, _ target: Tensor) throws {
        guard input.shape == target.shape else {
            throw TensorError("Target size (\(lossSizeText(target.shape))) must be the same as input size (\(lossSizeText(input.shape)))")
        }
        try input.checkFloatingPoint(kernelName)
    }
}
