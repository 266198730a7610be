import NNVizCore

/// Marks a module's tensor property as a learnable parameter (PyTorch's `nn.Parameter`): it is listed by
/// `parameters()`/`namedParameters()` under its property name, saved in `stateDict()`, and requires grad.
///
/// ```swift
/// final class Scale: Module {
///     @Param var factor = Tensor([2.0])
///     override func forward(_ x: Tensor) -> Tensor { x * factor }
/// }
/// ```
@propertyWrapper
public final class Param {
    /// The name PyTorch gives the parameter, when it differs from the property name.
    let name: String?
    private var value: Tensor?

    public var wrappedValue: Tensor? {
        get { value }
        set {
            if let newValue, newValue.isLeaf, newValue.dtype.isFloatingPoint { newValue.requiresGrad = true }
            value = newValue
        }
    }

    public init(wrappedValue: Tensor?, _ name: String? = nil) {
        self.name = name
        self.wrappedValue = wrappedValue
    }
}

/// Marks a module's tensor property as a buffer (PyTorch's `register_buffer`): saved in `stateDict()` and
/// moved with the module, but not learnable (BatchNorm's running statistics).
@propertyWrapper
public final class Buffer {
    let name: String?
    public var wrappedValue: Tensor?

    public init(wrappedValue: Tensor?, _ name: String? = nil) {
        self.name = name
        self.wrappedValue = wrappedValue
    }
}

/// A learnable parameter from a literal, like `nn.Parameter(torch.tensor(...))`: a leaf that requires grad.
///
/// ```swift
/// model.layer1.weight = Parameter([[0.6, -0.2]])
/// ```
public func Parameter<L: TensorLiteral>(_ literal: L) -> Tensor {
    Tensor(literal, dtype: .float32, requiresGrad: true)
}

/// A learnable parameter holding `tensor`'s values (detached), like `nn.Parameter(tensor)`.
public func Parameter(_ tensor: Tensor) -> Tensor {
    tensor.detach().requiresGrad_()
}
