import Synchronization

/// One node of the backward graph, named as PyTorch names it (`AddmmBackward0`, `TanhBackward0`,
/// `AccumulateGrad`, …): what `tensor.grad_fn` is in PyTorch.
///
/// A graph walker reads ``name``, the ordered ``nextFunctions`` (one per differentiable input,
/// nil where the input needs no gradient), ``variable`` for `AccumulateGrad` nodes, and ``saved`` —
/// the names, shapes and scalar attributes of what the node saved, which stay readable after
/// backward has freed the saved values themselves.
///
/// ```swift
/// let y = (x * w).sum()
/// print(y.gradFn!.name)                              // SumBackward0
/// print(y.gradFn!.nextFunctions.map { $0?.name })    // [Optional("MulBackward0")]
/// ```
public final class GradFn {
    // Stored properties are laid out in declaration order. What graph walks and the backward pass
    // read comes first, next to the reference count, so a walk touches one or two cache lines of a
    // node; small fields sit in the tail of `backward`; state only some nodes need lives in `extras`.
    // A node takes 152 bytes — one of glibc's fast-bin sizes (see ``HeapTuning``) — where it took 312.

    // The edges to the inputs' nodes: the first two inline (most ops have one or two inputs), the rest
    // in `extraEdges`, so recording an op allocates no array.
    private var edge0: GradFn?
    private var edge1: GradFn?

    // Scratch state of a running backward pass (a multi-output node's gradients are in `extras`).
    var pendingGrad: Tensor?
    var visitMark = 0
    var dependencies: Int32 = 0
    /// How many inputs the node has (see ``edge(_:)``).
    private var storedEdgeCount: Int32 = 0
    /// State only some nodes have; nil for an ordinary node.
    private var extras: Extras?
    /// Order of creation (later nodes run first in backward, as in PyTorch's engine).
    let sequenceNumber: Int
    /// Turns the gradient of the output into gradients of the inputs (aligned with `nextFunctions`).
    /// nil once freed by a backward pass that did not retain the graph.
    var backward: BackwardFunction?
    /// Element type of the tensor this node produced (the type of its saved tensors unless they say otherwise).
    public let outputDType: DType
    /// True once a backward pass freed this node's saved values.
    public internal(set) var isReleased = false

    private var extraEdges: [GradFn?] = []
    /// For each entry of `nextFunctions`: which output of that node the input was (PyTorch's
    /// `input_nr`; non-zero only for inputs made by multi-output ops such as `unbind`). Empty: all 0.
    var nextOutputIndices: [Int] = []

    /// PyTorch's class name for this backward function.
    public let name: String
    /// What the node saved for backward, in PyTorch's `_saved_*` attribute names, sorted by name.
    public let saved: [SavedValue]
    /// Shape of the tensor this node produced.
    public let outputShape: [Int]
    /// The recording state the node was made in (its module path); nil for `AccumulateGrad`.
    private let context: GraphContext?

    private static let counter = Atomic<Int>(0)

    /// The backward functions of the inputs, in argument order; nil for inputs that need no gradient.
    public var nextFunctions: [GradFn?] {
        (0..<edgeCount).map { edge($0) }
    }
    /// How many inputs the node has (entries of ``nextFunctions``).
    var edgeCount: Int { Int(storedEdgeCount) }
    /// For `AccumulateGrad`: the leaf tensor whose `.grad` it fills.
    public var variable: Tensor? { extras?.variable }
    /// The module path (`"rnn"`, `"encoder.0"`) active when the node was created, if any.
    public var modulePath: String? { context?.modulePath }
    /// Where the node was created, recorded in anomaly mode (see ``AnomalyMode``).
    public var creationSite: String? { extras?.creationSite }
    /// Anomaly mode's verdicts: the forward output, or the gradient this node produced, held NaN or ±Inf.
    public internal(set) var forwardNonFinite: Bool {
        get { extras?.forwardNonFinite ?? false }
        set { madeExtras.forwardNonFinite = newValue }
    }
    public internal(set) var backwardNonFinite: Bool {
        get { extras?.backwardNonFinite ?? false }
        set { madeExtras.backwardNonFinite = newValue }
    }
    /// Statistics of the values this node's op produced (its first output for multi-output ops), recorded
    /// inside ``StatisticsMode/enabled(_:)`` only.
    public internal(set) var outputStatistics: ValueStatistics? {
        get { extras?.outputStatistics }
        set { madeExtras.outputStatistics = newValue }
    }
    /// How many tensors this node produced (1 except for multi-output ops such as `unbind`).
    public internal(set) var outputCount: Int {
        get { extras?.outputCount ?? 1 }
        set { madeExtras.outputCount = newValue }
    }

