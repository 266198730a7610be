/// Per-parameter mean and max |gradient|, what the well-known `plot_grad_flow` charts: a layer whose
/// bars sink towards zero while the others stay up is where gradients vanish.
///
/// Read after `backward()`. As `plot_grad_flow` does, parameters whose name contains `bias` are left
/// out unless `includeBiases` is set; parameters that do not require grad or got no gradient (unused
/// in the loss) are left out too.
///
/// ```swift
/// loss.backward()
/// let flow = try GradientFlow(model.namedParameters())
/// for (name, mean) in zip(flow.names, flow.meanAbs) { print(name, mean) }
/// ```
public struct GradientFlow: Equatable, Sendable {
    /// The parameters charted, in the order given.
    public let names: [String]
    /// Mean |gradient| of each parameter.
    public let meanAbs: [Double]
    /// Max |gradient| of each parameter.
    public let maxAbs: [Double]

    /// Reads the gradients of `parameters` (name, tensor pairs as `Module.namedParameters()` gives them).
    ///
    /// - Throws: ``TrainingMonitorError/noGradients(parameters:)`` if no parameter kept has a gradient.
    public init(_ parameters: [(name: String, tensor: Tensor)], includeBiases: Bool = false) throws {
        let kept = parameters.filter { $0.tensor.requiresGrad && (includeBiases || !$0.name.contains("bias")) }
        var names: [String] = [], means: [Double] = [], maxima: [Double] = []
        for (name, tensor) in kept {
            guard let grad = tensor.grad, grad.count > 0 else { continue }
            let magnitudes = grad.scalars.map(Swift.abs)
            names.append(name)
            means.append(magnitudes.reduce(0, +) / Double(magnitudes.count))
            maxima.append(magnitudes.reduce(0) { Swift.max($0, $1) })
        }
        guard !names.isEmpty else { throw TrainingMonitorError.noGradients(parameters: kept.map(\.name)) }
        self.names = names
        meanAbs = means
        maxAbs = maxima
    }
}
