import NNVizCore

/// How a loss combines its per-element values, like PyTorch's `reduction` argument.
///
/// ```swift
/// let perElement = mseLoss(prediction, target, reduction: .none)   // same shape as prediction
/// let total = MSELoss(reduction: .sum)(prediction, target)         // 0-dim
/// ```
public enum Reduction: String, Sendable, CaseIterable {
    /// Keep one value per element (per sample for classification losses).
    case none
    /// Average (PyTorch's default; class-weighted average for `nllLoss` and `crossEntropy`).
    case mean
    /// Add up.
    case sum

    /// PyTorch's enum value (`at::Reduction`), which loss nodes save as `reduction`: 0, 1, 2.
    public var code: Int {
        switch self {
        case .none: return 0
        case .mean: return 1
        case .sum: return 2
        }
    }
}

/// A loss criterion, like PyTorch's `nn.MSELoss()` and friends: configured once, then called on a
/// prediction and a target. Each one forwards to the loss function of the same name.
///
/// ```swift
/// let criterion = MSELoss()
/// let loss = criterion(model(x), y)
/// loss.backward()
/// print(criterion)   // MSELoss()
/// ```
public protocol Loss: CustomStringConvertible {
    /// How per-element values are combined.
    var reduction: Reduction { get }
    /// The loss of `input` against `target`.
    func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor
    /// Throws the error calling the loss on these tensors would stop with (shapes or dtypes that do not
    /// fit, values out of range), so a script can report it first, as ``Module/check(_:)`` does.
    func check(_ input: Tensor, _ target: Tensor) throws
}

extension Loss {
    /// PyTorch's repr: the class name and empty parentheses (`CrossEntropyLoss()`).
    public var description: String { "\(type(of: self))()" }
}

// MARK: - Shared checks

/// The size check of PyTorch's elementwise losses. PyTorch warns and broadcasts when the sizes differ,
/// which silently averages the wrong pairs; nnviz stops instead, with PyTorch's words.
func checkSameSize(_ input: Tensor, _ target: Tensor) throws {
    guard input.shape == target.shape else {
        throw TensorError("Using a target size (\(lossSizeText(target.shape))) that is different to the input size (\(lossSizeText(input.shape))). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.")
    }
}

/// A shape as PyTorch's messages print sizes: `[2, 1]`.
func lossSizeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

// MARK: - Elementwise losses

/// A loss computed element by element from input and target, then reduced: one PyTorch node
/// (`MseLossBackward0`, …) that saves the input, the target, `reduction` and its own attributes.
protocol PointwiseLoss {
    /// PyTorch's backward node.
    var nodeName: String { get }
    /// PyTorch's kernel name, as its error for integer input quotes it (`mse_cpu`).
    var kernelName: String { get }
    /// The node's attributes besides `reduction`, `self` and `target` (`beta: 1.0`, `weight: None`).
    var attributes: [SavedValue] { get }
    /// The loss of one element.
    func value<T: KernelFloat>(_ x: T, _ t: T) -> T
    /// d loss / d input for one element with upstream gradient `g`; `meanCount` is the element count
    /// when the reduction is a mean (each kernel applies it where PyTorch's backward kernel does).
    func inputGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T
    /// d loss / d target, when the target requires grad.
    func targetGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T
    /// Throws when input and target do not fit (sizes, value ranges).
    func check(_ input: Tensor, _ target: Tensor) throws
}

extension PointwiseLoss {
    /// The loss is a function of `input − target` unless a kernel says otherwise.
    func targetGradient<T: KernelFloat>(_ x: T, _ t: T, _ g: T, meanCount: Int?) -> T {
        -inputGradient(x, t, g, meanCount: meanCount)
    }

    func check(_ input: Tensor, _ target: Tensor) throws {
        try checkSameSize(input, target)
        try input.checkFloatingPoint(kernelName)
    }

    /// The loss of `input` against `target`, reduced, recorded as one node.
    func callAsFunction(_ input: Tensor, _ target: Tensor, reduction: Reduction) -> Tensor {
        do { try check(input, target) } catch { preconditionFailure("\(error)") }
        let saved = (attributes + [.attribute("reduction", "\(reduction.code)"), .tensor("self", shape: input.shape),
                                   .tensor("target", shape: target.shape)]).sorted { $0.name < $1.name }
        let meanCount = reduction == .mean ? input.count : nil
        let shape = input.shape
        func run<T: KernelFloat>(_: T.Type) -> Tensor {
            let x: [T] = T.elementValues(of: input), t: [T] = T.elementValues(of: target)
            let losses = zip(x, t).map { value($0, $1) }
            let out: Tensor
            switch reduction {
            case .none: out = T.elementTensor(losses, shape: input.shape)
            case .sum: out = T.elementTensor([T(losses.reduce(0.0) { $0 + Double($1) })], shape: [])
            case .mean: out = T.elementTensor([T(losses.reduce(0.0) { $0 + Double($1) }) / T(losses.count)], shape: [])
            }
            let targetNeedsGrad = target.requiresGrad
            return Tensor.function(nodeName, inputs: [input, target], saved: saved, output: out) { grad in
                let upstream: [T] = T.elementValues(of: grad)
                let g = reduction == .none ? upstream : [T](repeating: upstream[0], count: x.count)
                let gx = x.indices.map { inputGradient(x[$0], t[$0], g[$0], meanCount: meanCount) }
                let gt = targetNeedsGrad ? x.indices.map { targetGradient(x[$0], t[$0], g[$0], meanCount: meanCount) } : nil
                return [T.elementTensor(gx, shape: shape), gt.map { T.elementTensor($0, shape: shape) }]
            }
        }
        return input.dtype == .float64 ? run(Double.self) : run(Float.self)
    }
}
