/// Smoothing for noisy training curves.
public enum Smoothing {
    /// TensorBoard's debiased exponential moving average with `weight` in 0…1 (0 leaves the data as is).
    ///
    /// `last = last·w + (1 − w)·y`, counted from `last = 0`, then divided by `1 − wⁿ` so early points are
    /// not pulled towards zero. Non-finite values pass through unsmoothed and are not counted; a constant
    /// series is returned unchanged.
    ///
    /// ```swift
    /// Smoothing.exponentialMovingAverage([1, 2, 3], weight: 0.6)   // [1, 1.625, 2.2245…]
    /// ```
    public static func exponentialMovingAverage(_ values: [Double], weight: Double) -> [Double] {
        precondition((0...1).contains(weight), "smoothing weight \(weight) is outside 0…1")
        guard let first = values.first, !values.allSatisfy({ $0 == first }) else { return values }
        var result = values
        var last = 0.0, weightPower = 1.0
        for i in values.indices where values[i].isFinite {
            last = last * weight + (1 - weight) * values[i]
            weightPower *= weight
            let debias = weight == 1 ? 1 : 1 - weightPower
            result[i] = last / debias
        }
        return result
    }
}
