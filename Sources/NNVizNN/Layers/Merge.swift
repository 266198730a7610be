import NNVizCore

/// A module that combines several inputs into one: the merge layers of model files (`add`, `mul`, `cat`).
/// Call it on a list, `merge([a, b])`; called on one tensor it gets a list of one.
open class MergeModule: Module {
    /// Combines `inputs`. Subclasses override it.
    open func forward(_ inputs: [Tensor]) -> Tensor {
        preconditionFailure("\(typeName) must override forward(_: [Tensor])")
    }

    /// Throws the error combining tensors of these shapes would stop with.
    open func check(_ inputs: [Tensor]) throws {}

    public override func forward(_ input: Tensor) -> Tensor { forward([input]) }
    public override func check(_ input: Tensor) throws { try check([input]) }

    /// Runs ``forward(_:)-(Tensor)`` tagged with this module's path, as calling a one-input module does.
    public func callAsFunction(_ inputs: [Tensor], file: String = #fileID, line: Int = #line) -> Tensor {
        if scopePath == nil { assignScopePaths(root: "") }
        return withModuleScope(scopePath ?? "", site: "\(typeName) at \(file):\(line)") { forward(inputs) }
    }
}

/// The sum of its inputs with broadcasting, recorded as PyTorch records `a + b + c`: one `AddBackward0`
/// per `+`, left to right.
///
/// ```swift
/// let y = Add()([x, residual])     // x + residual
/// ```
public final class Add: MergeModule {
    public override init() { super.init() }

    public override func forward(_ inputs: [Tensor]) -> Tensor {
        do { try check(inputs) } catch { preconditionFailure("\(error)") }
        return inputs.dropFirst().reduce(inputs[0], +)
    }

    public override func check(_ inputs: [Tensor]) throws { _ = try Add.outputShape(inputs: inputs.map(\.shape)) }

    /// The broadcast shape of the inputs, or PyTorch's error for the first pair that does not broadcast.
    ///
    /// ```swift
    /// try Add.outputShape(inputs: [[2, 8, 4, 4], [8, 1, 1]])    // [2, 8, 4, 4]
    /// ```
    public static func outputShape(inputs: [[Int]]) throws -> [Int] {
        guard let first = inputs.first else { throw TensorError("add expects at least one input") }
        return try inputs.dropFirst().reduce(first) { try Tensor.broadcastShape($0, $1) }
    }
}

/// The elementwise product of its inputs with broadcasting (`a * b * c`: one `MulBackward0` per `*`).
///
/// ```swift
/// let gated = Mul()([x, gate])
/// ```
public final class Mul: MergeModule {
    public override init() { super.init() }

    public override func forward(_ inputs: [Tensor]) -> Tensor {
        do { try check(inputs) } catch { preconditionFailure("\(error)") }
        return inputs.dropFirst().reduce(inputs[0], *)
    }

    public override func check(_ inputs: [Tensor]) throws { _ = try Mul.outputShape(inputs: inputs.map(\.shape)) }

    /// The broadcast shape of the inputs, or PyTorch's error for the first pair that does not broadcast.
    public static func outputShape(inputs: [[Int]]) throws -> [Int] {
        try Add.outputShape(inputs: inputs)
    }
}

/// Concatenation along `dim`, like `torch.cat(inputs, dim)` (`CatBackward0`).
///
/// ```swift
/// let skip = Cat(dim: 1)([upsampled, encoder])    // channels side by side
/// ```
public final class Cat: MergeModule {
    public let dim: Int

    public init(dim: Int = 0) {
        self.dim = dim
        super.init()
    }

    public override func forward(_ inputs: [Tensor]) -> Tensor {
        do { try check(inputs) } catch { preconditionFailure("\(error)") }
        return Tensor.cat(inputs, dim: dim)
    }

    public override func check(_ inputs: [Tensor]) throws { _ = try Cat.outputShape(inputs: inputs.map(\.shape), dim: dim) }

    /// The concatenated shape, or PyTorch's error for inputs of different ranks, `dim` out of range, or
    /// sizes that differ outside `dim`.
    ///
    /// ```swift
    /// try Cat.outputShape(inputs: [[2, 8, 4, 4], [2, 4, 4, 4]], dim: 1)    // [2, 12, 4, 4]
    /// ```
    public static func outputShape(inputs: [[Int]], dim: Int) throws -> [Int] {
        guard let first = inputs.first else { throw TensorError("torch.cat(): expected a non-empty list of Tensors") }
        let n = max(first.count, 1)
        guard dim >= -n && dim < n else {
            throw TensorError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(dim))")
        }
        let d = dim < 0 ? dim + n : dim
        var shape = first
        for (i, other) in inputs.enumerated().dropFirst() {
            guard other.count == first.count else {
                throw TensorError("Tensors must have same number of dimensions: got \(first.count) and \(other.count)")
            }
            for j in 0..<first.count where j != d && other[j] != first[j] {
                throw TensorError("Sizes of tensors must match except in dimension \(d). Expected size \(first[j]) but got size \(other[j]) for tensor number \(i) in the list.")
            }
            shape[d] += other[d]
        }
        return shape
    }

    public override var extraDescription: String { "dim=\(dim)" }
}
