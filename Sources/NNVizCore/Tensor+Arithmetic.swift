import Foundation
import RealModule

// MARK: - Tensor ⊕ Tensor

extension Tensor {
    /// Elementwise sum with broadcasting (`AddBackward0`).
    ///
    /// ```swift
    /// let y = Tensor([[1.0, 2.0], [3.0, 4.0]]) + Tensor([10.0, 20.0])   // [[11, 22], [13, 24]]
    /// ```
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = zipData(a, b, { $0 + $1 }, { $0 + $1 }, { $0 &+ $1 })
        guard let context = recording(a, b) else { return out }
        let sa = a.shape, sb = b.shape
        return out.attach(context, "AddBackward0", a, b, saved: alphaOne) { g in
            (g.sumTo(sa), g.sumTo(sb))
        }
    }

    /// Elementwise difference with broadcasting (`SubBackward0`).
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = zipData(a, b, { $0 - $1 }, { $0 - $1 }, { $0 &- $1 })
        guard let context = recording(a, b) else { return out }
        let sa = a.shape, sb = b.shape
        return out.attach(context, "SubBackward0", a, b, saved: alphaOne) { g in
            (g.sumTo(sa), (-g).sumTo(sb))
        }
    }

    /// Elementwise product with broadcasting (`MulBackward0`).
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = zipData(a, b, { $0 * $1 }, { $0 * $1 }, { $0 &* $1 })
        guard let context = recording(a, b) else { return out }
        let da = a.detach(), db = b.detach()
        let needA = a.requiresGrad, needB = b.requiresGrad
        let saved: [SavedValue] = [
            needA ? .tensor("other", b) : .attr("other", "None"),
            needB ? .tensor("self", a) : .attr("self", "None"),
        ]
        return out.attach(context, "MulBackward0", a, b, saved: saved) { g in
            (needA ? (g * db).sumTo(da.shape) : nil,
             needB ? (g * da).sumTo(db.shape) : nil)
        }
    }

    /// Elementwise true division with broadcasting (`DivBackward0`); integer operands give float32.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = zipData(a, b, floatOnly: true, { $0 / $1 }, { $0 / $1 }, { $0 / $1 })
        guard let context = recording(a, b) else { return out }
        let da = a.detach(), db = b.detach()
        let needA = a.requiresGrad, needB = b.requiresGrad
        let saved: [SavedValue] = [
            .tensor("other", b),
            needB ? .tensor("self", a) : .attr("self", "None"),
        ]
        return out.attach(context, "DivBackward0", a, b, saved: saved) { g in
            (needA ? (g / db).sumTo(da.shape) : nil,
             needB ? (-g * da / (db * db)).sumTo(db.shape) : nil)
        }
    }

    /// Elementwise negation (`NegBackward0`).
    public static prefix func - (a: Tensor) -> Tensor {
        let out: Tensor
        if case .int64(let v) = a.storage {
            out = Tensor(shape: a.shape, storage: .int64(v.map { 0 &- $0 }))
        } else {
            out = a.mapFloat({ -$0 }, { -$0 })
        }
        guard let context = recording(a) else { return out }
        return out.attach(context, "NegBackward0", a) { g in -g }
    }
}

// MARK: - Tensor ⊕ scalar

/// What `MulBackward0`/`DivBackward0` save for a number operand: the number as a 0-dim `other`.
private let mulScalarSaved = [SavedValue("other", .tensor(shape: [])), SavedValue("self", .attribute("None"))]
private let alphaOne = [SavedValue("alpha", .attribute("1"))]

extension Tensor {
    /// Adds a number to every element (`AddBackward0`, as PyTorch records `x + 2.5`).
    public static func + (a: Tensor, b: Double) -> Tensor {
        let fb = Float(b)
        let out = a.dtype.isFloatingPoint ? a.mapFloat({ $0 + fb }, { $0 + b })
            : zipData(a, a.scalarOperand(b), { $0 + $1 }, { $0 + $1 }, { $0 &+ $1 })
        guard let context = recording(a) else { return out }
        return out.attach(context, "AddBackward0", a, saved: alphaOne) { g in g }
    }

    public static func + (a: Double, b: Tensor) -> Tensor { b + a }

    /// Subtracts a number from every element (`SubBackward0`).
    public static func - (a: Tensor, b: Double) -> Tensor {
        let fb = Float(b)
        let out = a.dtype.isFloatingPoint ? a.mapFloat({ $0 - fb }, { $0 - b })
            : zipData(a, a.scalarOperand(b), { $0 - $1 }, { $0 - $1 }, { $0 &- $1 })
        guard let context = recording(a) else { return out }
        return out.attach(context, "SubBackward0", a, saved: alphaOne) { g in g }
    }

