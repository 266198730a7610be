// MARK: - Literals

/// Nested arrays of numbers that can become a tensor: `Double`, `Float`, `Int`, `Bool` and arrays of them.
public protocol TensorLiteral {
    /// Appends this value's elements in row-major order and returns its shape.
    func flatten(into values: inout [Double]) -> [Int]
    /// The dtype PyTorch infers for such a literal (ints → int64, floats → float32, bools → bool).
    static var inferredDType: DType { get }
}

extension Double: TensorLiteral {
    public func flatten(into values: inout [Double]) -> [Int] { values.append(self); return [] }
    public static var inferredDType: DType { .float32 }
}

extension Float: TensorLiteral {
    public func flatten(into values: inout [Double]) -> [Int] { values.append(Double(self)); return [] }
    public static var inferredDType: DType { .float32 }
}

extension Int: TensorLiteral {
    public func flatten(into values: inout [Double]) -> [Int] { values.append(Double(self)); return [] }
    public static var inferredDType: DType { .int64 }
}

extension Bool: TensorLiteral {
    public func flatten(into values: inout [Double]) -> [Int] { values.append(self ? 1 : 0); return [] }
    public static var inferredDType: DType { .bool }
}

extension Array: TensorLiteral where Element: TensorLiteral {
    public func flatten(into values: inout [Double]) -> [Int] {
        var inner: [Int]? = nil
        for element in self {
            let shape = element.flatten(into: &values)
            if let inner {
                precondition(inner == shape, "expected sequence of length \(inner.first ?? 0) at dim 1 (got \(shape.first ?? 0))")
            }
            inner = shape
        }
        return [count] + (inner ?? [])
    }
    public static var inferredDType: DType { Element.inferredDType }
}

extension Tensor {
    /// A leaf tensor from a number or nested arrays, like `torch.tensor(...)`.
    ///
    /// ```swift
    /// let x = Tensor([[1.0, 2.0, 3.0]])          // float32, shape [1, 3]
    /// let labels = Tensor([2, 0, 1])             // int64
    /// let w = Tensor([[0.6, -0.2]], requiresGrad: true)
    /// ```
    public convenience init<L: TensorLiteral>(_ literal: L, dtype: DType? = nil, requiresGrad: Bool = false) {
        var values: [Double] = []
        let shape = literal.flatten(into: &values)
        self.init(shape: shape, storage: Storage.fromDoubles(values, dtype ?? L.inferredDType))
        if requiresGrad { self.requiresGrad = true }
    }

    /// A leaf tensor of `shape` from flat row-major values.
    ///
    /// ```swift
    /// let m = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
    /// ```
    public convenience init(shape: [Int], values: [Double], dtype: DType = .float32, requiresGrad: Bool = false) {
        precondition(shape.reduce(1, *) == values.count,
                     "shape \(shapeText(shape)) is invalid for input of size \(values.count)")
        self.init(shape: shape, storage: Storage.fromDoubles(values, dtype))
        if requiresGrad { self.requiresGrad = true }
    }

    /// A float32 leaf from flat values without conversion through Double.
    public convenience init(shape: [Int], floats: [Float], requiresGrad: Bool = false) {
        precondition(shape.reduce(1, *) == floats.count,
                     "shape \(shapeText(shape)) is invalid for input of size \(floats.count)")
        self.init(shape: shape, storage: .float32(floats))
        if requiresGrad { self.requiresGrad = true }
    }
}

// MARK: - Factories

