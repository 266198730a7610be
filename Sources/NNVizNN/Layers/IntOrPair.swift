/// A spatial size given as one number for both dimensions or as a (height, width) pair, as PyTorch's
/// `kernel_size=3` or `kernel_size=(2, 3)`.
///
/// ```swift
/// let conv = Conv2d(1, 8, kernelSize: 3, padding: 1)
/// let wide = Conv2d(1, 8, kernelSize: [1, 5], stride: [1, 2])
/// let pool = MaxPool2d(IntOrPair((2, 3)))
/// ```
public struct IntOrPair: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// The size along the height.
    public let height: Int
    /// The size along the width.
    public let width: Int
    /// Whether it was given as one number (pooling layers print it back as given).
    public let isSingle: Bool

    /// The same size for both dimensions.
    public init(_ value: Int) {
        height = value
        width = value
        isSingle = true
    }

    /// A (height, width) pair.
    public init(_ pair: (Int, Int)) {
        height = pair.0
        width = pair.1
        isSingle = false
    }

    public init(integerLiteral value: Int) { self.init(value) }

    /// Two numbers, `[height, width]`.
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2, "expected a pair of sizes [height, width], got \(elements.count) numbers")
        self.init((elements[0], elements[1]))
    }

    /// Sizes compare by value, however they were written.
    public static func == (a: IntOrPair, b: IntOrPair) -> Bool { a.height == b.height && a.width == b.width }

    /// PyTorch's tuple text, `(3, 3)`.
    var tupleText: String { "(\(height), \(width))" }
    /// `[height, width]`.
    var pair: [Int] { [height, width] }

    /// As PyTorch prints an argument it stored as given: `2` or `(2, 3)`.
    var givenText: String { isSingle ? "\(height)" : tupleText }
}
