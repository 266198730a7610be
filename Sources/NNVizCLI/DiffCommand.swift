import ArgumentParser
import Foundation
import NNViz

/// `nnviz diff A.yaml B.yaml`: one graph of two model files, what changed coloured.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Draw one graph of two model files: added nodes green, removed red, changed amber.",
        discussion: """
            Runs both files (their loss when they have a target, else their output) and matches the two \
            autograd graphs: parameters by name, then operations by their matched inputs from the leaves up, \
            then the rest by position along the chain from the output down. A changed node (operation, shape \
            or attribute) says what changed in its label. With --grads both files run backward and each \
            parameter is coloured by the ratio of its gradient norms (second ÷ first, log scale). \
            --format html writes the interactive page of 'nnviz graph --format html'.
            """)

    @Argument(help: "The first model file (the 'before').")
    var first: String

    @Argument(help: "The second model file (the 'after').")
    var second: String

    @OptionGroup var outputOptions: OutputOptions

    @Option(name: .customLong("weights-first"), help: "A safetensors checkpoint for the first model (replaces its 'weights:').")
    var weightsFirst: String?

    @Option(name: .customLong("weights-second"), help: "A safetensors checkpoint for the second model (replaces its 'weights:').")
    var weightsSecond: String?

    @Flag(help: "Colour each parameter by the ratio of its gradient norms (both files need a target).")
    var grads = false

    @Option(help: "Resolution of PNG output.")
    var dpi: Double = 96

    func validate() throws {
        guard dpi.isFinite, dpi >= 10, dpi <= 600 else { throw ValidationError("--dpi must be between 10 and 600, got \(dpi)") }
    }

    func run() throws {
        // One model file at two checkpoints: `nnviz diff m.yaml m.yaml --weights-first a.safetensors --weights-second b.safetensors`.
        var specA = try ModelSpec.read(contentsOf: first)
        var specB = try ModelSpec.read(contentsOf: second)
        if let weightsFirst { specA = specA.loading(weightsFirst) }
        if let weightsSecond { specB = specB.loading(weightsSecond) }
        guard specA.input.shape == specB.input.shape else {
            throw UsageError("cannot diff \(first) and \(second): they take inputs of different shapes (\(specA.input.shape) and \(specB.input.shape)); give both the same input")
        }
        let stem = specA.stem == specB.stem ? "\(specA.stem)_diff" : "\(specA.stem)_\(specB.stem)_diff"
        let (path, format) = try outputOptions.resolve(stem: stem, formats: ["png", "svg", "pdf", "dot", "html"])
        let runA = try ModelRun(spec: specA), runB = try ModelRun(spec: specB)
        if grads {
            for (run, file) in [(runA, first), (runB, second)] where run.loss == nil {
                throw UsageError("\(file): --grads needs a loss; give the model file a 'target' (and a 'loss')")
            }
            runA.backward()
            runB.backward()
        }
        let graph = makeDiff(runA.loss ?? runA.output, runB.loss ?? runB.output,
                             paramsA: runA.model.namedParameters(), paramsB: runB.model.namedParameters(),
                             gradientRatios: grads)
        let options = RenderOptions(dpi: dpi, gradientTint: false)
        switch format {
        case "dot": try graph.writeSource(to: path)
        case "html":
            let title = URL(fileURLWithPath: first).lastPathComponent + " → " + URL(fileURLWithPath: second).lastPathComponent
            try graph.page(options: options, title: title).write(to: path)
        default: try graph.render(to: path, options: options)
        }
        if !outputOptions.quiet { print("wrote \(path)") }
    }
}
