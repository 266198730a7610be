/// A programmer error in a tensor computation (shapes or dtypes that do not fit), worded as PyTorch words it.
///
/// Ops stop the program with this message (as a failed precondition: a shape mismatch inside a training
/// script is a bug to fix). Code that wants to test a combination first calls the matching check, which
/// throws instead:
///
/// ```swift
/// do { try Tensor.checkMatmul(x, w.t()) } catch { print(error) }
/// // mat1 and mat2 must have the same dtype, but got Long and Float
/// ```
public struct TensorError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
