/// The elements of a tensor, contiguous in row-major order, in one of four element types.
///
/// Arrays are copy-on-write: saving an input for backward costs a reference, and a later
/// in-place update of the tensor never changes what backward sees.
enum Storage {
    case float32([Float])
    case float64([Double])
    case int64([Int64])
    case bool([Bool])

    var dtype: DType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        case .int64: return .int64
        case .bool: return .bool
        }
    }

    var count: Int {
        switch self {
        case .float32(let a): return a.count
        case .float64(let a): return a.count
        case .int64(let a): return a.count
        case .bool(let a): return a.count
        }
    }

    /// Element `i` as a Double, whatever the element type.
    @inline(__always)
    func double(at i: Int) -> Double {
        switch self {
        case .float32(let a): return Double(a[i])
        case .float64(let a): return a[i]
        case .int64(let a): return Double(a[i])
        case .bool(let a): return a[i] ? 1 : 0
        }
    }

    var doubles: [Double] {
        switch self {
        case .float32(let a): return mapped(a, Double.init)
        case .float64(let a): return a
        case .int64(let a): return mapped(a, Double.init)
        case .bool(let a): return mapped(a) { $0 ? 1 : 0 }
        }
    }

    /// The same values converted to `dtype` (PyTorch's `.to(dtype)`: floats truncate toward zero into int64).
    func converted(to dtype: DType) -> Storage {
        if dtype == self.dtype { return self }
        switch dtype {
        case .float32:
            switch self {
            case .float64(let a): return .float32(mapped(a) { Float($0) })
            case .int64(let a): return .float32(mapped(a) { Float($0) })
            case .bool(let a): return .float32(mapped(a) { $0 ? 1 : 0 })
            case .float32: return self
            }
        case .float64:
            return .float64(doubles)
        case .int64:
            return .int64(doubles.map { $0.isFinite ? Int64($0.rounded(.towardZero)) : Int64.min })
        case .bool:
            return .bool(doubles.map { $0 != 0 })
        }
    }

    static func zeros(_ count: Int, _ dtype: DType) -> Storage {
        switch dtype {
        case .float32: return .float32([Float](repeating: 0, count: count))
        case .float64: return .float64([Double](repeating: 0, count: count))
        case .int64: return .int64([Int64](repeating: 0, count: count))
        case .bool: return .bool([Bool](repeating: false, count: count))
        }
    }

    static func filled(_ value: Double, _ count: Int, _ dtype: DType) -> Storage {
        switch dtype {
        case .float32: return .float32([Float](repeating: Float(value), count: count))
        case .float64: return .float64([Double](repeating: value, count: count))
        case .int64: return .int64([Int64](repeating: Int64(value), count: count))
        case .bool: return .bool([Bool](repeating: value != 0, count: count))
        }
    }

    static func fromDoubles(_ values: [Double], _ dtype: DType) -> Storage {
        Storage.float64(values).converted(to: dtype)
    }

    /// Gathers elements at `indices` (a permutation or selection of flat positions).
    func gather(_ indices: [Int]) -> Storage {
        switch self {
        case .float32(let a): return .float32(indices.map { a[$0] })
        case .float64(let a): return .float64(indices.map { a[$0] })
        case .int64(let a): return .int64(indices.map { a[$0] })
        case .bool(let a): return .bool(indices.map { a[$0] })
        }
    }
}
