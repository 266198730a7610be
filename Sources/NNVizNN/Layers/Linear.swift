import NNVizCore

/// `y = x·Wᵀ + b`, like `nn.Linear(in_features, out_features, bias)`.
///
/// Initialised as PyTorch does from the default generator: weight then bias, each uniform in ±1/√in
/// (kaiming-uniform with a = √5). On 2-D input with bias it records `AddmmBackward0` fed by `TBackward0`;
/// without bias `MmBackward0`; on N-D input the product is folded as PyTorch folds it.
///
/// ```swift
/// manualSeed(1)
/// let fc = Linear(3, 2)   // weight [[0.2975, -0.2548, -0.1119], [0.2710, -0.5435, 0.3462]]
/// let y = fc(Tensor([[1.0, 2.0, 3.0]]))
/// ```
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: Generator = defaultGenerator) {
        precondition(inFeatures >= 0 && outFeatures >= 0, "Linear: sizes must be non-negative, got (\(inFeatures), \(outFeatures))")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init()
        let w = Tensor.zeros([outFeatures, inFeatures])
        // kaiming_uniform_(a=√5): gain √(2/(1+5)) = √(1/3), bound √3 · gain / √fan_in, computed in double.
        w.uniform_(-Initialization.kaimingUniformBound(fanIn: inFeatures), Initialization.kaimingUniformBound(fanIn: inFeatures),
                   generator: generator)
        weight = w
        if bias {
            let b = Tensor.zeros([outFeatures])
            let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
            b.uniform_(-bound, bound, generator: generator)
            self.bias = b
        }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        do { try check(x) } catch { preconditionFailure("\(error)") }
        return linear(x, weight!, bias)
    }

    public override func check(_ x: Tensor) throws {
        let w = weight!
        if x.dtype != w.dtype {
            throw TensorError("mat1 and mat2 must have the same dtype, but got \(x.dtype.scalarTypeName) and \(w.dtype.scalarTypeName)")
        }
        _ = try Linear.outputShape(input: x.shape, inFeatures: inFeatures, outFeatures: outFeatures)
    }

    /// The output shape for an input of shape `input`, or PyTorch's error when its last size is not `inFeatures`.
    ///
    /// ```swift
    /// try Linear.outputShape(input: [2, 3], inFeatures: 3, outFeatures: 2)    // [2, 2]
    /// ```
    public static func outputShape(input: [Int], inFeatures: Int, outFeatures: Int) throws -> [Int] {
        guard let last = input.last, last == inFeatures else {
            let rows = input.isEmpty ? 1 : input.reduce(1, *) / max(input.last ?? 1, 1)
            throw TensorError("mat1 and mat2 shapes cannot be multiplied (\(rows)x\(input.last ?? 0) and \(inFeatures)x\(outFeatures))")
        }
        return Array(input.dropLast()) + [outFeatures]
    }

    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil ? "True" : "False")"
    }
}

/// `x·wᵀ + b` recorded as `aten::linear` records it on CPU: on 2-D input with bias `AddmmBackward0` fed
/// by `TBackward0`, without bias `MmBackward0`; a contiguous N-D input with bias folded into one addmm
/// (`ViewBackward0` in, `UnsafeViewBackward0` out); anything else `matmul` then the bias added.
func linear(_ x: Tensor, _ w: Tensor, _ bias: Tensor?) -> Tensor {
    if x.ndim == 2 {
        if let bias { return addmm(bias, x, w.t()) }
        return x.mm(w.t())
    }
    if let bias, x.ndim > 2, x.isContiguous {
        let lead = Array(x.shape.dropLast())
        return unsafeView(addmm(bias, x.view([-1, w.shape[1]]), w.t()), lead + [w.shape[0]])
    }
    let y = x.matmul(w.t())
    return bias.map { y + $0 } ?? y
}
