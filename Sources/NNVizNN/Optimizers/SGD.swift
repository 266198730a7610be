import NNVizCore

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay,
/// like `torch.optim.SGD`.
///
/// Per parameter, with `g` its gradient (negated when `maximize`):
/// `g += weightDecay·p`; with momentum, `buf = g` on the first step and `buf = momentum·buf + (1 − dampening)·g`
/// after; `g = g + momentum·buf` (Nesterov) or `g = buf`; then `p −= lr·g`. The state is `"momentum_buffer"`.
///
/// ```swift
/// let opt = SGD(model.parameters(), lr: 1e-5, momentum: 0.8, weightDecay: 1e-8, nesterov: true)
/// opt.zeroGrad(); loss.backward(); opt.step()
/// ```
public final class SGD: Optimizer {
    /// Momentum factor (0 turns momentum off).
    public var momentum: Double
    /// Dampening of the gradient added to the momentum buffer.
    public var dampening: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool
    private var momentumBuffers: [ObjectIdentifier: StateBuffer] = [:]

    /// Creates the optimizer with PyTorch's defaults and argument checks.
    public init(_ params: [Tensor], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) {
        precondition(momentum >= 0, "Invalid momentum value: \(momentum)")
        precondition(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum requires a momentum and zero dampening")
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
        super.init(params, lr: lr)
    }

    public override func step() {
        let useMomentum = momentum != 0, nesterov = nesterov
        let mu = Float(momentum), keep = Float(1 - dampening)
        forEachParameterWithGrad { group, p, grad in
            let negLR = Float(-group.lr)
            let key = ObjectIdentifier(p)
            let existing = momentumBuffers[key]
            let buffer = useMomentum ? (existing ?? StateBuffer(like: p)) : nil
            if useMomentum && existing == nil { momentumBuffers[key] = buffer }
            update(p, grad: grad, maximize: maximize, weightDecay: weightDecay, inPlace: true) { u in
                let x = u.param, g = u.grad, out = u.result
                guard let buf = buffer?.values.baseAddress else {
                    for i in 0..<u.count { out[i] = fusedMultiplyAdd(g[i], negLR, x[i]) }
                    return
                }
                if existing == nil {
                    for i in 0..<u.count { buf[i] = g[i] }
                } else {
                    for i in 0..<u.count { buf[i] = fusedMultiplyAdd(g[i], keep, buf[i] * mu) }
                }
                if nesterov {
                    for i in 0..<u.count { out[i] = fusedMultiplyAdd(fusedMultiplyAdd(buf[i], mu, g[i]), negLR, x[i]) }
                } else {
                    for i in 0..<u.count { out[i] = fusedMultiplyAdd(buf[i], negLR, x[i]) }
                }
            }
        }
    }

    public override func state(for parameter: Tensor) -> [String: Tensor] {
        guard let buffer = momentumBuffers[ObjectIdentifier(parameter)] else { return [:] }
        return ["momentum_buffer": buffer.tensor]
    }
}
