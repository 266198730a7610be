/// Summary of the values one op produced: what a graph viewer shows for a node without keeping the
/// tensor. Min, max, mean and standard deviation are over the finite elements; NaN and ±Inf are
/// counted apart.
///
/// Recorded on each backward node inside ``StatisticsMode/enabled(_:)`` (see ``GradFn/outputStatistics``),
/// or computed for any tensor with ``init(_:)``.
///
/// ```swift
/// let stats = ValueStatistics(Tensor([1.0, 3.0, .nan]))
/// stats.mean        // 2.0
/// stats.nanCount    // 1
/// ```
public struct ValueStatistics: Hashable, Sendable {
    /// The element type of the values.
    public var dtype: DType
    /// Number of elements, finite or not.
    public var count: Int
    /// Smallest finite element; `nil` when none is finite.
    public var min: Double?
    /// Largest finite element; `nil` when none is finite.
    public var max: Double?
    /// Mean of the finite elements; `nil` when none is finite.
    public var mean: Double?
    /// Population standard deviation of the finite elements (`torch.std(unbiased=False)`); `nil` when none is finite.
    public var std: Double?
    /// Number of NaN elements.
    public var nanCount: Int
    /// Number of +Inf or −Inf elements.
    public var infCount: Int

    /// The statistics of `tensor`'s values (its gradient graph is not touched).
    public init(_ tensor: Tensor) {
        self.init(tensor.storage)
    }

    /// One pass for count, NaN/Inf, min, max and the sum; a second for the variance about the mean
    /// (stable where one-pass formulas cancel).
    init(_ storage: Storage) {
        dtype = storage.dtype
        count = storage.count
        var low = Double.infinity, high = -Double.infinity, sum = 0.0
        var finite = 0, nans = 0, infs = 0
        for i in 0..<storage.count {
            let value = storage.double(at: i)
            if value.isNaN { nans += 1; continue }
            if value.isInfinite { infs += 1; continue }
            finite += 1
            sum += value
            if value < low { low = value }
            if value > high { high = value }
        }
        nanCount = nans
        infCount = infs
        guard finite > 0 else { return }
        let average = sum / Double(finite)
        var squares = 0.0
        for i in 0..<storage.count {
            let value = storage.double(at: i)
            if value.isFinite { squares += (value - average) * (value - average) }
        }
        min = low
        max = high
        mean = average
        std = (squares / Double(finite)).squareRoot()
    }
}

/// Recording of per-node output statistics, for graph viewers (`nnviz graph --format html`).
///
/// Inside ``StatisticsMode/enabled(_:)`` every backward node created stores ``ValueStatistics`` of the
/// tensor its op produced (``GradFn/outputStatistics``): a few numbers, never the tensor, computed once
/// when the node is created. Off by default — training loops pay nothing — and scoped to the task, like
/// ``AnomalyMode``.
///
/// ```swift
/// let loss = StatisticsMode.enabled { criterion(model(x), y) }
/// print(loss.gradFn!.outputStatistics!.mean!)
/// ```
public enum StatisticsMode {
    /// Runs `body` with per-node statistics recorded.
    @discardableResult
    public static func enabled<R>(_ body: () throws -> R) rethrows -> R {
        try GraphContext.$current.withValue(GraphContext.current.with(statistics: true), operation: body)
    }

    /// Whether statistics are recorded here.
    public static var isEnabled: Bool { GraphContext.current.statistics }
}
