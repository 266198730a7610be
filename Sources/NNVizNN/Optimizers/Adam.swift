import Foundation
import NNVizCore

/// Adam, like `torch.optim.Adam`: running averages of the gradient and its square with bias correction,
/// optional AMSGrad, L2 weight decay (or decoupled decay, which is ``AdamW``).
///
/// Per parameter at step t: `g += weightDecay·p` (or `p ·= 1 − lr·weightDecay` when decoupled);
/// `m = lerp(m, g, 1 − β₁)`; `v = β₂·v + (1 − β₂)·g²`; with AMSGrad `v̂ = max(v̂, v)`;
/// `p += −(lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)`. The state is `"step"`, `"exp_avg"`,
/// `"exp_avg_sq"` and, with AMSGrad, `"max_exp_avg_sq"`.
///
/// ```swift
/// let opt = Adam(model.parameters(), lr: 0.01, betas: (0.9, 0.999))
/// opt.zeroGrad(); loss.backward(); opt.step()
/// ```
public class Adam: Optimizer {
    /// Decay rates of the running averages of the gradient and its square.
    public var betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Weight decay: an L2 penalty added to the gradient, or a decoupled shrink of the parameter.
    public var weightDecay: Double
    /// Whether to use the maximum of the squared-gradient averages (AMSGrad).
    public var amsgrad: Bool
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool
    /// Whether weight decay shrinks the parameter directly (AdamW) instead of adding to the gradient.
    public var decoupledWeightDecay: Bool
    private var states: [ObjectIdentifier: State] = [:]

    final class State {
        var step: Float = 0
        let expAvg: StateBuffer
        let expAvgSq: StateBuffer
        /// Created with the first AMSGrad step (zeros).
        var maxExpAvgSq: StateBuffer?

        init(_ parameter: Tensor) {
            expAvg = StateBuffer(like: parameter)
            expAvgSq = StateBuffer(like: parameter)
        }
    }

    /// Creates the optimizer with PyTorch's defaults and argument checks.
    public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
                decoupledWeightDecay: Bool = false) {
        precondition(eps >= 0, "Invalid epsilon value: \(eps)")
        precondition(betas.0 >= 0 && betas.0 < 1, "Invalid beta parameter at index 0: \(betas.0)")
        precondition(betas.1 >= 0 && betas.1 < 1, "Invalid beta parameter at index 1: \(betas.1)")
        precondition(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(params, lr: lr)
    }

    public override func step() {
        let (beta1, beta2) = betas
        let amsgrad = amsgrad, decoupled = decoupledWeightDecay
        let averageWeight = Float(1 - beta1), beta2F = Float(beta2), squareWeight = Float(1 - beta2)
        let eps = Float(eps)
        forEachParameterWithGrad { group, p, grad in
            let key = ObjectIdentifier(p)
            let state = states[key] ?? State(p)
            states[key] = state
            if amsgrad && state.maxExpAvgSq == nil { state.maxExpAvgSq = StateBuffer(like: p) }
            state.step += 1
            let step = Double(state.step)
            let biasCorrection1 = 1 - Foundation.pow(beta1, step)
            let biasCorrection2 = 1 - Foundation.pow(beta2, step)
            let negStepSize = Float(-(group.lr / biasCorrection1))
            let correction2Sqrt = Float(Foundation.pow(biasCorrection2, 0.5))
            // Decoupled decay multiplies the parameter first; a factor of 1 leaves it exactly as it is.
            let shrink = decoupled && weightDecay != 0 ? Float(1 - group.lr * weightDecay) : 1
            let m = state.expAvg.values.baseAddress!, v = state.expAvgSq.values.baseAddress!
            update(p, grad: grad, maximize: maximize, weightDecay: decoupled ? 0 : weightDecay) { u in
                let x = u.param, g = u.grad, out = u.result
                for i in 0..<u.count {
                    m[i] = torchLerp(m[i], g[i], averageWeight)
                    v[i] = fusedMultiplyAdd(squareWeight * g[i], g[i], v[i] * beta2F)
                }
                if amsgrad, let vMax = state.maxExpAvgSq?.values.baseAddress {
                    for i in 0..<u.count {
                        vMax[i] = torchMaximum(vMax[i], v[i])
                        out[i] = x[i] * shrink + negStepSize * m[i] / (torchSqrt(vMax[i]) / correction2Sqrt + eps)
                    }
                } else {
                    for i in 0..<u.count {
                        out[i] = x[i] * shrink + negStepSize * m[i] / (torchSqrt(v[i]) / correction2Sqrt + eps)
                    }
                }
            }
        }
    }

    public override func state(for parameter: Tensor) -> [String: Tensor] {
        guard let state = states[ObjectIdentifier(parameter)] else { return [:] }
        var result = ["step": Tensor(shape: [], floats: [state.step]),
                      "exp_avg": state.expAvg.tensor, "exp_avg_sq": state.expAvgSq.tensor]
        result["max_exp_avg_sq"] = state.maxExpAvgSq?.tensor
        return result
    }
}
