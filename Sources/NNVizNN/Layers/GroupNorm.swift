import NNVizCore

/// Group normalisation, like `nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True, bias=True)`:
/// a per-channel weight (ones) and bias (zeros) when affine, no running statistics (training and
/// evaluation behave alike). Runs ``groupNorm(_:numGroups:weight:bias:eps:)``, recording
/// `NativeGroupNormBackward0`.
///
/// ```swift
/// let norm = GroupNorm(2, 8)
/// print(norm)                                  // GroupNorm(2, 8, eps=1e-05, affine=True, bias=True)
/// let y = norm(Tensor.randn([4, 8, 16, 16]))
/// ```
public final class GroupNorm: Module {
    public let numGroups: Int
    public let numChannels: Int
    public let eps: Double
    public let affine: Bool
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public init(_ numGroups: Int, _ numChannels: Int, eps: Double = 1e-5, affine: Bool = true, bias: Bool = true) {
        precondition(numGroups > 0, "GroupNorm: num_groups must be positive, got \(numGroups)")
        precondition(numChannels % numGroups == 0, "num_channels (\(numChannels)) must be divisible by num_groups (\(numGroups))")
        self.numGroups = numGroups
        self.numChannels = numChannels
        self.eps = eps
        self.affine = affine
        super.init()
        if affine {
            weight = Tensor.ones([numChannels])
            if bias { self.bias = Tensor.zeros([numChannels]) }
        }
    }

    /// `input` itself, or PyTorch's error for fewer than 2 dimensions, channels not divisible by the groups,
    /// or (when affine) a channel count other than `numChannels`.
    ///
    /// ```swift
    /// try GroupNorm.outputShape(input: [2, 6, 3, 3], numGroups: 2, numChannels: 4)
    /// // throws: Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [4] and input of shape [2, 6, 3, 3]
    /// ```
    public static func outputShape(input: [Int], numGroups: Int, numChannels: Int, affine: Bool = true) throws -> [Int] {
        guard numGroups > 0 && numChannels % numGroups == 0 else {
            throw TensorError("num_channels (\(numChannels)) must be divisible by num_groups (\(numGroups))")
        }
        return try groupNormShape(input, numGroups: numGroups, channels: affine ? numChannels : nil)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        groupNorm(x, numGroups: numGroups, weight: weight, bias: bias, eps: eps)
    }

    /// Throws PyTorch's error for an input that does not fit the groups or the channels, or of another dtype.
    public override func check(_ x: Tensor) throws {
        try checkGroupNorm(x, numGroups: numGroups, weight: weight, bias: bias)
    }

    public override var extraDescription: String {
        "\(numGroups), \(numChannels), eps=\(pythonFloat(eps)), affine=\(affine ? "True" : "False"), "
            + "bias=\(bias != nil ? "True" : "False")"
    }
}
