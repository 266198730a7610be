import NNVizCore

/// Adagrad, like `torch.optim.Adagrad`: divides the gradient by the root of the sum of all squared
/// gradients so far, with a learning rate that may decay with the step count.
///
/// Per parameter at step t: `g += weightDecay·p`; `clr = lr / (1 + (t − 1)·lrDecay)`; `sum += g²`;
/// `p −= clr · g / (√sum + eps)`. The state (`"step"`, `"sum"`, filled with `initialAccumulatorValue`) exists
/// from construction, as in PyTorch.
///
/// ```swift
/// let opt = Adagrad(model.parameters(), lr: 0.1, lrDecay: 0.01)
/// opt.zeroGrad(); loss.backward(); opt.step()
/// ```
public final class Adagrad: Optimizer {
    /// Decay of the learning rate per step.
    public var lrDecay: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// The starting value of the sum of squared gradients.
    public let initialAccumulatorValue: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool
    private var states: [ObjectIdentifier: State] = [:]

    final class State {
        var step: Float = 0
        let sum: StateBuffer

        init(_ parameter: Tensor, initialValue: Double) {
            sum = StateBuffer(like: parameter, filledWith: Float(initialValue))
        }
    }

    /// Creates the optimizer with PyTorch's defaults and argument checks, and its state for every parameter.
    public init(_ params: [Tensor], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) {
        precondition(lrDecay >= 0, "Invalid lr_decay value: \(lrDecay)")
        precondition(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        precondition(initialAccumulatorValue >= 0, "Invalid initial_accumulator_value value: \(initialAccumulatorValue)")
        precondition(eps >= 0, "Invalid epsilon value: \(eps)")
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
        self.maximize = maximize
        super.init(params, lr: lr)
        for p in parameters { states[ObjectIdentifier(p)] = State(p, initialValue: initialAccumulatorValue) }
    }

    public override func step() {
        let eps = Float(eps)
        forEachParameterWithGrad { group, p, grad in
            let key = ObjectIdentifier(p)
            let state = states[key] ?? State(p, initialValue: initialAccumulatorValue)
            states[key] = state
            state.step += 1
            let negLR = Float(-(group.lr / (1 + (Double(state.step) - 1) * lrDecay)))
            let sum = state.sum.values.baseAddress!
            update(p, grad: grad, maximize: maximize, weightDecay: weightDecay) { u in
                let x = u.param, g = u.grad, out = u.result
                for i in 0..<u.count {
                    sum[i] = fusedMultiplyAdd(g[i], g[i], sum[i])
                    out[i] = x[i] + negLR * g[i] / (torchSqrt(sum[i]) + eps)
                }
            }
        }
    }

    public override func state(for parameter: Tensor) -> [String: Tensor] {
        guard let state = states[ObjectIdentifier(parameter)] else { return [:] }
        return ["step": Tensor(shape: [], floats: [state.step]), "sum": state.sum.tensor]
    }
}
