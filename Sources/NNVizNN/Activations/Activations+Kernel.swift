import Foundation
import NNVizCore

// The machinery shared by the elementwise activations and losses: each formula is written once,
// generically, and runs in float32 arithmetic on float32 tensors and in float64 on float64 tensors,
// as PyTorch's CPU kernels do (constants such as `alpha` are rounded to the element type first).

// MARK: - Element types

/// The floating-point types a kernel runs in, with the libm functions the formulas need.
protocol KernelFloat: LayerElement {
    static func exp(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
}

extension Float: KernelFloat {
    static func exp(_ x: Float) -> Float { libmExp(x) }
    static func expm1(_ x: Float) -> Float { libmExpm1(x) }
    static func log(_ x: Float) -> Float { libmLog(x) }
    static func log1p(_ x: Float) -> Float { libmLog1p(x) }
    static func tanh(_ x: Float) -> Float { libmTanh(x) }
    static func erf(_ x: Float) -> Float { libmErf(x) }
}

extension Double: KernelFloat {
    static func exp(_ x: Double) -> Double { libmExp(x) }
    static func expm1(_ x: Double) -> Double { libmExpm1(x) }
    static func log(_ x: Double) -> Double { libmLog(x) }
    static func log1p(_ x: Double) -> Double { libmLog1p(x) }
    static func tanh(_ x: Double) -> Double { libmTanh(x) }
    static func erf(_ x: Double) -> Double { libmErf(x) }
}

// Inside the extensions above the static members would shadow the C functions, so they are reached
// through these file-level names.
private func libmExp(_ x: Float) -> Float { exp(x) }
private func libmExpm1(_ x: Float) -> Float { expm1(x) }
private func libmLog(_ x: Float) -> Float { log(x) }
private func libmLog1p(_ x: Float) -> Float { log1p(x) }
private func libmTanh(_ x: Float) -> Float { tanh(x) }
private func libmErf(_ x: Float) -> Float { erf(x) }
private func libmExp(_ x: Double) -> Double { exp(x) }
private func libmExpm1(_ x: Double) -> Double { expm1(x) }
private func libmLog(_ x: Double) -> Double { log(x) }
private func libmLog1p(_ x: Double) -> Double { log1p(x) }
private func libmTanh(_ x: Double) -> Double { tanh(x) }
private func libmErf(_ x: Double) -> Double { erf(x) }

// MARK: - Elementwise activations

/// An activation applied to each element on its own, recorded as one PyTorch backward node.
protocol PointwiseActivation {
    /// PyTorch's backward node (`EluBackward0`).
    var nodeName: String { get }
    /// PyTorch's kernel name, as its error for integer input quotes it (`elu_cpu`).
    var kernelName: String { get }
    /// The scalar arguments the node saves, as PyTorch prints them (`alpha: 1.0`).
    var attributes: [SavedValue] { get }
    /// The activation of one element.
    func value<T: KernelFloat>(_ x: T) -> T
    /// The input's gradient at `x` given the output's gradient `g`.
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T
    /// The activation of an int64 element, for the few kernels PyTorch also runs on integers
    /// (their result is an int64 tensor without a graph); nil for float-only kernels.
    var integerValue: ((Int64) -> Int64)? { get }
    /// What the node saves, sorted by name as PyTorch lists its `_saved_*` attributes.
    func saved(_ input: Tensor) -> [SavedValue]
}

extension PointwiseActivation {
    var integerValue: ((Int64) -> Int64)? { nil }

    /// The attributes and the input (`self`).
    func saved(_ input: Tensor) -> [SavedValue] {
        (attributes + [.tensor("self", shape: input.shape)]).sorted { $0.name < $1.name }
    }
}

extension Tensor {
    /// Applies `kernel` to every element, recording `kernel.nodeName` with the input saved.
    func applying<K: PointwiseActivation>(_ kernel: K) -> Tensor {
        if dtype == .int64, let f = kernel.integerValue {
            return Tensor(shape: shape, values: scalars.map { Double(f(Int64($0))) }, dtype: .int64)
        }
        requireFloatingPoint(kernel.kernelName)
        func run<T: KernelFloat>(_: T.Type) -> Tensor {
            let x: [T] = T.elementValues(of: self)
            let out = T.elementTensor(x.map { kernel.value($0) }, shape: shape)
            return Tensor.function(kernel.nodeName, inputs: [self], saved: kernel.saved(self), output: out) { grad in
                let g: [T] = T.elementValues(of: grad)
                return [T.elementTensor(zip(g, x).map { kernel.gradient($0, $1) }, shape: grad.shape)]
            }
        }
        return dtype == .float64 ? run(Double.self) : run(Float.self)
    }

    /// Stops with PyTorch's error for an integer tensor reaching a float-only kernel.
    func requireFloatingPoint(_ kernelName: String) {
        do { try checkFloatingPoint(kernelName) } catch { preconditionFailure("\(error)") }
    }

    /// Throws PyTorch's error for an integer tensor reaching a float-only kernel.
    func checkFloatingPoint(_ kernelName: String) throws {
        guard dtype.isFloatingPoint else {
            throw TensorError("\"\(kernelName)\" not implemented for '\(dtype.scalarTypeName)'")
        }
    }
}
