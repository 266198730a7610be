/// The least and greatest drawable values in part of a series, and how many are not drawable.
///
/// A value is drawable on a scale when it lies above the scale's floor (0 on a log axis, -∞ on a linear one)
/// and below +∞; NaN never is. The values are read four at a time, so a million take well under a millisecond.
///
/// ```swift
/// [3, .nan, -1, 8].withUnsafeBufferPointer { DrawableRange($0, floor: 0) }   // low 3, high 8, excluded 2
/// ```
struct DrawableRange {
    private(set) var low = Double.infinity
    private(set) var high = -Double.infinity
    /// How many values are not drawable.
    private(set) var excluded = 0

    /// Whether no value is drawable.
    var isEmpty: Bool { low > high }

    init(_ values: UnsafeBufferPointer<Double>, from start: Int = 0, to end: Int? = nil, floor: Double) {
        let end = end ?? values.count
        guard let base = values.baseAddress, start < end else { return }
        let floors = SIMD4<Double>(repeating: floor), infinities = SIMD4<Double>(repeating: .infinity)
        var lows = infinities, highs = -infinities
        var missing = SIMD4<Int64>.zero
        var i = start
        while i + 4 <= end {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Double>.self)
            let drawable = (v .> floors) .& (v .< infinities)
            lows.replace(with: v, where: drawable .& (v .< lows))
            highs.replace(with: v, where: drawable .& (v .> highs))
            missing &+= SIMD4<Int64>(repeating: 1).replacing(with: 0, where: drawable)
            i += 4
        }
        low = lows.min()
        high = highs.max()
        excluded = Int(missing.wrappedSum())
        while i < end {
            let v = base[i]
            if v > floor && v < .infinity {
                low = Swift.min(low, v)
                high = Swift.max(high, v)
            } else {
                excluded += 1
            }
            i += 1
        }
    }
}

extension DrawableRange {
    /// Ranges already read, by the values' address, extent and floor, so that series sharing an array (the
    /// curves of one log share its x) read it once. Valid while the arrays it was asked about are neither
    /// changed nor freed.
    struct Memo {
        private struct Key: Hashable {
            let address: UnsafeRawPointer?
            let start: Int
            let end: Int
            let floor: Double
        }

        private var ranges: [Key: DrawableRange] = [:]

        /// The range of `values[start...]` above `floor`, read the first time it is asked for.
        mutating func range(of values: UnsafeBufferPointer<Double>, from start: Int = 0, floor: Double) -> DrawableRange {
            let key = Key(address: values.baseAddress.map(UnsafeRawPointer.init), start: start, end: values.count, floor: floor)
            if let range = ranges[key] { return range }
            let range = DrawableRange(values, from: start, floor: floor)
            ranges[key] = range
            return range
        }
    }
}
