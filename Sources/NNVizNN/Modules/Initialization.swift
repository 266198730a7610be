import NNVizCore

/// PyTorch's default initialisation bounds, computed exactly as `torch.nn.init` computes them.
public enum Initialization {
    /// `kaiming_uniform_(a=√5)`'s bound for `fan_in` inputs: √3 · √(1/3) / √fan_in, in double
    /// (one ulp below 1/√fan_in for some fans, which matters for bit-identical weights).
    public static func kaimingUniformBound(fanIn: Int) -> Double {
        guard fanIn > 0 else { return 0 }
        let gain = (2.0 / (1 + 5.0)).squareRoot()
        let std = gain / Double(fanIn).squareRoot()
        return 3.0.squareRoot() * std
    }
}

extension Initialization {
    /// `xavier_uniform_(gain)`'s bound: gain · √(2/(fan_in + fan_out)) · √3, in double as PyTorch computes it.
    public static func xavierUniformBound(fanIn: Int, fanOut: Int, gain: Double = 1) -> Double {
        let std = gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
        return 3.0.squareRoot() * std
    }
}
