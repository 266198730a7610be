import NNVizCore

/// RMSprop, like `torch.optim.RMSprop`: divides the gradient by a running root mean square, optionally
/// centred (minus the squared running mean of the gradient) and with momentum.
///
/// Per parameter: `g += weightDecay·p`; `s = α·s + (1 − α)·g²`; centred: `ḡ = lerp(ḡ, g, 1 − α)` and
/// `avg = √(s − ḡ²) + eps`, else `avg = √s + eps`; with momentum `buf = momentum·buf + g / avg` and
/// `p −= lr·buf`, else `p −= lr·g / avg`. The state is `"step"`, `"square_avg"`, and `"momentum_buffer"`
/// (momentum > 0) and `"grad_avg"` (centred).
///
/// ```swift
/// let opt = RMSprop(model.parameters(), lr: 0.01, momentum: 0.5, centered: true)
/// opt.zeroGrad(); loss.backward(); opt.step()
/// ```
public final class RMSprop: Optimizer {
    /// Smoothing constant of the running averages.
    public var alpha: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Momentum factor (0 turns momentum off).
    public var momentum: Double
    /// Whether to normalise by the estimated variance instead of the raw second moment.
    public var centered: Bool
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool
    private var states: [ObjectIdentifier: State] = [:]

    final class State {
        var step: Float = 0
        let squareAvg: StateBuffer
        /// Created with the first step that uses momentum (zeros).
        var momentumBuffer: StateBuffer?
        /// Created with the first centred step (zeros).
        var gradAvg: StateBuffer?

        init(_ parameter: Tensor) {
            squareAvg = StateBuffer(like: parameter)
        }
    }

    /// Creates the optimizer with PyTorch's defaults and argument checks.
    public init(_ params: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false, maximize: Bool = false) {
        precondition(eps >= 0, "Invalid epsilon value: \(eps)")
        precondition(momentum >= 0, "Invalid momentum value: \(momentum)")
        precondition(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        precondition(alpha >= 0, "Invalid alpha value: \(alpha)")
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        self.maximize = maximize
        super.init(params, lr: lr)
    }

    public override func step() {
        let alphaF = Float(alpha), squareWeight = Float(1 - alpha), eps = Float(eps), mu = Float(momentum)
        let useMomentum = momentum > 0, centered = centered
        forEachParameterWithGrad { group, p, grad in
            let key = ObjectIdentifier(p)
            let state = states[key] ?? State(p)
            states[key] = state
            if useMomentum && state.momentumBuffer == nil { state.momentumBuffer = StateBuffer(like: p) }
            if centered && state.gradAvg == nil { state.gradAvg = StateBuffer(like: p) }
            state.step += 1
            let negLR = Float(-group.lr)
            let s = state.squareAvg.values.baseAddress!
            update(p, grad: grad, maximize: maximize, weightDecay: weightDecay) { u in
                // The denominator `avg` goes into the result buffer first, then the update replaces it.
                let x = u.param, g = u.grad, out = u.result
                if centered, let mean = state.gradAvg?.values.baseAddress {
                    for i in 0..<u.count {
                        s[i] = fusedMultiplyAdd(squareWeight * g[i], g[i], s[i] * alphaF)
                        mean[i] = torchLerp(mean[i], g[i], squareWeight)
                        out[i] = torchSqrt(fusedMultiplyAdd(-mean[i], mean[i], s[i])) + eps
                    }
                } else {
                    for i in 0..<u.count {
                        s[i] = fusedMultiplyAdd(squareWeight * g[i], g[i], s[i] * alphaF)
                        out[i] = torchSqrt(s[i]) + eps
                    }
                }
                if useMomentum, let buf = state.momentumBuffer?.values.baseAddress {
                    for i in 0..<u.count {
                        buf[i] = buf[i] * mu + g[i] / out[i]
                        out[i] = fusedMultiplyAdd(buf[i], negLR, x[i])
                    }
                } else {
                    for i in 0..<u.count { out[i] = x[i] + negLR * g[i] / out[i] }
                }
            }
        }
    }

    public override func state(for parameter: Tensor) -> [String: Tensor] {
        guard let state = states[ObjectIdentifier(parameter)] else { return [:] }
        var result = ["step": Tensor(shape: [], floats: [state.step]), "square_avg": state.squareAvg.tensor]
        result["momentum_buffer"] = state.momentumBuffer?.tensor
        result["grad_avg"] = state.gradAvg?.tensor
        return result
    }
}
