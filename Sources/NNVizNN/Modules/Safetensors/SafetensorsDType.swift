import NNVizCore

/// The element types nnviz reads from and writes to safetensors files, by the names the header uses.
///
/// The cases are in the order of safetensors' own `Dtype` enum: writers list tensors by descending order
/// of it (`I64` first, `BOOL` last), then by name.
enum SafetensorsDType: String, CaseIterable {
    case bool = "BOOL", uint8 = "U8", int8 = "I8", int16 = "I16", float16 = "F16", bfloat16 = "BF16"
    case int32 = "I32", float32 = "F32", float64 = "F64", int64 = "I64"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .int16, .float16, .bfloat16: return 2
        case .int32, .float32: return 4
        case .float64, .int64: return 8
        }
    }

    /// Position in safetensors' dtype order (what writers sort by, descending).
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// The header name a tensor of `dtype` is written under.
    init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .float64: self = .float64
        case .int64: self = .int64
        case .bool: self = .bool
        }
    }

    // MARK: - Decoding

    /// A tensor of `shape` from `bytes` (little-endian, row-major; `bytes.count` is the shape's element
    /// count times ``size``). Half and bfloat16 become float32 (exactly: every value of both fits), the
    /// integer types int64.
    func tensor(shape: [Int], bytes: UnsafeRawBufferPointer) -> Tensor {
        /// Each element read as `T` and converted, in one pass into the result's storage.
        func load<T: FixedWidthInteger, R>(_: T.Type, _ convert: (T) -> R) -> [R] {
            let count = bytes.count / MemoryLayout<T>.size
            return [R](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = convert(T(littleEndian: bytes.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)))
                }
                initialized = count
            }
        }
        switch self {
        case .float32:
            return Tensor(shape: shape, floats: load(UInt32.self, Float.init(bitPattern:)))
        case .float64:
            return Tensor(shape: shape, values: load(UInt64.self, Double.init(bitPattern:)), dtype: .float64)
        case .float16:
            return Tensor(shape: shape, floats: load(UInt16.self, Self.float(half:)))
        case .bfloat16:
            return Tensor(shape: shape, floats: load(UInt16.self, Self.float(bfloat16:)))
        case .int64:
            return Tensor(shape: shape, int64s: load(Int64.self) { $0 })
        case .int32:
            return Tensor(shape: shape, int64s: load(Int32.self, Int64.init))
        case .int16:
            return Tensor(shape: shape, int64s: load(Int16.self, Int64.init))
        case .int8:
            return Tensor(shape: shape, int64s: load(Int8.self, Int64.init))
        case .uint8:
            return Tensor(shape: shape, int64s: load(UInt8.self, Int64.init))
        case .bool:
            return Tensor(shape: shape, values: load(UInt8.self) { $0 == 0 ? 0 : 1 }, dtype: .bool)
        }
    }

    /// An IEEE 754 half (1 sign, 5 exponent, 10 fraction bits) as the float32 of the same value:
    /// subnormals become normal float32s, infinities stay infinite, a NaN keeps its sign and payload and
    /// comes out quiet (as PyTorch's conversion and the F16C instructions make it).
    static func float(half bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F:
            let quiet: UInt32 = fraction == 0 ? 0 : 0x0040_0000
            return Float(bitPattern: sign | 0x7F80_0000 | quiet | fraction << 13)
        case 0:
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
        }
    }

    /// A bfloat16 (the upper half of a float32) as that float32.
    static func float(bfloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    // MARK: - Encoding

    /// The little-endian bytes of `tensor`'s elements as this dtype (one of the four nnviz dtypes).
    static func bytes(of tensor: Tensor) -> [UInt8] {
        /// Each element converted to `T` and written little-endian, in one pass into the result.
        func store<S, T: FixedWidthInteger>(_ values: [S], _ convert: (S) -> T) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: values.count * MemoryLayout<T>.size) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                for (i, value) in values.enumerated() {
                    raw.storeBytes(of: convert(value).littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
                }
                initialized = raw.count
            }
        }
        switch tensor.dtype {
        case .float32: return store(tensor.floats, \.bitPattern)
        case .float64: return store(tensor.scalars, \.bitPattern)
        case .int64: return store(tensor.int64s) { $0 }
        case .bool: return tensor.scalars.map { $0 == 0 ? 0 : 1 }
        }
    }
}