extension Tensor {
    static func checkShape(_ shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 },
                     "Trying to create tensor with negative dimension \(shape.first { $0 < 0 } ?? 0): \(shapeText(shape))")
    }

    /// All zeros, like `torch.zeros(shape)`.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false) -> Tensor {
        full(shape, 0, dtype: dtype, requiresGrad: requiresGrad)
    }

    /// All ones, like `torch.ones(shape)`.
    public static func ones(_ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, dtype: dtype, requiresGrad: requiresGrad)
    }

    /// Uninitialised in PyTorch; zeros here (deterministic), like `torch.empty(shape)`.
    public static func empty(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        zeros(shape, dtype: dtype)
    }

    /// Every element `value`, like `torch.full(shape, value)`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, requiresGrad: Bool = false) -> Tensor {
        checkShape(shape)
        let t = Tensor(shape: shape, storage: Storage.filled(value, shape.reduce(1, *), dtype))
        if requiresGrad { t.requiresGrad = true }
        return t
    }

    /// `start, start + step, …` below `end`, like `torch.arange` (int64 when all three are whole numbers).
    ///
    /// ```swift
    /// Tensor.arange(5)            // tensor([0, 1, 2, 3, 4])
    /// Tensor.arange(0, 1, 0.25)   // tensor([0.0000, 0.2500, 0.5000, 0.7500])
    /// ```
    public static func arange(_ start: Double, _ end: Double, _ step: Double = 1, dtype: DType? = nil) -> Tensor {
        precondition(step != 0, "step must be nonzero")
        precondition((end - start) / step >= 0, "upper bound and larger bound inconsistent with step sign")
        let n = Int(((end - start) / step).rounded(.up))
        let whole = [start, end, step].allSatisfy { $0 == $0.rounded() }
        return Tensor(shape: [n], storage: Storage.fromDoubles((0..<n).map { start + Double($0) * step },
                                                              dtype ?? (whole ? .int64 : .float32)))
    }

    /// `0, 1, …, end - 1` as int64, like `torch.arange(end)`.
    public static func arange(_ end: Int) -> Tensor { arange(0, Double(end)) }

    /// `steps` evenly spaced values from `start` to `end` inclusive, like `torch.linspace`.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) -> Tensor {
        precondition(steps >= 0, "number of steps must be non-negative")
        let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
        // PyTorch fills the first half from start and the second half from end, for symmetry.
        let half = steps / 2
        let values = (0..<steps).map { i in i < half ? start + step * Double(i) : end - step * Double(steps - i - 1) }
        return Tensor(shape: [steps], storage: Storage.fromDoubles(values, dtype))
    }

    /// Uniform samples in [0, 1) from `generator`, bit-identical to `torch.rand` after the same seed.
    public static func rand(_ shape: [Int], dtype: DType = .float32, generator: Generator = defaultGenerator,
                            requiresGrad: Bool = false) -> Tensor {
        checkShape(shape)
        let n = shape.reduce(1, *)
        let storage: Storage = dtype == .float64 ? .float64(generator.uniformDoubles(n)) : .float32(generator.uniformFloats(n))
        let t = Tensor(shape: shape, storage: storage)
        if requiresGrad { t.requiresGrad = true }
        return t
    }

    /// Standard normal samples, bit-identical to `torch.randn` after the same seed.
    public static func randn(_ shape: [Int], dtype: DType = .float32, generator: Generator = defaultGenerator,
                             requiresGrad: Bool = false) -> Tensor {
        checkShape(shape)
        let n = shape.reduce(1, *)
        let storage: Storage = dtype == .float64 ? .float64(generator.normalDoubles(n)) : .float32(generator.normalFloats(n))
        let t = Tensor(shape: shape, storage: storage)
        if requiresGrad { t.requiresGrad = true }
        return t
    }

    /// A random permutation of `0..<n` as int64, like `torch.randperm(n)`.
    public static func randperm(_ n: Int, generator: Generator = defaultGenerator) -> Tensor {
        Tensor(shape: [n], storage: .int64(generator.randperm(n).map(Int64.init)))
    }

    /// Zeros of `other`'s shape and dtype, like `torch.zeros_like`.
    public static func zerosLike(_ other: Tensor) -> Tensor { zeros(other.shape, dtype: other.dtype) }
    /// Ones of `other`'s shape and dtype, like `torch.ones_like`.
    public static func onesLike(_ other: Tensor) -> Tensor { ones(other.shape, dtype: other.dtype) }
    /// Uniform samples of `other`'s shape and dtype, like `torch.rand_like`.
    public static func randLike(_ other: Tensor) -> Tensor { rand(other.shape, dtype: other.dtype) }
    /// Normal samples of `other`'s shape and dtype, like `torch.randn_like`.
    public static func randnLike(_ other: Tensor) -> Tensor { randn(other.shape, dtype: other.dtype) }

    /// Ones of `shape` in this tensor's dtype, like `x.new_ones(shape)`.
    public func newOnes(_ shape: [Int]) -> Tensor { Tensor.ones(shape, dtype: dtype) }
    /// Zeros of `shape` in this tensor's dtype, like `x.new_zeros(shape)`.
    public func newZeros(_ shape: [Int]) -> Tensor { Tensor.zeros(shape, dtype: dtype) }
}

// MARK: - Random fills in place

extension Tensor {
    /// Fills with uniform samples in [low, high) in place, like `uniform_(low, high)`.
    public func uniform_(_ low: Double = 0, _ high: Double = 1, generator: Generator = defaultGenerator) {
        checkInPlace()
        switch dtype {
        case .float64: storage = .float64(generator.uniformDoubles(count, low: low, high: high))
        default: storage = Storage.float32(generator.uniformFloats(count, low: Float(low), high: Float(high))).converted(to: dtype)
        }
    }

    /// Fills with normal samples in place, like `normal_(mean, std)`.
    public func normal_(_ mean: Double = 0, _ std: Double = 1, generator: Generator = defaultGenerator) {
        checkInPlace()
        switch dtype {
        case .float64: storage = .float64(generator.normalDoubles(count, mean: mean, std: std))
        default: storage = Storage.float32(generator.normalFloats(count, mean: Float(mean), std: Float(std))).converted(to: dtype)
        }
    }

    /// Bernoulli samples with probabilities taken from this tensor, like `torch.bernoulli(p)`.
    public func bernoulli(generator: Generator = defaultGenerator) -> Tensor {
        let draws = generator.bernoulli(storage.doubles)
        return Tensor(shape: shape, storage: Storage.bool(draws).converted(to: dtype.isFloatingPoint ? dtype : .float32))
    }
}

// MARK: - Conversions and access

extension Tensor {
    /// This tensor's values in `dtype` (a new leaf; float → int truncates), like `x.to(dtype)`.
    /// Converting between float types keeps the graph (`ToCopyBackward0`).
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let out = Tensor(shape: shape, storage: storage.converted(to: dtype))
        guard dtype.isFloatingPoint, let context = Tensor.recording(self) else { return out }
        let from = self.dtype
        return out.attach(context, "ToCopyBackward0", self) { g in g.to(from) }
    }

    /// int64 copy, like `x.long()`.
    public func long() -> Tensor { to(.int64) }
    /// float32 copy, like `x.float()`.
    public func float() -> Tensor { to(.float32) }
    /// float64 copy, like `x.double()`.
    public func double() -> Tensor { to(.float64) }

    /// The single value of a one-element tensor, like `x.item()`.
    public func item() -> Double {
        precondition(count == 1, "a Tensor with \(count) elements cannot be converted to Scalar")
        return storage.double(at: 0)
    }

    /// All elements in row-major order as Doubles.
    public var scalars: [Double] { storage.doubles }

    /// All elements as Floats (float32 tensors without conversion).
    public var floats: [Float] {
        if case .float32(let a) = storage { return a }
        return storage.doubles.map { Float($0) }
    }

    /// An independent copy with no graph, like `x.clone().detach()`.
    public func copy() -> Tensor { Tensor(shape: shape, storage: storage) }
}
