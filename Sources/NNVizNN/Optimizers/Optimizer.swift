import NNVizCore

/// Parameters that share a learning rate, like one entry of PyTorch's `optimizer.param_groups`.
///
/// ```swift
/// let opt = SGD(model.parameters(), lr: 0.1)
/// opt.paramGroups[0].lr = 0.01          // same as opt.lr = 0.01 with a single group
/// ```
public struct ParamGroup {
    /// The tensors this group updates, in the order given.
    public var params: [Tensor]
    /// The learning rate used by the next ``Optimizer/step()``.
    public var lr: Double
    /// The learning rate when the first scheduler was attached (PyTorch's `initial_lr`), nil before that.
    public internal(set) var initialLR: Double?

    /// A group of `params` updated with learning rate `lr`.
    public init(params: [Tensor], lr: Double) {
        self.params = params
        self.lr = lr
    }
}

/// The base class of the optimizers, like `torch.optim.Optimizer`: parameter groups, `zeroGrad`, `step`
/// and per-parameter state.
///
/// Every optimizer updates its parameters in place (the tensors keep their identity) without recording a
/// graph, skips parameters whose `grad` is nil, and follows PyTorch's single-tensor (`foreach=False`)
/// update rules in float32 with the same order of operations and the same fused multiply–adds, so given
/// the same gradients a step gives PyTorch's values bit for bit, except where PyTorch's vectorised `sqrt`
/// (MKL on x86) is one unit in the last place away from the correctly rounded root used here.
/// Parameters must be float32.
///
/// ```swift
/// let opt = SGD(model.parameters(), lr: 0.05, momentum: 0.9)
/// for _ in 0..<100 {
///     opt.zeroGrad()
///     let loss = (model(x) - y).pow(2).mean()
///     loss.backward()
///     opt.step()
/// }
/// ```
open class Optimizer {
    /// The parameter groups; change a group's `lr` between steps, or use ``lr`` for all groups.
    public var paramGroups: [ParamGroup]
    /// Room for the adjusted gradient of the parameter being updated.
    let scratch = ScratchBuffer()

    /// Creates an optimizer over `params` with one group. Subclasses call it with their own defaults.
    public init(_ params: [Tensor], lr: Double) {
        precondition(!params.isEmpty, "optimizer got an empty parameter list")
        precondition(lr >= 0, "Invalid learning rate: \(lr)")
        paramGroups = []
        addParamGroup(params, lr: lr)
    }

    /// The learning rate of the first group; setting it sets every group's learning rate.
    ///
    /// ```swift
    /// opt.lr = 0.01    // PyTorch: for g in opt.param_groups: g['lr'] = 0.01
    /// ```
    public var lr: Double {
        get { paramGroups[0].lr }
        set {
            for i in paramGroups.indices { paramGroups[i].lr = newValue }
        }
    }

    /// Every parameter of every group, in group order.
    public var parameters: [Tensor] { paramGroups.flatMap(\.params) }

    /// Adds a group of parameters with its own learning rate (the first group's when nil), like
    /// `add_param_group`.
    ///
    /// ```swift
    /// let opt = Adam(backbone.parameters(), lr: 1e-4)
    /// opt.addParamGroup(head.parameters(), lr: 1e-3)
    /// ```
    public func addParamGroup(_ params: [Tensor], lr: Double? = nil) {
        for p in params {
            precondition(p.isLeaf, "can't optimize a non-leaf Tensor")
            precondition(p.dtype == .float32, "NNVizNN optimizers update float32 parameters, got \(p.dtype.scalarTypeName)")
        }
        let seen = Set(parameters.map(ObjectIdentifier.init))
        precondition(params.allSatisfy { !seen.contains(ObjectIdentifier($0)) },
                     "some parameters appear in more than one parameter group")
        precondition(Set(params.map(ObjectIdentifier.init)).count == params.count,
                     "optimizer contains a parameter group with duplicate parameters")
        paramGroups.append(ParamGroup(params: params, lr: lr ?? paramGroups.first?.lr ?? 0))
    }

    /// Clears the gradients of every parameter, like `zero_grad(set_to_none)`: sets them to nil (the
    /// default), or fills them with zeros in place.
    ///
    /// ```swift
    /// opt.zeroGrad()                    // p.grad == nil
    /// opt.zeroGrad(setToNone: false)    // p.grad is zeros
    /// ```
    public func zeroGrad(setToNone: Bool = true) {
        for p in parameters {
            guard let grad = p.grad else { continue }
            if setToNone {
                p.grad = nil
            } else if grad.isLeaf && !grad.requiresGrad {
                grad.zero_()
            } else {
                p.grad = Tensor.zeros(grad.shape, dtype: grad.dtype)
            }
        }
    }

    /// Updates every parameter that has a gradient. Subclasses implement the rule.
    open func step() {
        preconditionFailure("\(type(of: self)) must override step()")
    }

    /// The state kept for `parameter` under PyTorch's names (`"step"`, `"exp_avg"`, `"momentum_buffer"`, …),
    /// as copies; empty before the parameter's first update.
    ///
    /// ```swift
    /// opt.step()
    /// let buffer = opt.state(for: fc.weight!)["momentum_buffer"]
    /// ```
    open func state(for parameter: Tensor) -> [String: Tensor] { [:] }
}