    /// A number minus every element (`RsubBackward1`).
    public static func - (a: Double, b: Tensor) -> Tensor {
        let out = zipData(b.scalarOperand(a), b, { $0 - $1 }, { $0 - $1 }, { $0 &- $1 })
        guard let context = recording(b) else { return out }
        return out.attach(context, "RsubBackward1", b, saved: alphaOne) { g in -g }
    }

    /// Multiplies every element by a number (`MulBackward0`, the number saved as a 0-dim `other`).
    public static func * (a: Tensor, b: Double) -> Tensor {
        let fb = Float(b)
        let out = a.dtype.isFloatingPoint ? a.mapFloat({ $0 * fb }, { $0 * b })
            : zipData(a, a.scalarOperand(b), { $0 * $1 }, { $0 * $1 }, { $0 &* $1 })
        guard let context = recording(a) else { return out }
        return out.attach(context, "MulBackward0", a, saved: mulScalarSaved) { g in
            g.mapFloat({ $0 * fb }, { $0 * b })
        }
    }

    public static func * (a: Double, b: Tensor) -> Tensor { b * a }

    /// Divides every element by a number (`DivBackward0`).
    public static func / (a: Tensor, b: Double) -> Tensor {
        let fb = Float(b)
        let out = a.mapFloat({ $0 / fb }, { $0 / b })
        guard let context = recording(a) else { return out }
        return out.attach(context, "DivBackward0", a, saved: mulScalarSaved) { g in
            g.mapFloat({ $0 / fb }, { $0 / b })
        }
    }

    /// A number divided by every element (`DivBackward0` of a reciprocal, `ReciprocalBackward0` × `MulBackward0` in PyTorch).
    public static func / (a: Double, b: Tensor) -> Tensor {
        b.reciprocal() * a
    }

    /// `1 / x` elementwise (`ReciprocalBackward0`).
    public func reciprocal() -> Tensor {
        let out = mapFloat({ 1 / $0 }, { 1 / $0 })
        guard let context = Tensor.recording(self) else { return out }
        let r = out.detach()
        return out.attach(context, "ReciprocalBackward0", self, saved: [.tensor("result", out)]) { g in
            -g * r * r
        }
    }
}

// MARK: - Powers

extension Tensor {
    /// Raises every element to `exponent` (`PowBackward0`).
    ///
    /// ```swift
    /// let x = Tensor([1.0], requiresGrad: true)
    /// x.pow(2).backward()          // x.grad == [2]
    /// ```
    public func pow(_ exponent: Double) -> Tensor {
        let fe = Float(exponent)
        let out: Tensor
        switch exponent {  // PyTorch's special cases, which round differently from pow()
        case 2: out = mapFloat({ $0 * $0 }, { $0 * $0 })
        case 3: out = mapFloat({ $0 * $0 * $0 }, { $0 * $0 * $0 })
        case 0.5: out = mapFloat({ $0.squareRoot() }, { $0.squareRoot() })
        case -1: out = mapFloat({ 1 / $0 }, { 1 / $0 })
        case -2: out = mapFloat({ 1 / ($0 * $0) }, { 1 / ($0 * $0) })
        default: out = mapFloat({ powf($0, fe) }, { Foundation.pow($0, exponent) })
        }
        guard let context = Tensor.recording(self) else { return out }
        let x = detach()
        return out.attach(context, "PowBackward0", self, saved: [.attr("exponent", pyNumber(exponent)), .tensor("self", self)]) { g in
            if exponent == 0 { return g * 0 }
            return g * exponent * x.pow(exponent - 1)
        }
    }

    /// `base` raised to every element (`PowBackward2`), like `2.0 ** x`.
    public static func pow(base: Double, _ exponent: Tensor) -> Tensor {
        let fb = Float(base)
        let out = exponent.mapFloat({ powf(fb, $0) }, { Foundation.pow(base, $0) })
        guard let context = recording(exponent) else { return out }
        let r = out.detach()
        let logBase = Double.log(base)
        return out.attach(context, "PowBackward2", exponent,
                          saved: [.tensor("exponent", exponent), .tensor("result", out), .attr("self", pyFloat(base))]) { g in
            g * r * logBase
        }
    }

