import ArgumentParser
import Foundation
import NNViz

/// `nnviz summary MODEL.yaml`: torchinfo's table for a model file.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print torchinfo's table for a model file: output shapes, parameters, multiply-adds, memory.",
        discussion: """
            Runs the model once on the file's input (and the loss, when the file has a target) and lists \
            every module with its output shape, its parameters (shared ones counted once), whether they \
            train, and its multiply-adds; then the totals and the memory of one training step, with the \
            tensors the autograd graph saved measured, not estimated.
            """)

    @Argument(help: "A model file (see samples/*.yaml).")
    var model: String

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    @Option(help: "Fold modules deeper than this into their ancestor (0 shows the model alone).")
    var depth: Int?

    func validate() throws {
        if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more, got \(depth)") }
    }

    func run() throws {
        let spec = try ModelSpec.read(contentsOf: model)
        let recorder = ModuleCallRecorder()
        let run = try recorder.record { try ModelRun(spec: spec) }
        let summary = ModelSummary(model: run.model, input: run.input, output: run.output, root: run.loss ?? run.output,
                                   calls: recorder.calls)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.table(depth: depth))
        }
    }
}
