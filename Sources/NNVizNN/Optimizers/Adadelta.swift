import NNVizCore

/// Adadelta, like `torch.optim.Adadelta`: scales the gradient by the ratio of the running root mean
/// squares of past updates and of gradients, times `lr` (1 by default).
///
/// Per parameter: `g += weightDecay·p`; `s = ρ·s + (1 − ρ)·g²`; `δ = √(a + eps) / √(s + eps) · g`;
/// `a = ρ·a + (1 − ρ)·δ²`; `p −= lr·δ`. The state is `"step"`, `"square_avg"` and `"acc_delta"`.
///
/// ```swift
/// let opt = Adadelta(model.parameters(), rho: 0.9)
/// opt.zeroGrad(); loss.backward(); opt.step()
/// ```
public final class Adadelta: Optimizer {
    /// Decay rate of the running averages.
    public var rho: Double
    /// Added inside both square roots for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool
    private var states: [ObjectIdentifier: State] = [:]

    final class State {
        var step: Float = 0
        let squareAvg: StateBuffer
        let accDelta: StateBuffer

        init(_ parameter: Tensor) {
            squareAvg = StateBuffer(like: parameter)
            accDelta = StateBuffer(like: parameter)
        }
    }

    /// Creates the optimizer with PyTorch's defaults and argument checks.
    public init(_ params: [Tensor], lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6, weightDecay: Double = 0,
                maximize: Bool = false) {
        precondition(rho >= 0 && rho <= 1, "Invalid rho value: \(rho)")
        precondition(eps >= 0, "Invalid epsilon value: \(eps)")
        precondition(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        self.rho = rho
        self.eps = eps
        self.weightDecay = weightDecay
        self.maximize = maximize
        super.init(params, lr: lr)
    }

    public override func step() {
        let rhoF = Float(rho), weight = Float(1 - rho), eps = Float(eps)
        forEachParameterWithGrad { group, p, grad in
            let key = ObjectIdentifier(p)
            let state = states[key] ?? State(p)
            states[key] = state
            state.step += 1
            let negLR = Float(-group.lr)
            let s = state.squareAvg.values.baseAddress!, a = state.accDelta.values.baseAddress!
            update(p, grad: grad, maximize: maximize, weightDecay: weightDecay) { u in
                let x = u.param, g = u.grad, out = u.result
                for i in 0..<u.count {
                    s[i] = fusedMultiplyAdd(weight * g[i], g[i], s[i] * rhoF)
                    let delta = torchSqrt(a[i] + eps) / torchSqrt(s[i] + eps) * g[i]
                    a[i] = fusedMultiplyAdd(weight * delta, delta, a[i] * rhoF)
                    out[i] = fusedMultiplyAdd(delta, negLR, x[i])
                }
            }
        }
    }

    public override func state(for parameter: Tensor) -> [String: Tensor] {
        guard let state = states[ObjectIdentifier(parameter)] else { return [:] }
        return ["step": Tensor(shape: [], floats: [state.step]), "square_avg": state.squareAvg.tensor,
                "acc_delta": state.accDelta.tensor]
    }
}