    /// A node with no edges yet (``addEdge(_:)`` appends them in argument order).
    init(name: String, saved: [SavedValue], outputShape: [Int], outputDType: DType, context: GraphContext,
         backward: BackwardFunction) {
        self.name = name
        self.saved = saved
        self.outputShape = outputShape
        self.outputDType = outputDType
        self.backward = backward
        self.sequenceNumber = GradFn.counter.wrappingAdd(1, ordering: .relaxed).newValue
        self.context = context.modulePath == nil ? nil : context
        if context.anomaly { extras = Extras(creationSite: AnomalyMode.callSite(context)) }
    }

    init(accumulating leaf: Tensor) {
        name = "AccumulateGrad"
        saved = []
        outputShape = leaf.shape
        outputDType = leaf.dtype
        backward = nil
        sequenceNumber = Int.max
        context = nil
        extras = Extras(variable: leaf)
    }

    /// The extras record, made on first write.
    private var madeExtras: Extras {
        if let extras { return extras }
        let made = Extras()
        extras = made
        return made
    }

    /// What only some nodes have: the leaf of an `AccumulateGrad`, anomaly and statistics modes' records,
    /// a multi-output node's output count and the gradients gathered for its outputs during backward.
    private final class Extras {
        let variable: Tensor?
        let creationSite: String?
        var forwardNonFinite = false
        var backwardNonFinite = false
        var outputStatistics: ValueStatistics?
        var outputCount = 1
        var pendingGrads: [Tensor?] = []

        init(variable: Tensor? = nil, creationSite: String? = nil) {
            self.variable = variable
            self.creationSite = creationSite
        }
    }

    /// Adds `gradient` to what output `output` of this multi-output node has gathered in this backward pass.
    func gatherGradient(_ gradient: Tensor, output: Int) {
        let extras = madeExtras
        if extras.pendingGrads.isEmpty { extras.pendingGrads = Array(repeating: nil, count: extras.outputCount) }
        extras.pendingGrads[output] = extras.pendingGrads[output].map { $0 + gradient } ?? gradient
    }

    /// The gradients gathered for each output (nil where none flowed), cleared from the node.
    func takeGatheredGradients() -> [Tensor?] {
        guard let extras else { return [] }
        defer { extras.pendingGrads = [] }
        return extras.pendingGrads
    }

    /// Forgets gradients gathered by an earlier, interrupted pass.
    func clearGatheredGradients() {
        extras?.pendingGrads = []
    }

    /// The node of input `i` (nil when that input needs no gradient).
    @inline(__always)
    func edge(_ i: Int) -> GradFn? {
        switch i {
        case 0: return edge0
        case 1: return edge1
        default: return extraEdges[i - 2]
        }
    }

    /// The node of input `i` held without a reference count, for graph walks (valid while this node is).
    @inline(__always)
    func unretainedEdge(_ i: Int) -> NodeRef? {
        switch i {
        case 0: return edge0.map(NodeRef.init)
        case 1: return edge1.map(NodeRef.init)
        default: return extraEdges[i - 2].map(NodeRef.init)
        }
    }

    /// Appends the edge of the next input.
    @inline(__always)
    func addEdge(_ node: GradFn?) {
        switch storedEdgeCount {
        case 0: edge0 = node
        case 1: edge1 = node
        default: extraEdges.append(node)
        }
        storedEdgeCount += 1
    }

    /// Moves the edges only this node holds onto `stack`, so their release happens there instead of
    /// recursively inside this node's deinit.
    private func takeUniqueEdges(into stack: inout [GradFn]) {
        if edge0 != nil, isKnownUniquelyReferenced(&edge0) { stack.append(edge0.take()!) }
        if edge1 != nil, isKnownUniquelyReferenced(&edge1) { stack.append(edge1.take()!) }
        for i in extraEdges.indices where extraEdges[i] != nil && isKnownUniquelyReferenced(&extraEdges[i]) {
            stack.append(extraEdges[i].take()!)
        }
    }

    /// Frees long chains iteratively: a recursive release of a million-node chain would overflow the stack.
    deinit {
        var stack: [GradFn] = []
        takeUniqueEdges(into: &stack)
        while let node = stack.popLast() { node.takeUniqueEdges(into: &stack) }
    }
}

/// A node held without reference counting, for walks over a graph whose root keeps every node alive
/// (edges do not change during a backward pass).
struct NodeRef {
    private let reference: Unmanaged<GradFn>
    init(_ node: GradFn) { reference = .passUnretained(node) }

    /// Runs `body` on the node without retaining it.
    @inline(__always)
    func with<R>(_ body: (GradFn) throws -> R) rethrows -> R { try reference._withUnsafeGuaranteedRef(body) }
    var sequenceNumber: Int { with { $0.sequenceNumber } }
}

