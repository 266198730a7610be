import NNVizCore

/// The base class of every layer and model, like PyTorch's `nn.Module`.
///
/// Subclass it, declare parameters with ``Param`` and sub-modules as ordinary properties, and override
/// ``forward(_:)``. Parameters and children are found by reflection in declaration order and named as
/// PyTorch names them (`layer1.weight`, `0.bias`, `rnn.weight_ih_l0`).
///
/// ```swift
/// final class NeuralNetwork: Module {
///     let layer1 = Linear(2, 1)
///     override func forward(_ x: Tensor) -> Tensor { layer1(x).tanh() }
/// }
/// let model = NeuralNetwork()
/// let y = model(Tensor([[1.0, 2.0]]))
/// print(model.namedParameters().map(\.name))   // ["layer1.weight", "layer1.bias"]
/// ```
open class Module: CustomStringConvertible {
    /// True in training mode (the default), false after ``eval()``; Dropout and BatchNorm read it.
    public private(set) var training = true
    /// The dotted path of this module inside the model last called, used to group graph nodes.
    var scopePath: String?

    public init() {}

    /// Computes the module's output. Subclasses override it; call the module itself (`model(x)`).
    open func forward(_ input: Tensor) -> Tensor {
        preconditionFailure("\(typeName) must override forward(_:)")
    }

    /// Runs ``forward(_:)`` with the module's name attached to every graph node it creates (for graph
    /// clusters), and, in anomaly mode, with this call site recorded.
    public func callAsFunction(_ input: Tensor, file: String = #fileID, line: Int = #line) -> Tensor {
        if scopePath == nil { assignScopePaths(root: "") }
        return withModuleScope(scopePath ?? "", site: "\(typeName) at \(file):\(line)") { forward(input) }
    }

    /// Throws the error running this module on `input` would stop with (a dtype or shape that does not
    /// fit), so a script can report it instead of stopping. Layers override it; containers check each
    /// child in turn on the shapes it would see.
    ///
    /// ```swift
    /// do { try fc.check(Tensor([[1, 2, 3]])) } catch { print(error) }
    /// // mat1 and mat2 must have the same dtype, but got Long and Float
    /// ```
    open func check(_ input: Tensor) throws {}

    // MARK: - Reflection

    /// The class name, as PyTorch prints it (`Linear`, `NeuralNetwork`); a wrapper standing for the module
    /// it wraps overrides it.
    open var typeName: String { String(describing: type(of: self)) }

    /// Direct sub-modules with their names, in declaration order (array elements are named by index).
    open func namedChildren() -> [(name: String, module: Module)] {
        var result: [(String, Module)] = []
        for child in Mirror(reflecting: self).allChildren {
            guard let label = child.label else { continue }
            if let module = child.value as? Module {
                result.append((label, module))
            } else if let modules = child.value as? [Module] {
                for (i, module) in modules.enumerated() { result.append(("\(label).\(i)", module)) }
            }
        }
        return result
    }

    /// This module's own parameters (not its children's), in declaration order.
    open func ownParameters() -> [(name: String, tensor: Tensor)] {
        Mirror(reflecting: self).allChildren.compactMap { child in
            guard let param = child.value as? Param, let label = child.label, let value = param.wrappedValue else { return nil }
            return (param.name ?? String(label.dropFirst()), value)
        }
    }

    /// This module's own buffers, in declaration order.
    open func ownBuffers() -> [(name: String, tensor: Tensor)] {
        Mirror(reflecting: self).allChildren.compactMap { child in
            guard let buffer = child.value as? Buffer, let label = child.label, let value = buffer.wrappedValue else { return nil }
            return (buffer.name ?? String(label.dropFirst()), value)
        }
    }

    /// Direct sub-modules.
    public func children() -> [Module] { namedChildren().map(\.module) }

    /// Every module in the tree with its dotted name, this one first (named ""), depth first.
    public func namedModules() -> [(name: String, module: Module)] {
        var result: [(String, Module)] = []
        var stack: [(String, Module)] = [("", self)]
        while let (name, module) = stack.popLast() {
            result.append((name, module))
            for (childName, child) in module.namedChildren().reversed() {
                stack.append((name.isEmpty ? childName : name + "." + childName, child))
            }
        }
        return result
    }

