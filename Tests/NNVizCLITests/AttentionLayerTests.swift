import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// The registry's `layer_norm`, `multihead_attention` and `transformer_encoder_layer` with PyTorch's
/// argument names: a model file against its PyTorch twin (Fixtures/attention_layers.json, made by
/// Tests/tools/fixtures_attention.py) and the shape errors found before anything runs.
struct AttentionLayerTests {
    @Test func modelFileMatchesItsPyTorchTwin() throws {
        let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: fixtures.appendingPathComponent("attention_layers.json"))) as! [String: Any]
        let spec = try ModelSpec.read(contentsOf: fixtures.appendingPathComponent("attention_layers.yaml").path)
        let run = try ModelRun(spec: spec)
        run.backward()
        let actual = try JSONSerialization.jsonObject(with: Data(InspectReport.json(run).utf8)) as! [String: Any]
        let inspect = InspectTests()
        #expect(inspect.matches(expected["output"], actual["output"], tolerance: 2e-4), "output")
        let loss = expected["loss"] as! Double
        #expect(abs((actual["loss"] as! Double) - loss) <= 2e-4 * max(1, abs(loss)))
        let expectedParameters = expected["parameters"] as! [String: [String: Any]]
        let actualParameters = actual["parameters"] as! [String: [String: Any]]
        #expect(run.model.namedParameters().map(\.name).sorted() == expectedParameters.keys.sorted())
        #expect(expectedParameters.keys.contains("2.in_proj_weight") && expectedParameters.keys.contains("3.self_attn.out_proj.bias"))
        for (parameter, value) in expectedParameters {
            let mine = try #require(actualParameters[parameter])
            #expect(mine["shape"] as? [Int] == value["shape"] as? [Int], "\(parameter) shape")
            #expect(inspect.matches(value["value"], mine["value"], tolerance: 1e-7), "\(parameter) value")
            #expect(inspect.matches(value["grad"], mine["grad"], tolerance: 2e-4), "\(parameter) grad")
        }
        let counted = expectedParameters.values.map { ($0["shape"] as! [Int]).reduce(1, *) }.reduce(0, +)
        #expect(spec.layers.map { $0.entry!.parameterCount($0.arguments) }.reduce(0, +) == counted)
    }

    func error(_ yaml: String) -> ModelSpecError? {
        do { _ = try ModelRun(spec: try ModelSpec.parse(yaml, file: "m.yaml")); return nil } catch let e as ModelSpecError { return e } catch { return nil }
    }

    @Test func shapeErrorsUsePyTorchsWords() {
        let embed = error("model:\n  - linear: {in_features: 4, out_features: 32}\n  - multihead_attention: {embed_dim: 64, num_heads: 4}\ninput: {randn: [2, 5, 4]}\n")
        #expect(embed?.message.hasSuffix("was expecting embedding dimension of 64, but got 32") == true, "\(String(describing: embed))")
        let heads = error("model:\n  - transformer_encoder_layer: {d_model: 10, nhead: 3}\ninput: {randn: [2, 5, 10]}\n")
        #expect(heads?.message.hasSuffix("embed_dim must be divisible by num_heads") == true, "\(String(describing: heads))")
        let norm = error("model:\n  - layer_norm: {normalized_shape: [5, 4]}\ninput: {randn: [2, 5, 3]}\n")
        #expect(norm?.message.hasSuffix("Given normalized_shape=[5, 4], expected input with shape [*, 5, 4], but got input of size[2, 5, 3]") == true,
                "\(String(describing: norm))")
        let activation = error("model:\n  - transformer_encoder_layer: {d_model: 8, nhead: 2, activation: tanh}\ninput: {randn: [2, 5, 8]}\n")
        #expect(activation?.message.contains("must be one of relu, gelu, found 'tanh'") == true, "\(String(describing: activation))")
    }
}
