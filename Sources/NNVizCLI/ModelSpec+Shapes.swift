import NNViz

/// Static checks of a model file before anything is allocated: every layer's input shape is worked
/// out from the previous layer's, so a mismatch is reported naming both layers and the shapes, and
/// sizes are held to a memory budget.
extension ModelSpec {
    /// Largest number of elements any one tensor (parameter, input or activation) may have: 64 M floats, 256 MB.
    static let elementBudget = 64 * 1024 * 1024
    /// Largest number of learnable parameters in a model file.
    static let parameterBudget = 64 * 1024 * 1024

    func failure(_ layer: Layer?, _ message: String) -> ModelSpecError {
        ModelSpecError(file: file, line: layer?.line ?? inputLine, column: layer?.column, message)
    }

    /// The output shape of every layer of `model:`, in order, for the input's shape — every layer checked,
    /// blocks where they are used, and every tensor and the parameters held to the budgets.
    func layerShapes() throws -> [[Int]] {
        // Indices for an embedding are int64: no other layer can read them as numbers.
        let readers = layers.filter { $0.inputs.contains(-1) }
        if let embedding = readers.first(where: { $0.kind == "embedding" }),
           let other = readers.first(where: { $0.kind != "embedding" }) {
            throw failure(other, "\(other.reference) reads the input, which holds whole-number indices for \(embedding.reference); only embeddings can read it")
        }
        var parameters = 0
        return try shapes(of: layers, input: input.shape, path: "", inputName: "the input", parameters: &parameters)
    }

    /// The shapes of one list of layers (the model, or a block used at `path`). Recurses only into
    /// blocks, at most ``blockDepthLimit`` deep.
    private func shapes(of layers: [Layer], input: [Int], path: String, inputName: String,
                        parameters: inout Int) throws -> [[Int]] {
        var outputs: [[Int]] = []
        for layer in layers {
            func dotted(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
            let full = dotted(layer.name)
            var sources = layer.inputs.map { i in
                i < 0 ? (shape: input, name: inputName) : (shape: outputs[i], name: layers[i].reference(full: dotted(layers[i].name)))
            }
            let copies = layer.copies ?? 1
            var shape = sources[0].shape
            for copy in 0..<copies {
                let instance = layer.copies == nil ? full : "\(full).\(copy)"
                let reference = layer.reference(full: instance)
                if copy > 0 { sources = [(shape, layer.reference(full: "\(full).\(copy - 1)"))] }
                guard let entry = layer.entry else {
                    let outputs = try shapes(of: blocks[layer.kind]!.layers, input: shape, path: instance,
                                             inputName: "the input of block '\(layer.kind)' at '\(instance)'", parameters: &parameters)
                    shape = outputs.last ?? shape
                    continue
                }
                let (sum, overflow) = parameters.addingReportingOverflow(entry.parameterCount(layer.arguments))
                guard !overflow, sum <= ModelSpec.parameterBudget else {
                    throw failure(layer, "the model would have more than \(ModelSpec.parameterBudget) parameters at \(reference); refusing to allocate it")
                }
                parameters = sum
                let readsModelInput = path.isEmpty && layer.inputs == [-1]
                let context = ShapeContext(training: training, modelInput: readsModelInput ? self.input : nil)
                do {
                    shape = try entry.outputShape(sources.map(\.shape), layer.arguments, context)
                } catch let error as TensorError {
                    let given = sources.map { "\(describe($0.shape)) from \($0.name)" }
                    let list = given.count == 1 ? "shape \(given[0])" : "shapes " + given.dropLast().joined(separator: ", ") + " and " + given.last!
                    throw failure(layer, "\(reference) cannot take \(list): \(error)")
                }
                try checkBudget(shape, layer, reference)
            }
            outputs.append(shape)
        }
        return outputs
    }

    private func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    func checkBudget(_ shape: [Int], _ layer: Layer?, _ reference: String? = nil) throws {
        var total = 1
        for size in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= ModelSpec.elementBudget else {
                throw failure(layer, "\(reference ?? "the input") would hold a tensor of shape \(shape), over the \(ModelSpec.elementBudget)-element budget (256 MB); refusing to allocate it")
            }
            total = product
        }
    }

    /// Checks shapes, sizes, the target and the loss before anything runs.
    func checkSizes() throws {
        try checkBudget(input.shape, nil)
        let shapes = try layerShapes()
        let output = shapes.last ?? input.shape
        guard let target, let loss else { return }
        try checkBudget(target.shape, nil)
        let targetError = { (message: String) in ModelSpecError(file: self.file, line: self.targetLine, column: nil, message) }
        if LossCatalog.losses[loss.kind] == true {
            guard case .literal(let shape, let values, let integral) = target, integral else {
                throw targetError("'\(loss.kind)' needs class indices as the target (whole numbers such as [0, 2, 1])")
            }
            guard output.count >= 1, shape == (output.count == 1 ? [] : [output[0]] + output.dropFirst(2)) else {
                throw targetError("'\(loss.kind)' expects a target of shape \(output.count >= 2 ? [output[0]] + Array(output.dropFirst(2)) : []) for the output's shape \(output), found \(shape)")
            }
            let classes = output.count == 1 ? output[0] : output[1]
            if let bad = values.first(where: { $0 < 0 || Int($0) >= classes }) {
                throw targetError("Target \(Int(bad)) is out of bounds: the output has \(classes) classes")
            }
        } else {
            guard target.shape == output else {
                throw targetError("Using a target size (\(target.shape)) that is different to the input size (\(output)) with '\(loss.kind)'; give the target the output's shape")
            }
        }
    }
}
