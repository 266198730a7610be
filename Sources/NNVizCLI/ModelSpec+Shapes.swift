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

    /// The output shape of every layer, in order (checked), for the input's shape.
    func layerShapes() throws -> [[Int]] {
        var shape = input.shape
        var shapes: [[Int]] = []
        var previous = "the input"
        func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
        for (index, layer) in layers.enumerated() {
            let context = ShapeContext(training: training, modelInput: index == 0 ? input : nil)
            do {
                shape = try layer.entry.outputShape([shape], layer.arguments, context)
            } catch let error as TensorError {
                throw failure(layer, "\(layer.reference) cannot take shape \(describe(shape)) from \(previous): \(error)")
            }
            try checkBudget(shape, layer)
            shapes.append(shape)
            previous = layer.reference
        }
        return shapes
    }

    func checkBudget(_ shape: [Int], _ layer: Layer?) throws {
        var total = 1
        for size in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= ModelSpec.elementBudget else {
                throw failure(layer, "\(layer?.reference ?? "the input") would hold a tensor of shape \(shape), over the \(ModelSpec.elementBudget)-element budget (256 MB); refusing to allocate it")
            }
            total = product
        }
    }

    /// Checks shapes, sizes, the target and the loss before anything runs.
    func checkSizes() throws {
        try checkBudget(input.shape, nil)
        var parameters = 0
        for layer in layers {
            let (sum, overflow) = parameters.addingReportingOverflow(layer.entry.parameterCount(layer.arguments))
            guard !overflow, sum <= ModelSpec.parameterBudget else {
                throw failure(layer, "the model would have more than \(ModelSpec.parameterBudget) parameters at \(layer.reference); refusing to allocate it")
            }
            parameters = sum
        }
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
