import NNVizCore

/// Adam with decoupled weight decay, like `torch.optim.AdamW`: each step first shrinks the parameter by
/// `1 − lr·weightDecay`, then applies the Adam update computed from the plain gradient.
///
/// ```swift
/// let opt = AdamW(model.parameters(), lr: 1e-3, weightDecay: 0.01)
/// opt.zeroGrad(); loss.backward(); opt.step()
/// ```
public final class AdamW: Adam {
    /// Creates the optimizer with PyTorch's defaults (weight decay 0.01) and argument checks.
    public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false) {
        super.init(params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                   maximize: maximize, decoupledWeightDecay: true)
    }
}
