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
        for layer in layers {
            func mismatch(_ expectation: String) -> ModelSpecError {
                failure(layer, "\(layer.reference) expects \(expectation), but \(previous) gives shape \(describe(shape))")
            }
            switch layer.kind {
            case "linear":
                guard let last = shape.last, last == layer.int("in") else { throw mismatch("\(layer.int("in")) input features in the last dimension") }
                shape = shape.dropLast() + [layer.int("out")]
            case "rnn", "lstm":
                guard shape.count == 3 || shape.count == 2 else { throw mismatch("a (batch, steps, \(layer.int("input"))) input (batch first)") }
                guard shape.last == layer.int("input") else { throw mismatch("\(layer.int("input")) input features in the last dimension") }
                let last = layer.text("output") == "last"
                if shape.count == 3 {
                    shape = last ? [shape[0], layer.int("hidden")] : [shape[0], shape[1], layer.int("hidden")]
                } else {
                    shape = last ? [layer.int("hidden")] : [shape[0], layer.int("hidden")]
                }
            case "conv2d":
                guard shape.count == 4 || shape.count == 3 else { throw mismatch("a (batch, channels, height, width) input") }
                let c = shape[shape.count - 3]
                guard c == layer.int("in") else { throw mismatch("\(layer.int("in")) input channels") }
                let k = layer.int("kernel"), s = layer.int("stride"), p = layer.int("padding")
                let h = (shape[shape.count - 2] + 2 * p - k) / s + 1, w = (shape[shape.count - 1] + 2 * p - k) / s + 1
                guard shape[shape.count - 2] + 2 * p >= k, shape[shape.count - 1] + 2 * p >= k else {
                    throw mismatch("an input of at least \(k)x\(k) pixels (with padding \(p))")
                }
                shape = shape.dropLast(3) + [layer.int("out"), h, w]
            case "maxpool2d":
                guard shape.count == 4 || shape.count == 3 else { throw mismatch("a (batch, channels, height, width) input") }
                let k = layer.int("kernel"), s = layer.optionalInt("stride") ?? k
                guard shape[shape.count - 2] >= k, shape[shape.count - 1] >= k else { throw mismatch("an input of at least \(k)x\(k) pixels") }
                shape = shape.dropLast(2) + [(shape[shape.count - 2] - k) / s + 1, (shape[shape.count - 1] - k) / s + 1]
            case "batchnorm1d":
                guard (shape.count == 2 || shape.count == 3), shape[1] == layer.int("features") else {
                    throw mismatch("a (batch, \(layer.int("features"))) or (batch, \(layer.int("features")), length) input")
                }
                if training && shape[0] * (shape.count == 3 ? shape[2] : 1) < 2 {
                    throw failure(layer, "\(layer.reference): expected more than 1 value per channel when training, got input shape \(describe(shape)) (use a batch of 2 or more, or mode: eval)")
                }
            case "batchnorm2d":
                guard shape.count == 4, shape[1] == layer.int("features") else {
                    throw mismatch("a (batch, \(layer.int("features")), height, width) input")
                }
            case "flatten":
                guard shape.count >= 2 else { throw mismatch("at least 2 dimensions (it keeps the first)") }
                shape = [shape[0], shape.dropFirst().reduce(1, *)]
            case "embedding":
                guard case .literal(_, let values, let integral) = input, integral, layers.first?.name == layer.name else {
                    throw failure(layer, "\(layer.reference) needs whole-number indices as the model's input (an int literal such as [[1, 4, 2]])")
                }
                if let bad = values.first(where: { $0 < 0 || Int($0) >= layer.int("num") }) {
                    throw failure(layer, "\(layer.reference): index \(Int(bad)) is out of range for \(layer.int("num")) embeddings")
                }
                shape = shape + [layer.int("dim")]
            case "softmax", "log_softmax", "softmin":
                let dim = layer.int("dim")
                guard dim >= -max(shape.count, 1) && dim < max(shape.count, 1) else {
                    throw failure(layer, "\(layer.reference): dim \(dim) is out of range for an input of shape \(describe(shape))")
                }
            case "softmax2d":
                guard shape.count == 3 || shape.count == 4 else { throw mismatch("a 3-D or 4-D input") }
            case "prelu":
                let n = layer.int("num_parameters")
                guard n == 1 || (shape.count >= 2 && shape[1] == n) else { throw mismatch("\(n) channels in dimension 1") }
            default:
                break  // elementwise activations and dropout keep the shape
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

    /// Learnable parameters of each layer, counted from the file alone.
    func parameterCount(_ layer: Layer) -> Int {
        switch layer.kind {
        case "linear": return layer.int("in") * layer.int("out") + (layer.bool("bias") ? layer.int("out") : 0)
        case "rnn", "lstm":
            let gates = layer.kind == "lstm" ? 4 : 1, h = layer.int("hidden")
            return (0..<layer.int("layers")).reduce(0) { total, l in
                let inSize = l == 0 ? layer.int("input") : h
                return total + gates * h * (inSize + h) + (layer.bool("bias") ? 2 * gates * h : 0)
            }
        case "conv2d":
            let k = layer.int("kernel")
            return layer.int("out") * layer.int("in") * k * k + (layer.bool("bias") ? layer.int("out") : 0)
        case "batchnorm1d", "batchnorm2d": return 2 * layer.int("features")
        case "embedding": return layer.int("num") * layer.int("dim")
        case "prelu": return layer.int("num_parameters")
        default: return 0
        }
    }

    /// Checks shapes, sizes, the target and the loss before anything runs.
    func checkSizes() throws {
        try checkBudget(input.shape, nil)
        var parameters = 0
        for layer in layers {
            let (sum, overflow) = parameters.addingReportingOverflow(parameterCount(layer))
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
        if LayerCatalog.losses[loss.kind] == true {
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