    /// Raises elements to elementwise exponents with broadcasting (`PowBackward1`).
    public func pow(_ exponent: Tensor) -> Tensor {
        let out = Tensor.zipData(self, exponent, floatOnly: true,
                                 { powf($0, $1) }, { Foundation.pow($0, $1) }, { Int64(Foundation.pow(Double($0), Double($1))) })
        guard let context = Tensor.recording(self, exponent) else { return out }
        let x = detach(), e = exponent.detach(), r = out.detach()
        let selfNeeds = requiresGrad, expNeeds = exponent.requiresGrad
        return out.attach(context, "PowBackward1", [self, exponent],
                          saved: [.tensor("exponent", exponent), .tensor("result", out), .tensor("self", self)]) { g in
            let gx: Tensor? = selfNeeds ? (g * e * x.pow(e - 1)).sumTo(x.shape) : nil
            var ge: Tensor? = nil
            if expNeeds {
                let logx = Tensor.zipData(x, e, floatOnly: true,
                                          { $0 == 0 && $1 >= 0 ? 0 : Float.log($0) },
                                          { $0 == 0 && $1 >= 0 ? 0 : Double.log($0) }, { a, _ in a })
                ge = (g * r * logx).sumTo(e.shape)
            }
            return [gx, ge]
        }
    }
}

// MARK: - In-place updates

extension Tensor {
    /// Checks that an in-place write is allowed here, as PyTorch does.
    func checkInPlace() {
        precondition(!(isLeaf && requiresGrad && GraphContext.current.gradEnabled),
                     "a leaf Variable that requires grad is being used in an in-place operation.")
    }

    /// Rewrites the elements of this float32 tensor in place, keeping its identity, as an optimizer
    /// updates a parameter under ``noGrad(_:)``: `body` gets them in row-major order. No new array is made
    /// unless something else (a graph's saved value, a copy) still shares them.
    ///
    /// ```swift
    /// noGrad { w.withUnsafeMutableFloats { for i in $0.indices { $0[i] *= 0.5 } } }
    /// ```
    public func withUnsafeMutableFloats<R>(_ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        checkInPlace()
        guard case .float32(var values) = storage else { preconditionFailure("expected a float32 tensor, got \(dtype)") }
        storage = .float32([])  // leaves `values` the only reference, so writing it copies nothing
        defer { storage = .float32(values) }
        return values.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Replaces this tensor's values by `other`'s (broadcast to this shape), keeping its identity, like `copy_`.
    public func copy_(_ other: Tensor) {
        checkInPlace()
        guard let outShape = Broadcast.shape(shape, other.shape), outShape == shape else {
            preconditionFailure("output with shape \(shapeText(shape)) doesn't match the broadcast shape \(shapeText(Broadcast.shape(shape, other.shape) ?? other.shape))")
        }
        let expanded = other.shape == shape ? other.storage
            : other.storage.strided(shape: shape, strides: Broadcast.strides(other.shape, to: shape))
        storage = expanded.converted(to: dtype)
    }

    /// Writes the result of an op on this tensor back into it, keeping its identity; on a tensor in a
    /// graph the write is recorded (its grad_fn becomes the op's), as PyTorch's in-place ops are.
    func assignInPlace(_ result: Tensor) {
        checkInPlace()
        precondition(result.shape == shape,
                     "output with shape \(shapeText(shape)) doesn't match the broadcast shape \(shapeText(result.shape))")
        storage = result.storage.converted(to: dtype)
        if let fn = result.gradFn { gradFn = fn }
    }

    /// `self += other` in place, keeping identity (parameters updated under ``noGrad(_:)``).
    public static func += (lhs: Tensor, rhs: Tensor) { lhs.assignInPlace(lhs + rhs) }
    public static func -= (lhs: Tensor, rhs: Tensor) { lhs.assignInPlace(lhs - rhs) }
    public static func *= (lhs: Tensor, rhs: Tensor) { lhs.assignInPlace(lhs * rhs) }
    public static func /= (lhs: Tensor, rhs: Tensor) { lhs.assignInPlace(lhs / rhs) }
    public static func += (lhs: Tensor, rhs: Double) { lhs.assignInPlace(lhs + rhs) }
    public static func -= (lhs: Tensor, rhs: Double) { lhs.assignInPlace(lhs - rhs) }
    public static func *= (lhs: Tensor, rhs: Double) { lhs.assignInPlace(lhs * rhs) }
    public static func /= (lhs: Tensor, rhs: Double) { lhs.assignInPlace(lhs / rhs) }

    /// Sets every element to zero in place, like `zero_()`.
    public func zero_() {
        checkInPlace()
        storage = Storage.zeros(count, dtype)
    }

    /// Fills every element with `value` in place, like `fill_()`.
    public func fill_(_ value: Double) {
        checkInPlace()
        storage = Storage.filled(value, count, dtype)
    }
}