/// What a node runs in backward. Nodes of one- and two-input ops return their gradients without
/// building an array.
enum BackwardFunction {
    /// One input: the gradient of the output to the gradient of the input.
    case unary((Tensor) -> Tensor?)
    /// Two inputs.
    case binary((Tensor) -> (Tensor?, Tensor?))
    /// Any number of inputs, one gradient each (nil where none).
    case general((Tensor) -> [Tensor?])
    /// Several outputs: the gradient of every output (nil where none flowed) to gradients of the inputs.
    case multiOutput(([Tensor?]) -> [Tensor?])
}

/// One entry of what a backward node saved, as torchviz's `show_saved`/`show_attrs` display it.
///
/// Two entries are equal when their names and values are (what torchviz shows); the element type and the
/// source tensor are bookkeeping for memory counts.
public struct SavedValue: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// A saved tensor, by shape (its values are freed after backward).
        case tensor(shape: [Int])
        /// A tuple of saved tensors, by shapes.
        case tensors(shapes: [[Int]])
        /// A non-tensor attribute printed as PyTorch's `str()` prints it (`1`, `(1, 2)`, `None`).
        case attribute(String)
    }
    /// The attribute name without PyTorch's `_saved_` prefix (`self`, `mat1`, `result`, `alpha`).
    public let name: String
    public let value: Value
    /// Element type of the saved tensor(s); nil: the type of the node's output (``GradFn/outputDType``),
    /// which is what almost every op saves. Indices and masks name theirs (`int64`, `bool`).
    public let dtype: DType?
    /// The tensor saved, or the tensor it is a view of, when the op said so (``tensor(_:_:)``): tells a
    /// saved parameter (a weight's transpose) from a saved activation while the parameter lives. Compare it
    /// only with tensors alive since before the node was made (an address is reused once its tensor is freed).
    public let source: ObjectIdentifier?

    public init(_ name: String, _ value: Value, dtype: DType? = nil, source: ObjectIdentifier? = nil) {
        self.name = name
        self.value = value
        self.dtype = dtype
        self.source = source
    }

    public static func == (a: SavedValue, b: SavedValue) -> Bool { a.name == b.name && a.value == b.value }

    /// Bytes the saved tensor(s) hold (0 for an attribute), at the element size of their type; `outputDType`
    /// is the node's, used when the entry names no type.
    ///
    /// ```swift
    /// let node = logits.gradFn!
    /// let bytes = node.saved.reduce(0) { $0 + $1.byteCount(outputDType: node.outputDType) }
    /// ```
    public func byteCount(outputDType: DType) -> Int {
        let size = (dtype ?? outputDType).itemSize
        switch value {
        case .tensor(let shape): return size * shape.reduce(1, *)
        case .tensors(let shapes): return size * shapes.reduce(0) { $0 + $1.reduce(1, *) }
        case .attribute: return 0
        }
    }

    /// The entry for saving `t`: its shape, its type, and the tensor it is (or is a view of).
    ///
    /// ```swift
    /// let saved: [SavedValue] = [.tensor("weight", weight), .tensor("input", shape: input.shape)]
    /// ```
    public static func tensor(_ name: String, _ t: Tensor) -> SavedValue {
        SavedValue(name, .tensor(shape: t.shape), dtype: t.dtype, source: ObjectIdentifier(t.viewBase ?? t))
    }
    static func attr(_ name: String, _ text: String) -> SavedValue { SavedValue(name, .attribute(text)) }
    static func shape(_ name: String, _ dims: [Int]) -> SavedValue { SavedValue(name, .attribute(pyTuple(dims))) }
}

/// PyTorch's tuple printing: `()`, `(3,)`, `(2, 3)`.
func pyTuple(_ values: [Int]) -> String {
    if values.count == 1 { return "(\(values[0]),)" }
    return "(" + values.map(String.init).joined(separator: ", ") + ")"
}

/// Python's `repr` of a float (`1.0`, `-0.5`, `1e-05`), as PyTorch shows double attributes.
func pyFloat(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    var text = "\(value)"
    if let e = text.firstIndex(of: "e") {
        let mantissa = text[..<e], exponent = Int(text[text.index(after: e)...])!
        text = "\(mantissa.hasSuffix(".0") ? String(mantissa.dropLast(2)) : String(mantissa))e\(exponent < 0 ? "-" : "+")\(abs(exponent) < 10 ? "0" : "")\(abs(exponent))"
    }
    return text
}

/// PyTorch's printing of a Python float attribute (`1`, `0.5`, `1e-05`).
func pyNumber(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e16 { return String(Int64(value)) }
    var text = "\(value)"
    if text.contains("e-") {
        let parts = text.split(separator: "e")
        let exp = Int(parts[1])!
        text = "\(parts[0])e-" + (abs(exp) < 10 ? "0" : "") + "\(abs(exp))"
    }
    return text
}
