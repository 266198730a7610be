/// Defining new differentiable ops outside the core, like `torch.autograd.Function`.
extension Tensor {
    /// Records `output` as the result of a differentiable op named `name` (PyTorch's node name, such as
    /// `"EluBackward0"`) on `inputs`, with `backward` mapping the output's gradient to one gradient per
    /// input (nil for inputs that need none). Returns `output`; when no input requires grad (or inside
    /// ``noGrad(_:)``) nothing is recorded and `backward` is never called.
    ///
    /// Compute `output` without a graph (from ``floats``/``scalars`` or inside `noGrad`), and capture only
    /// detached tensors in `backward`: a captured tensor with a grad_fn would keep the whole graph alive.
    ///
    /// ```swift
    /// func softsign(_ x: Tensor) -> Tensor {
    ///     let out = noGrad { x / (x.abs() + 1) }
    ///     let input = x.detach()
    ///     return Tensor.function("SoftsignBackward0", inputs: [x], saved: [.tensor("self", shape: x.shape)],
    ///                            output: out) { g in [g / (input.abs() + 1).pow(2)] }
    /// }
    /// ```
    @discardableResult
    public static func function(_ name: String, inputs: [Tensor], saved: [SavedValue] = [], output: Tensor,
                                backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard let context = recording(inputs) else { return output }
        return output.attach(context, name, inputs, saved: saved, backward)
    }

    /// Whether an op on `inputs` would record a node here (some input requires grad and grad mode is on).
    public static func isRecording(_ inputs: [Tensor]) -> Bool { recording(inputs) != nil }
}

extension SavedValue {
    /// A saved tensor entry, shown as `[saved tensor]` in attribute tables; `dtype` nil: the op's output type.
    public static func tensor(_ name: String, shape: [Int], dtype: DType? = nil) -> SavedValue {
        SavedValue(name, .tensor(shape: shape), dtype: dtype)
    }
    /// An attribute entry, shown as `text`.
    public static func attribute(_ name: String, _ text: String) -> SavedValue { SavedValue(name, .attribute(text)) }
    /// An attribute holding a shape, shown as PyTorch's tuple `(2, 3)`.
    public static func sizes(_ name: String, _ dims: [Int]) -> SavedValue { SavedValue(name, .attribute(pythonTuple(dims))) }
}

/// PyTorch's printing of an int tuple attribute: `()`, `(3,)`, `(2, 3)`.
public func pythonTuple(_ values: [Int]) -> String { pyTuple(values) }
/// Python's `repr` of a float attribute: `1.0`, `0.01`, `1e-05`.
public func pythonFloat(_ value: Double) -> String { pyFloat(value) }
