import Foundation
import NNViz

/// `weights: path/to/model.safetensors`: trained parameters and buffers for the network a model file
/// builds, as `safetensors.torch.save_file(model.state_dict(), …)` wrote them. A relative path is
/// relative to the model file's folder.
///
/// ```yaml
/// model:
///   - linear: {in: 3, out: 2}
///     name: fc1
/// weights: fc1_trained.safetensors   # fc1.weight, fc1.bias
/// ```
extension ModelSpec {
    /// Where `weights:` points, and where it stands in the model file.
    public struct Weights {
        /// The safetensors file, resolved against the model file's folder.
        public let path: String
        let line: Int?
        let column: Int?
    }

    /// The same file with its `weights:` replaced by a checkpoint named on the command line (relative to
    /// the working directory), as `nnviz diff --weights-first/--weights-second` uses it.
    func loading(_ path: String) -> ModelSpec {
        var spec = self
        spec.weights = Weights(path: path, line: nil, column: nil)
        return spec
    }

    static func parseWeights(_ node: YAMLValue, file: String) throws -> Weights {
        let text = try node.string("weights")
        guard !text.isEmpty else { throw node.error("weights must name a safetensors file, like 'weights: model.safetensors'") }
        let folder = (file as NSString).deletingLastPathComponent
        let path = text.hasPrefix("/") || folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
        return Weights(path: path, line: node.line, column: node.column)
    }
}

extension ModelRun {
    /// Loads the file's `weights:` into `model` with `load_state_dict(strict=True)`'s checks. A problem is
    /// one line at the `weights:` value naming the weights file, in PyTorch's words:
    /// `model.yaml:9:10: weights file 'w.safetensors': Error(s) in loading state_dict for Sequential: Missing key(s) in state_dict: "fc2.bias".`
    static func loadWeights(_ spec: ModelSpec, into model: Module) throws {
        guard let weights = spec.weights else { return }
        do {
            try model.loadSafetensors(weights.path)
        } catch let error as SafetensorsError {
            let reason = error.reason.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            throw ModelSpecError(file: spec.file, line: weights.line, column: weights.column, "weights file '\(weights.path)': \(reason)")
        }
    }
}
