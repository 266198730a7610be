import RealModule

/// Elementwise functions, each with its PyTorch backward node.
extension Tensor {
    /// `eˣ` (`ExpBackward0`, saves `result`).
    public func exp() -> Tensor {
        let out = mapFloat({ Float.exp($0) }, { Double.exp($0) })
        guard let context = Tensor.recording(self) else { return out }
        let r = out.detach()
        return out.attach(context, "ExpBackward0", self, saved: [.tensor("result", out)]) { g in g * r }
    }

    /// Natural logarithm (`LogBackward0`, saves `self`).
    public func log() -> Tensor {
        let out = mapFloat({ Float.log($0) }, { Double.log($0) })
        guard let context = Tensor.recording(self) else { return out }
        let x = detach()
        return out.attach(context, "LogBackward0", self, saved: [.tensor("self", self)]) { g in g / x }
    }

    /// Square root (`SqrtBackward0`, saves `result`).
    public func sqrt() -> Tensor {
        let out = mapFloat({ $0.squareRoot() }, { $0.squareRoot() })
        guard let context = Tensor.recording(self) else { return out }
        let r = out.detach()
        return out.attach(context, "SqrtBackward0", self, saved: [.tensor("result", out)]) { g in g / (r * 2) }
    }

    /// Absolute value (`AbsBackward0`, saves `self`).
    public func abs() -> Tensor {
        let out: Tensor
        if case .int64(let v) = storage { out = Tensor(shape: shape, storage: .int64(v.map { Swift.abs($0) })) }
        else { out = mapFloat({ Swift.abs($0) }, { Swift.abs($0) }) }
        guard let context = Tensor.recording(self) else { return out }
        let x = detach()
        return out.attach(context, "AbsBackward0", self, saved: [.tensor("self", self)]) { g in g * x.sign() }
    }

    /// −1, 0 or 1 elementwise (`SignBackward0`: zero gradient).
    public func sign() -> Tensor {
        let out = mapFloat({ $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
        guard let context = Tensor.recording(self) else { return out }
        return out.attach(context, "SignBackward0", self) { g in g * 0 }
    }

    /// Sine (`SinBackward0`, saves `self`).
    public func sin() -> Tensor {
        let out = mapFloat({ Float.sin($0) }, { Double.sin($0) })
        guard let context = Tensor.recording(self) else { return out }
        let x = detach()
        return out.attach(context, "SinBackward0", self, saved: [.tensor("self", self)]) { g in g * x.cos() }
    }

    /// Cosine (`CosBackward0`, saves `self`).
    public func cos() -> Tensor {
        let out = mapFloat({ Float.cos($0) }, { Double.cos($0) })
        guard let context = Tensor.recording(self) else { return out }
        let x = detach()
        return out.attach(context, "CosBackward0", self, saved: [.tensor("self", self)]) { g in -g * x.sin() }
    }

    /// Hyperbolic tangent (`TanhBackward0`, saves `result`).
    public func tanh() -> Tensor {
        let out: Tensor
        if case .float32(let values) = storage.floatStorage {
            out = Tensor(shape: shape, storage: .float32(Tanh.values(values)))
        } else {
            out = mapFloat({ $0 }, { Double.tanh($0) })
        }
        guard let context = Tensor.recording(self) else { return out }
        let r = out.detach()
        return out.attach(context, "TanhBackward0", self, saved: [.tensor("result", out)]) { g in
            Tensor.zipData(g, r, { $0 * (1 - $1 * $1) }, { $0 * (1 - $1 * $1) }, { a, _ in a })
        }
    }

    /// Logistic sigmoid `1 / (1 + e⁻ˣ)` (`SigmoidBackward0`, saves `result`).
    public func sigmoid() -> Tensor {
        let out = mapFloat({ 1 / (1 + Float.exp(-$0)) }, { 1 / (1 + Double.exp(-$0)) })
        guard let context = Tensor.recording(self) else { return out }
        let r = out.detach()
        return out.attach(context, "SigmoidBackward0", self, saved: [.tensor("result", out)]) { g in
            Tensor.zipData(g, r, { $0 * $1 * (1 - $1) }, { $0 * $1 * (1 - $1) }, { a, _ in a })
        }
    }

    /// `max(x, 0)` (`ReluBackward0`, saves `result`).
    public func relu() -> Tensor {
        let out: Tensor
        if case .int64(let v) = storage { out = Tensor(shape: shape, storage: .int64(v.map { Swift.max($0, 0) })) }
        else { out = mapFloat({ $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }, { $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }) }
        guard let context = Tensor.recording(self) else { return out }
        let r = out.detach()
        return out.attach(context, "ReluBackward0", self, saved: [.tensor("result", out)]) { g in
            Tensor.zipData(g, r, { $1 > 0 ? $0 : 0 }, { $1 > 0 ? $0 : 0 }, { a, _ in a })
        }
    }

    /// Limits every element to `[min, max]` (either may be nil) (`ClampBackward1`).
    ///
    /// ```swift
    /// Tensor([-2.0, 0.5, 3.0]).clamp(min: 0, max: 1)    // tensor([0.0000, 0.5000, 1.0000])
    /// ```
    public func clamp(min lo: Double? = nil, max hi: Double? = nil) -> Tensor {
        precondition(lo != nil || hi != nil, "torch.clamp: At least one of 'min' or 'max' must not be None")
        let l = lo ?? -.infinity, h = hi ?? .infinity
        let lf = Float(l), hf = Float(h)
        let out = mapFloat({ $0.isNaN ? $0 : Swift.min(Swift.max($0, lf), hf) },
                           { $0.isNaN ? $0 : Swift.min(Swift.max($0, l), h) })
        guard let context = Tensor.recording(self) else { return out }
        let x = detach()
        let saved: [SavedValue] = [.attr("max", hi.map(pyFloat) ?? "None"), .attr("min", lo.map(pyFloat) ?? "None"),
                                   .tensor("self", self)]
        return out.attach(context, "ClampBackward1", self, saved: saved) { g in
            Tensor.zipData(g, x, { ($1 >= lf && $1 <= hf) ? $0 : 0 }, { ($1 >= l && $1 <= h) ? $0 : 0 }, { a, _ in a })
        }
    }
}

/// Free-function spellings, as `torch.tanh(x)` reads.
public func exp(_ x: Tensor) -> Tensor { x.exp() }
public func log(_ x: Tensor) -> Tensor { x.log() }
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }
public func abs(_ x: Tensor) -> Tensor { x.abs() }
public func sin(_ x: Tensor) -> Tensor { x.sin() }
public func cos(_ x: Tensor) -> Tensor { x.cos() }
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
public func relu(_ x: Tensor) -> Tensor { x.relu() }
public func pow(_ x: Tensor, _ e: Double) -> Tensor { x.pow(e) }
