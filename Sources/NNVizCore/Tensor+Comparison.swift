// Elementwise comparisons give bool masks, as in PyTorch.

extension Tensor {
    static func compare(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Bool) -> Tensor {
        guard let outShape = Broadcast.shape(a.shape, b.shape) else { preconditionFailure(broadcastMessage(a.shape, b.shape)) }
        let flags = Broadcast.zip(a.storage.doubles, a.shape, b.storage.doubles, b.shape, outShape, f)
        return Tensor(shape: outShape, storage: .bool(flags))
    }

    /// Mask of `a > b` with broadcasting.
    ///
    /// ```swift
    /// x[mask: x > 300] = Tensor(2.0)
    /// ```
    public static func > (a: Tensor, b: Tensor) -> Tensor { compare(a, b, >) }
    public static func < (a: Tensor, b: Tensor) -> Tensor { compare(a, b, <) }
    public static func >= (a: Tensor, b: Tensor) -> Tensor { compare(a, b, >=) }
    public static func <= (a: Tensor, b: Tensor) -> Tensor { compare(a, b, <=) }
    public static func > (a: Tensor, b: Double) -> Tensor { compare(a, Tensor(b, dtype: .float64), >) }
    public static func < (a: Tensor, b: Double) -> Tensor { compare(a, Tensor(b, dtype: .float64), <) }
    public static func >= (a: Tensor, b: Double) -> Tensor { compare(a, Tensor(b, dtype: .float64), >=) }
    public static func <= (a: Tensor, b: Double) -> Tensor { compare(a, Tensor(b, dtype: .float64), <=) }

    /// Elementwise equality mask, like `x == y` / `torch.eq`.
    public func eq(_ other: Tensor) -> Tensor { Tensor.compare(self, other, ==) }
    public func eq(_ value: Double) -> Tensor { Tensor.compare(self, Tensor(value, dtype: .float64), ==) }
    /// Elementwise inequality mask, like `x != y` / `torch.ne`.
    public func ne(_ other: Tensor) -> Tensor { Tensor.compare(self, other, !=) }
    public func ne(_ value: Double) -> Tensor { Tensor.compare(self, Tensor(value, dtype: .float64), !=) }
    public static func == (a: Tensor, b: Double) -> Tensor { a.eq(b) }
    public static func != (a: Tensor, b: Double) -> Tensor { a.ne(b) }

    /// True where both masks are true.
    public static func && (a: Tensor, b: Tensor) -> Tensor { compare(a, b) { $0 != 0 && $1 != 0 } }
    /// True where either mask is true.
    public static func || (a: Tensor, b: Tensor) -> Tensor { compare(a, b) { $0 != 0 || $1 != 0 } }
    /// Logical not of a mask.
    public static prefix func ! (a: Tensor) -> Tensor { compare(a, Tensor(0.0, dtype: .float64), ==) }

    /// True when every element is nonzero, like `bool(x.all())`.
    public func all() -> Bool { scalars.allSatisfy { $0 != 0 } }
    /// True when some element is nonzero, like `bool(x.any())`.
    public func any() -> Bool { scalars.contains { $0 != 0 } }

    /// Whether all elements are within `atol + rtol·|other|` of `other`'s, like `torch.allclose`.
    public func allclose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8) -> Bool {
        guard let s = Broadcast.shape(shape, other.shape), s == shape || s == other.shape else { return false }
        return Broadcast.zip(scalars, shape, other.scalars, other.shape, s) { a, b in
            Swift.abs(a - b) <= atol + rtol * Swift.abs(b) || (a.isNaN && b.isNaN)
        }.allSatisfy { $0 }
    }
}

/// Picks from `a` where `condition` holds and from `b` elsewhere, like `torch.where` (`WhereBackward0`).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let mask = condition.to(.float32)
    let pickA = Tensor.zipData(mask, a, { $0 != 0 ? $1 : 0 }, { $0 != 0 ? $1 : 0 }, { $0 != 0 ? $1 : 0 })
    let pickB = Tensor.zipData(mask, b, { $0 != 0 ? 0 : $1 }, { $0 != 0 ? 0 : $1 }, { $0 != 0 ? 0 : $1 })
    let out = noGrad { pickA + pickB }
    guard let context = Tensor.recording(a, b) else { return out }
    let m = mask.detach(), sa = a.shape, sb = b.shape
    return out.attach(context, "WhereBackward0", a, b, saved: [.tensor("condition", condition)]) { g in
        ((g * m).sumTo(sa), (g * (1 - m)).sumTo(sb))
    }
}