    /// Every parameter with PyTorch's dotted name, each tensor once.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(String, Tensor)] = []
        for (prefix, module) in namedModules() {
            for (name, tensor) in module.ownParameters() where seen.insert(ObjectIdentifier(tensor)).inserted {
                result.append((prefix.isEmpty ? name : prefix + "." + name, tensor))
            }
        }
        return result
    }

    /// Every parameter, in `namedParameters()` order (what optimizers take).
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Every buffer with its dotted name.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { prefix, module in
            module.ownBuffers().map { (prefix.isEmpty ? $0.name : prefix + "." + $0.name, $0.tensor) }
        }
    }

    /// Number of learnable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    func assignScopePaths(root: String) {
        for (name, module) in namedModules() { module.scopePath = root + name }
    }

    // MARK: - State

    /// Parameters and buffers by dotted name (copies), like `state_dict()`.
    public func stateDict() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (name, tensor) in stateEntries() { state[name] = tensor.copy() }
        return state
    }

    /// Parameters and buffers with their dotted names in `state_dict()`'s order: module by module, depth
    /// first, each module's parameters and then its buffers (a parameter shared by two modules once).
    func stateEntries() -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(String, Tensor)] = []
        for (prefix, module) in namedModules() {
            func qualified(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }
            for (name, tensor) in module.ownParameters() where seen.insert(ObjectIdentifier(tensor)).inserted {
                result.append((qualified(name), tensor))
            }
            for (name, tensor) in module.ownBuffers() { result.append((qualified(name), tensor)) }
        }
        return result
    }

    /// Copies values into parameters and buffers by name, like `load_state_dict(strict=True)`, converting
    /// each value to the dtype of the tensor it goes into. Throws, changing nothing, with PyTorch's message
    /// when keys are missing or unexpected or shapes differ:
    ///
    /// ```
    /// Error(s) in loading state_dict for Linear:
    /// 	Missing key(s) in state_dict: "bias". 
    /// 	size mismatch for weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([3, 3]).
    /// ```
    public func loadStateDict(_ state: [String: Tensor]) throws {
        try loadState(state.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// ``loadStateDict(_:)`` for named tensors in a given order (a file's), which orders the unexpected keys
    /// as PyTorch does: by the module that finds them (depth first), then in this order.
    func loadState(_ entries: [(name: String, tensor: Tensor)]) throws {
        let targets = stateEntries()
        var state: [String: Tensor] = [:]
        for (name, tensor) in entries { state[name] = tensor }
        var missing: [String] = []
        var mismatches: [String] = []
        var copies: [(target: Tensor, value: Tensor)] = []
        for (name, target) in targets {
            guard var value = state[name] else {
                // A batch norm keeps its own count when the state has none, as PyTorch's `_BatchNorm` does for
                // a state dict without version metadata (what `safetensors.torch.load_file` returns).
                if name == "num_batches_tracked" || name.hasSuffix(".num_batches_tracked") { continue }
                missing.append(name)
                continue
            }
            // PyTorch reads a one-element 1-d value into a 0-d tensor (checkpoints from before 0.4).
            if target.shape.isEmpty, value.shape == [1] { value = value.reshape([]) }
            guard value.shape == target.shape else {
                mismatches.append("size mismatch for \(name): copying a param with shape \(torchSize(value.shape)) from checkpoint, the shape in current model is \(torchSize(target.shape)).")
                continue
            }
            copies.append((target, value))
        }
        // Each unexpected key is found by the deepest module whose name prefixes it.
        let names = Set(targets.map(\.name))
        let prefixes = namedModules().map { $0.name.isEmpty ? "" : $0.name + "." }
        var unexpectedByModule = [[String]](repeating: [], count: prefixes.count)
        for (name, _) in entries where !names.contains(name) {
            let finder = prefixes.indices.filter { name.hasPrefix(prefixes[$0]) }.max { prefixes[$0].count < prefixes[$1].count }!
            unexpectedByModule[finder].append(name)
        }
        let unexpected = unexpectedByModule.flatMap { $0 }
        var problems: [String] = []
        if !missing.isEmpty { problems.append("Missing key(s) in state_dict: " + missing.map { "\"\($0)\"" }.joined(separator: ", ") + ". ") }
        if !unexpected.isEmpty { problems.append("Unexpected key(s) in state_dict: " + unexpected.map { "\"\($0)\"" }.joined(separator: ", ") + ". ") }
        problems += mismatches
        guard problems.isEmpty else {
            throw TensorError("Error(s) in loading state_dict for \(typeName):\n\t" + problems.joined(separator: "\n\t"))
        }
        noGrad { for (target, value) in copies { target.copy_(value) } }
    }

    /// Switches this module and its children to training mode.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for (_, module) in namedModules() { module.training = mode }
        return self
    }

    /// Switches to evaluation mode (Dropout off, BatchNorm uses running statistics).
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Clears every parameter's gradient, like `zero_grad()` (set to nil, PyTorch's default).
    public func zeroGrad() {
        for p in parameters() { p.grad = nil }
    }

    // MARK: - Printing

    /// The constructor arguments PyTorch prints inside the parentheses (`in_features=3, out_features=2, bias=True`).
    open var extraDescription: String { "" }

    /// PyTorch's module repr.
    ///
    /// ```
    /// Sequential(
    ///   (0): Linear(in_features=3, out_features=2, bias=True)
    ///   (1): ReLU()
    /// )
    /// ```
    open var description: String {
        let children = namedChildren()
        guard !children.isEmpty else { return "\(typeName)(\(extraDescription))" }
        var lines = ["\(typeName)(" + (extraDescription.isEmpty ? "" : extraDescription)]
        if !extraDescription.isEmpty { lines[0] = "\(typeName)(\n  \(extraDescription)" ; lines = [lines[0]] }
        for (name, child) in children {
            let text = child.description.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
            lines.append("  (\(name)): \(text)")
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// A shape as PyTorch prints it: `torch.Size([2, 3])`.
func torchSize(_ shape: [Int]) -> String {
    "torch.Size([" + shape.map(String.init).joined(separator: ", ") + "])"
}

extension Mirror {
    /// Children of this type and its superclasses, base class first (declaration order).
    var allChildren: [Mirror.Child] {
        var mirrors: [Mirror] = []
        var current: Mirror? = self
        while let m = current { mirrors.append(m); current = m.superclassMirror }
        return mirrors.reversed().flatMap { Array($0.children) }
    }
}
