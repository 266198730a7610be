import ArgumentParser
import Foundation
import NNViz

/// `nnviz inspect MODEL.yaml`: the numbers a tutorial prints — output, loss, parameters and gradients.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a model file's output, loss, and every parameter with its gradient.",
        discussion: "With --json the keys are the ones torch_oracle.py writes, so the two can be compared.")

    @Argument(help: "A model file (see samples/*.yaml).")
    var model: String

    @Flag(help: "Print JSON: {\"output\", \"loss\", \"parameters\": {name: {shape, value, grad}}}.")
    var json = false

    func run() throws {
        let spec = try ModelSpec.read(contentsOf: model)
        let run = try ModelRun(spec: spec)
        run.backward()
        print(json ? InspectReport.json(run) : InspectReport.table(run), terminator: json ? "\n" : "")
    }
}

/// The two renderings of a run: a readable report and the oracle's JSON.
enum InspectReport {
    static func json(_ run: ModelRun) -> String {
        var parts = ["\"output\": " + jsonValue(run.output)]
        if let loss = run.loss { parts.append("\"loss\": " + jsonNumber(loss.item())) }
        let parameters = run.model.namedParameters().map { name, tensor in
            "\(jsonString(name)): {\"shape\": [\(tensor.shape.map(String.init).joined(separator: ", "))], \"value\": \(jsonValue(tensor)), \"grad\": \(tensor.grad.map(jsonValue) ?? "null")}"
        }
        parts.append("\"parameters\": {" + parameters.joined(separator: ", ") + "}")
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Nested lists, numbers as the shortest text that reads back to the same double (what Python prints).
    static func jsonValue(_ tensor: Tensor) -> String {
        let values = tensor.scalars
        let integral = tensor.dtype == .int64 || tensor.dtype == .bool
        func nest(_ dim: Int, _ offset: Int) -> String {
            if dim == tensor.ndim {
                return integral ? String(Int64(values[offset])) : jsonNumber(values[offset])
            }
            let stride = tensor.shape[(dim + 1)...].reduce(1, *)
            return "[" + (0..<tensor.shape[dim]).map { nest(dim + 1, offset + $0 * stride) }.joined(separator: ", ") + "]"
        }
        return nest(0, 0)
    }

    static func jsonNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return "\(value)"
    }

    static func jsonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func table(_ run: ModelRun) -> String {
        var lines: [String] = []
        lines.append("model \(run.spec.file)" + (run.spec.seed.map { " (seed \($0))" } ?? ""))
        lines.append(run.model.description)
        lines.append("")
        lines.append("input  = \(run.input)")
        lines.append("output = \(run.output)")
        if let target = run.target { lines.append("target = \(target)") }
        if let loss = run.loss { lines.append("loss   = \(loss)  (\(run.spec.loss!.kind), reduction \(run.spec.loss!.reduction))") }
        lines.append("")
        let parameters = run.model.namedParameters()
        let width = max(parameters.map(\.name.count).max() ?? 0, 9)
        lines.append("parameter".padding(toLength: width, withPad: " ", startingAt: 0) + "  shape")
        for (name, tensor) in parameters {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + "\(tensor.shape)")
            lines.append("  value " + indent(tensor.detach().description, by: 8))
            lines.append("  grad  " + (tensor.grad.map { indent($0.description, by: 8) } ?? "None (no loss: give the file a target)"))
        }
        lines.append("")
        lines.append("graph: " + GraphStatistics(run.loss ?? run.output).description.replacingOccurrences(of: "\n", with: "\n       "))
        lines.append("")
        lines.append("\(run.model.parameterCount) parameters in \(parameters.count) tensors")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func indent(_ text: String, by count: Int) -> String {
        text.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: count))
    }
}
