import NNVizCore

// Regression losses: functions (`mseLoss(y, target)`) and criteria (`MSELoss()`). Input and target must
// have the same shape (see `Loss.check`).

// MARK: - Functions

/// Mean squared error `(input − target)²`, like `F.mse_loss` (one `MseLossBackward0`).
///
/// ```swift
/// let loss = mseLoss(Tensor([[2.0]]), Tensor([[1.0]]))   // tensor(1.)
/// ```
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    MseKernel()(input, target, reduction: reduction)
}

/// Mean absolute error `|input − target|`, like `F.l1_loss`. PyTorch builds it from ops, so the graph is
/// `MeanBackward0` (or `SumBackward0`) ← `AbsBackward0` ← `SubBackward0`.
///
/// ```swift
/// let loss = l1Loss(Tensor([2.0, -1.0]), Tensor([1.0, 1.0]))   // tensor(1.5000)
/// ```
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    do { try checkSameSize(input, target) } catch { preconditionFailure("\(error)") }
    let difference = (input - target).abs()
    switch reduction {
    case .none: return difference
    case .mean: return difference.mean()
    case .sum: return difference.sum()
    }
}

/// Squared error below `beta` (divided by `beta`), absolute error above, like `F.smooth_l1_loss`
/// (`SmoothL1LossBackward0`). `beta = 0` is the L1 loss, recorded as ``l1Loss(_:_:reduction:)`` is.
///
/// ```swift
/// let loss = smoothL1Loss(prediction, target, beta: 0.5)
/// ```
public func smoothL1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, beta: Double = 1) -> Tensor {
    precondition(beta >= 0, "smooth_l1_loss does not support negative values for beta.")
    if beta == 0 { return l1Loss(input, target, reduction: reduction) }
    return SmoothL1Kernel(beta: beta)(input, target, reduction: reduction)
}

/// Squared error below `delta`, `delta`-scaled absolute error above, like `F.huber_loss`
/// (`HuberLossBackward0`).
///
/// ```swift
/// let loss = huberLoss(prediction, target, delta: 2)
/// ```
public func huberLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, delta: Double = 1) -> Tensor {
    precondition(delta > 0, "huber_loss does not support non-positive values for delta.")
    return HuberKernel(delta: delta)(input, target, reduction: reduction)
}

// MARK: - Criteria

/// Mean squared error, like `nn.MSELoss(reduction=...)`.
///
/// ```swift
/// let criterion = MSELoss()
/// let loss = criterion(model(x), y)   // grad_fn=<MseLossBackward0>
/// ```
public struct MSELoss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor { mseLoss(input, target, reduction: reduction) }
    public func check(_ input: Tensor, _ target: Tensor) throws { try MseKernel().check(input, target) }
}

/// Mean absolute error, like `nn.L1Loss(reduction=...)`.
///
/// ```swift
/// let loss = L1Loss(reduction: .sum)(prediction, target)
/// ```
public struct L1Loss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor { l1Loss(input, target, reduction: reduction) }
    public func check(_ input: Tensor, _ target: Tensor) throws { try checkSameSize(input, target) }
}

/// Smooth L1 loss with threshold `beta`, like `nn.SmoothL1Loss(reduction=..., beta=...)`.
///
/// ```swift
/// let criterion = SmoothL1Loss(beta: 0.5)
/// ```
public struct SmoothL1Loss: Loss {
    public var reduction: Reduction
    public var beta: Double
    public init(reduction: Reduction = .mean, beta: Double = 1) {
        precondition(beta >= 0, "smooth_l1_loss does not support negative values for beta.")
        self.reduction = reduction
        self.beta = beta
    }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        smoothL1Loss(input, target, reduction: reduction, beta: beta)
    }
    public func check(_ input: Tensor, _ target: Tensor) throws {
        if beta == 0 { try checkSameSize(input, target) } else { try SmoothL1Kernel(beta: beta).check(input, target) }
    }
}

/// Huber loss with threshold `delta`, like `nn.HuberLoss(reduction=..., delta=...)`.
///
/// ```swift
/// let criterion = HuberLoss(delta: 2)
/// ```
public struct HuberLoss: Loss {
    public var reduction: Reduction
    public var delta: Double
    public init(reduction: Reduction = .mean, delta: Double = 1) {
        precondition(delta > 0, "huber_loss does not support non-positive values for delta.")
        self.reduction = reduction
        self.delta = delta
    }
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        huberLoss(input, target, reduction: reduction, delta: delta)
    }
    public func check(_ input: Tensor, _ target: Tensor) throws { try HuberKernel(delta: delta).check(input, target) }
}

// MARK: - Kernels

/// `mse_loss` and its backward, as PyTorch's CPU kernels compute them.
struct MseKernel: PointwiseLoss {
    var nodeName: String { "MseLossBackward0" }
    var kernelName: String { "mse_cpu" }
    var attributes: [SavedValue] { [] }
    func value<T: KernelFloat>(_ x: T, _ t: T) -> T { (x - t) * (x - t) }
    func inputGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        T(meanCount.map { 2 / Double($0) } ?? 2) * (x - t) * g
    }
}

/// `smooth_l1_loss` and its backward.
struct SmoothL1Kernel: PointwiseLoss {
    let beta: Double
    var nodeName: String { "SmoothL1LossBackward0" }
    var kernelName: String { "smooth_l1_cpu" }
    var attributes: [SavedValue] { [.attribute("beta", pythonFloat(beta))] }
    func value<T: KernelFloat>(_ x: T, _ t: T) -> T {
        let z = Swift.abs(x - t), b = T(beta)
        return z < b ? T(0.5) * z * z / b : z - T(0.5) * b
    }
    func inputGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        let norm = T(meanCount.map { 1 / Double($0) } ?? 1), b = T(beta), d = x - t
        return d <= -b ? -norm * g : (d >= b ? norm * g : norm * d * g / b)
    }
}

/// `huber_loss` and its backward.
struct HuberKernel: PointwiseLoss {
    let delta: Double
    var nodeName: String { "HuberLossBackward0" }
    var kernelName: String { "huber_cpu" }
    var attributes: [SavedValue] { [.attribute("delta", pythonFloat(delta))] }
    func value<T: KernelFloat>(_ x: T, _ t: T) -> T {
        let z = Swift.abs(x - t), c = T(delta)
        return z < c ? T(0.5) * z * z : c * (z - T(0.5) * c)
    }
    func inputGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        let norm = T(meanCount.map { 1 / Double($0) } ?? 1), c = T(delta), d = x - t
        return d <= -c ? -norm * g * c : (d >= c ? norm * g * c : norm * d * g)
    }
}
