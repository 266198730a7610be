import Foundation
import NNVizCore

/// The base class of learning-rate schedulers, like `torch.optim.lr_scheduler.LRScheduler`.
///
/// Creating a scheduler records each group's starting rate (`initialLR`, kept if an earlier scheduler set
/// it) and takes the initial step (epoch 0), which leaves the rates unchanged. Each ``step()`` advances the
/// epoch and writes the rates of ``computeLR()`` into the optimizer. The schedulers use PyTorch's
/// recursive ("chainable") forms, which derive the new rate from the current one, so their rounding
/// drifts exactly as PyTorch's does and they compose with rate changes made elsewhere.
///
/// ```swift
/// let opt = SGD(model.parameters(), lr: 0.1)
/// let scheduler = StepLR(opt, stepSize: 30, gamma: 0.1)
/// for _ in 0..<100 {
///     train(); opt.step()
///     scheduler.step()
/// }
/// ```
open class LRScheduler {
    /// The optimizer whose rates this scheduler sets.
    public let optimizer: Optimizer
    /// Each group's rate when the scheduler was created (PyTorch's `base_lrs`).
    public let baseLRs: [Double]
    /// The number of steps taken, 0 after creation (PyTorch's `last_epoch`).
    public private(set) var lastEpoch = -1
    /// The rates set by the latest step, one per group (PyTorch's `get_last_lr()`).
    public private(set) var lastLR: [Double] = []
    /// True during the initial step taken by the initialiser.
    public private(set) var isInitialStep = false

    /// Attaches the scheduler to `optimizer` and takes the initial step.
    public init(_ optimizer: Optimizer) {
        self.optimizer = optimizer
        for i in optimizer.paramGroups.indices where optimizer.paramGroups[i].initialLR == nil {
            optimizer.paramGroups[i].initialLR = optimizer.paramGroups[i].lr
        }
        baseLRs = optimizer.paramGroups.map { $0.initialLR! }
        isInitialStep = true
        step()
        isInitialStep = false
    }

    /// Advances one epoch and sets every group's learning rate. Call it after ``Optimizer/step()``.
    public func step() {
        lastEpoch += 1
        let rates = computeLR()
        for (i, lr) in rates.enumerated() { optimizer.paramGroups[i].lr = lr }
        lastLR = optimizer.paramGroups.map(\.lr)
    }

    /// The rates for epoch ``lastEpoch``, one per group (PyTorch's `get_lr()`); subclasses override it.
    open func computeLR() -> [Double] {
        preconditionFailure("\(type(of: self)) must override computeLR()")
    }

    /// The current rate of every group.
    var currentLRs: [Double] { optimizer.paramGroups.map(\.lr) }
}

/// Multiplies the learning rate by `gamma` every `stepSize` epochs, like `StepLR`.
///
/// ```swift
/// let scheduler = StepLR(opt, stepSize: 3, gamma: 0.5)   // 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, …
/// ```
public final class StepLR: LRScheduler {
    /// Epochs between decays.
    public let stepSize: Int
    /// Factor applied at each decay.
    public let gamma: Double

    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "step_size must be a positive integer, got \(stepSize)")
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(optimizer)
    }

    public override func computeLR() -> [Double] {
        if lastEpoch == 0 || lastEpoch % stepSize != 0 { return currentLRs }
        return currentLRs.map { $0 * gamma }
    }
}

/// Multiplies the learning rate by `gamma` every epoch, like `ExponentialLR`.
///
/// ```swift
/// let scheduler = ExponentialLR(opt, gamma: 0.9)   // 0.1, 0.09000000000000001, 0.08100000000000002, …
/// ```
public final class ExponentialLR: LRScheduler {
    /// Factor applied every epoch.
    public let gamma: Double

    public init(_ optimizer: Optimizer, gamma: Double) {
        self.gamma = gamma
        super.init(optimizer)
    }

    public override func computeLR() -> [Double] {
        isInitialStep ? currentLRs : currentLRs.map { $0 * gamma }
    }
}

/// Cosine annealing from the base rate down to `etaMin` over `tMax` epochs and back up after, like
/// `CosineAnnealingLR`, with PyTorch's recursive update
/// `η ← (1 + cos(π·t/T)) / (1 + cos(π·(t−1)/T)) · (η − ηmin) + ηmin`.
///
/// ```swift
/// let scheduler = CosineAnnealingLR(opt, tMax: 10, etaMin: 0.001)   // 0.1, 0.0975…, …, 0.001 at epoch 10
/// ```
public final class CosineAnnealingLR: LRScheduler {
    /// Epochs of one half period.
    public let tMax: Int
    /// The lowest learning rate.
    public let etaMin: Double

    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) {
        precondition(tMax > 0, "T_max must be a positive integer, got \(tMax)")
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(optimizer)
    }

    public override func computeLR() -> [Double] {
        if isInitialStep { return currentLRs }
        let t = Double(lastEpoch), period = Double(tMax)
        let offset = lastEpoch - 1 - tMax, cycle = 2 * tMax
        if ((offset % cycle) + cycle) % cycle == 0 {
            return zip(baseLRs, currentLRs).map { base, lr in
                lr + (base - etaMin) * (1 - Foundation.cos(Double.pi / period)) / 2
            }
        }
        let ratio = (1 + Foundation.cos(Double.pi * t / period)) / (1 + Foundation.cos(Double.pi * (t - 1) / period))
        return currentLRs.map { ratio * ($0 - etaMin) + etaMin }
    }
}
