import NNVizCore

/// What ``BatchNorm1d`` and ``BatchNorm2d`` share, like PyTorch's `_BatchNorm`: a per-channel weight
/// (ones) and bias (zeros), and the buffers `running_mean` (zeros), `running_var` (ones) and
/// `num_batches_tracked` (int64 0).
///
/// In training mode each forward normalises with the batch's statistics and updates the running ones
/// (momentum 0.1 by default; a nil momentum keeps a cumulative average); in evaluation mode the running
/// statistics normalise. The graph records `NativeBatchNormBackward0`.
public class BatchNorm: Module {
    public let numFeatures: Int
    public let eps: Double
    /// The running statistics' update factor; nil for a cumulative moving average.
    public let momentum: Double?
    public let affine: Bool
    public let trackRunningStats: Bool
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?
    @Buffer("running_mean") public var runningMean: Tensor? = nil
    @Buffer("running_var") public var runningVar: Tensor? = nil
    @Buffer("num_batches_tracked") public var numBatchesTracked: Tensor? = nil

    init(numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, bias: Bool, trackRunningStats: Bool) {
        precondition(numFeatures > 0, "\(Self.self): num_features must be positive, got \(numFeatures)")
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        super.init()
        if affine {
            weight = Tensor.ones([numFeatures])
            if bias { self.bias = Tensor.zeros([numFeatures]) }
        }
        if trackRunningStats {
            runningMean = Tensor.zeros([numFeatures])
            runningVar = Tensor.ones([numFeatures])
            numBatchesTracked = Tensor.zeros([], dtype: .int64)
        }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        do { try check(x) } catch { preconditionFailure("\(error)") }
        var factor = momentum ?? 0
        if training && trackRunningStats, let tracked = numBatchesTracked {
            tracked += 1
            if momentum == nil { factor = 1 / tracked.item() }
        }
        let useRunning = !training || trackRunningStats
        return batchNorm(x, runningMean: useRunning ? runningMean : nil, runningVar: useRunning ? runningVar : nil,
                         weight: weight, bias: bias, training: training || (runningMean == nil && runningVar == nil),
                         momentum: factor, eps: eps)
    }

    /// Throws PyTorch's error for a batch of one value per channel in training, a channel count that
    /// does not match, or a dtype other than the parameters'.
    public override func check(_ x: Tensor) throws {
        let useRunning = !training || trackRunningStats
        try checkBatchNorm(x, runningMean: useRunning ? runningMean : nil, runningVar: useRunning ? runningVar : nil,
                           weight: weight, bias: bias, training: training || (runningMean == nil && runningVar == nil))
    }

    /// The shape rule both batch norms share (their own rank checks come first).
    static func channelRule(input: [Int], numFeatures: Int, training: Bool, affine: Bool,
                            trackRunningStats: Bool) throws -> [Int] {
        let statistics = (trackRunningStats ? ["running_mean", "running_var"] : []) + (affine ? ["weight", "bias"] : [])
        try checkBatchNormShape(input, sizes: statistics.map { ($0, numFeatures) },
                                training: training || !trackRunningStats)
        return input
    }

    public override var extraDescription: String {
        "\(numFeatures), eps=\(pythonFloat(eps)), momentum=\(momentum.map(pythonFloat) ?? "None"), "
            + "affine=\(affine ? "True" : "False"), bias=\(bias != nil ? "True" : "False"), "
            + "track_running_stats=\(trackRunningStats ? "True" : "False")"
    }
}

/// Batch normalisation of (N, C) or (N, C, L) input over each of the C features, like
/// `nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`.
///
/// ```swift
/// let bn = BatchNorm1d(3)
/// let y = bn(Tensor.randn([4, 3]))      // each column: mean 0, biased variance 1 (up to eps)
/// print(bn.runningMean!)                // moved 10 % toward the batch mean
/// bn.eval()                             // now normalises with the running statistics
/// ```
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, bias: Bool = true,
                trackRunningStats: Bool = true) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                   trackRunningStats: trackRunningStats)
    }

    /// Also throws PyTorch's error for input that is not 2-D or 3-D.
    public override func check(_ x: Tensor) throws {
        _ = try BatchNorm1d.outputShape(input: x.shape, numFeatures: numFeatures, training: training,
                                      affine: affine, trackRunningStats: trackRunningStats)
        try super.check(x)
    }

    /// The output shape (the input's), or PyTorch's error for the wrong rank, a channel count other than
    /// `numFeatures`, or one value per channel in training (`training`: batch statistics are used).
    ///
    /// ```swift
    /// try BatchNorm1d.outputShape(input: [4, 3], numFeatures: 3, training: true)    // [4, 3]
    /// ```
    public static func outputShape(input: [Int], numFeatures: Int, training: Bool, affine: Bool = true,
                                   trackRunningStats: Bool = true) throws -> [Int] {
        guard input.count == 2 || input.count == 3 else { throw TensorError("expected 2D or 3D input (got \(input.count)D input)") }
        return try channelRule(input: input, numFeatures: numFeatures, training: training, affine: affine,
                               trackRunningStats: trackRunningStats)
    }
}

/// Batch normalisation of (N, C, H, W) images over each of the C channels, like
/// `nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`.
///
/// ```swift
/// let net = Sequential(Conv2d(1, 2, kernelSize: 3, padding: 1), BatchNorm2d(2), ReLU())
/// ```
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, bias: Bool = true,
                trackRunningStats: Bool = true) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                   trackRunningStats: trackRunningStats)
    }

    /// Also throws PyTorch's error for input that is not 4-D.
    public override func check(_ x: Tensor) throws {
        _ = try BatchNorm2d.outputShape(input: x.shape, numFeatures: numFeatures, training: training,
                                      affine: affine, trackRunningStats: trackRunningStats)
        try super.check(x)
    }

    /// The output shape (the input's), or PyTorch's error for the wrong rank, a channel count other than
    /// `numFeatures`, or one value per channel in training (`training`: batch statistics are used).
    ///
    /// ```swift
    /// try BatchNorm2d.outputShape(input: [2, 8, 16, 16], numFeatures: 8, training: true)    // [2, 8, 16, 16]
    /// ```
    public static func outputShape(input: [Int], numFeatures: Int, training: Bool, affine: Bool = true,
                                   trackRunningStats: Bool = true) throws -> [Int] {
        guard input.count == 4 else { throw TensorError("expected 4D input (got \(input.count)D input)") }
        return try channelRule(input: input, numFeatures: numFeatures, training: training, affine: affine,
                               trackRunningStats: trackRunningStats)
    }
}
