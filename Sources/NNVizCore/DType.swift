/// The element type of a ``Tensor``, named as PyTorch names them.
///
/// ```swift
/// let labels = Tensor([1, 0, 2]).long()   // dtype .int64, printed as PyTorch's "Long"
/// ```
public enum DType: Sendable, Hashable, CustomStringConvertible {
    case float32, float64, int64, bool

    /// PyTorch's scalar-type name, as its error messages use it ("Float", "Double", "Long", "Bool").
    public var scalarTypeName: String {
        switch self {
        case .float32: return "Float"
        case .float64: return "Double"
        case .int64: return "Long"
        case .bool: return "Bool"
        }
    }

    /// `torch.float32`, `torch.int64`, … as `repr` prints them.
    public var description: String {
        switch self {
        case .float32: return "torch.float32"
        case .float64: return "torch.float64"
        case .int64: return "torch.int64"
        case .bool: return "torch.bool"
        }
    }

    /// Bytes per element, as `Tensor.element_size()` gives them (a bool takes one byte).
    public var itemSize: Int {
        switch self {
        case .float32: return 4
        case .float64, .int64: return 8
        case .bool: return 1
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// PyTorch's type promotion for two tensor operands.
    static func promote(_ a: DType, _ b: DType) -> DType {
        if a == .float64 || b == .float64 { return .float64 }
        if a == .float32 || b == .float32 { return .float32 }
        if a == .int64 || b == .int64 { return .int64 }
        return .bool
    }
}
