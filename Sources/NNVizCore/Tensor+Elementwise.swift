import RealModule

// The elementwise kernels every op is built on: map over one tensor, zip two broadcast tensors.

/// An array of `count` elements, element `i` being `element(i)`.
///
/// Large arrays are written in one vectorisable loop by ``filledArray(count:_:)``. With the loop inside
/// `Array(unsafeUninitializedCapacity:)`'s closure instead, the optimizer moved it out of line and every
/// element cost calls through closure contexts (ReLU's backward did: `mlp_1000ep` ran 1.6 times as long).
/// Small arrays are appended into a reserved buffer: that initializer looks up generic metadata at run
/// time on every call, which would dominate the cost of a one-element result.
@inline(__always)
func makeArray<R>(count: Int, _ element: (Int) -> R) -> [R] {
    if count == 1 { return [element(0)] }
    if count <= 16 {
        var result: [R] = []
        result.reserveCapacity(count)
        for i in 0..<count { result.append(element(i)) }
        return result
    }
    return filledArray(count: count) { buffer in
        for i in 0..<count { (buffer + i).initialize(to: element(i)) }
    }
}

/// An array of `count` elements that `initialize` initialises, every one, through the pointer it is given.
///
/// The array is made with its count set and its memory uninitialised, and written after: the loop stays in
/// the caller, where the optimizer inlines the element's closure, instead of inside the closure of
/// `Array(unsafeUninitializedCapacity:)`, which it may move out of line (see ``makeArray(count:_:)``).
@inline(__always)
func filledArray<R>(count: Int, _ initialize: (UnsafeMutablePointer<R>) -> Void) -> [R] {
    var result = [R](unsafeUninitializedCapacity: count) { $1 = count }
    result.withUnsafeMutableBufferPointer { buffer in
        if let base = buffer.baseAddress { initialize(base) }
    }
    return result
}

/// `values.map(f)` in one pass (`Array.map` appends element by element, which does not vectorise).
@inline(__always)
func mapped<T, R>(_ values: [T], _ f: (T) -> R) -> [R] {
    values.withUnsafeBufferPointer { source in makeArray(count: source.count) { f(source[$0]) } }
}

extension Storage {
    /// Float views; int64 and bool promote to float32 as PyTorch's float-only ops do.
    var floatStorage: Storage {
        switch self {
        case .float32, .float64: return self
        case .int64, .bool: return converted(to: .float32)
        }
    }

    @inline(__always)
    func mapFloat(_ f: (Float) -> Float, _ d: (Double) -> Double) -> Storage {
        switch floatStorage {
        case .float32(let a): return .float32(mapped(a, f))
        case .float64(let a): return .float64(mapped(a, d))
        default: preconditionFailure("unreachable: floatStorage is float")
        }
    }
}

extension Tensor {
    /// A new tensor (no graph) applying `f`/`d` to every element (as float32/float64).
    @inline(__always)
    func mapFloat(_ f: (Float) -> Float, _ d: (Double) -> Double) -> Tensor {
        Tensor(shape: shape, storage: storage.mapFloat(f, d))
    }

    /// A new tensor (no graph) combining two broadcast tensors elementwise in their promoted type.
    @inline(__always)
    static func zipData(_ a: Tensor, _ b: Tensor, floatOnly: Bool = false,
                        _ f: (Float, Float) -> Float, _ d: (Double, Double) -> Double,
                        _ i: (Int64, Int64) -> Int64) -> Tensor {
        guard let outShape = Broadcast.shape(a.shape, b.shape) else {
            preconditionFailure(broadcastMessage(a.shape, b.shape))
        }
        var dtype = DType.promote(a.dtype, b.dtype)
        if dtype == .bool { dtype = .int64 }
        if floatOnly && !dtype.isFloatingPoint { dtype = .float32 }
        let sa = a.storage.converted(to: dtype), sb = b.storage.converted(to: dtype)
        let storage: Storage
        switch (sa, sb) {
        case let (.float32(x), .float32(y)): storage = .float32(Broadcast.zip(x, a.shape, y, b.shape, outShape, f))
        case let (.float64(x), .float64(y)): storage = .float64(Broadcast.zip(x, a.shape, y, b.shape, outShape, d))
        case let (.int64(x), .int64(y)): storage = .int64(Broadcast.zip(x, a.shape, y, b.shape, outShape, i))
        default: preconditionFailure("unreachable: operands were converted to one dtype")
        }
        return Tensor(shape: outShape, storage: storage)
    }

    /// The shape tensors of shapes `a` and `b` broadcast to, or PyTorch's error when they cannot.
    ///
    /// ```swift
    /// try Tensor.broadcastShape([2, 1, 4], [3, 1])    // [2, 3, 4]
    /// ```
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        guard let shape = Broadcast.shape(a, b) else { throw TensorError(broadcastMessage(a, b)) }
        return shape
    }

    /// PyTorch's broadcasting error, naming the first dimension that does not match.
    static func broadcastMessage(_ a: [Int], _ b: [Int]) -> String {
        let n = Swift.max(a.count, b.count)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da != db && da != 1 && db != 1 {
                return "The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)"
            }
        }
        return "shapes \(shapeText(a)) and \(shapeText(b)) cannot be broadcast"
    }

    /// A scalar operand as a 0-dim tensor of the dtype PyTorch would use next to `self`.
    func scalarOperand(_ value: Double) -> Tensor {
        let dtype: DType
        switch self.dtype {
        case .float32, .float64: dtype = self.dtype
        case .int64, .bool: dtype = value == value.rounded() ? .int64 : .float32
        }
        return Tensor(shape: [], storage: Storage.filled(value, 1, dtype))
    }
}
