import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// `gru` and `bidirectional` in model files: a GRU and a bidirectional LSTM against the PyTorch twin
/// (Fixtures/gru_bilstm_model.json, made by Tests/tools/fixtures_recurrent.py), the registry's parameter
/// counts and shape rules.
@Suite(.serialized)
struct RecurrentModelFileTests {
    static let modelFile = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/gru_bilstm_model.yaml").path

    @Test func gruAndBidirectionalLSTMMatchPyTorch() throws {
        let fixtureURL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/gru_bilstm_model.json")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL)) as! [String: Any]
        let spec = try ModelSpec.read(contentsOf: Self.modelFile)
        let run = try ModelRun(spec: spec)
        run.backward()
        let actual = try JSONSerialization.jsonObject(with: Data(InspectReport.json(run).utf8)) as! [String: Any]
        let inspect = InspectTests()
        #expect(inspect.matches(expected["output"], actual["output"]), "output")
        let loss = expected["loss"] as! Double
        #expect(abs((actual["loss"] as! Double) - loss) <= 1e-5 * max(1, abs(loss)))
        let expectedParameters = expected["parameters"] as! [String: [String: Any]]
        let actualParameters = actual["parameters"] as! [String: [String: Any]]
        #expect(run.model.namedParameters().map(\.name) == [
            "gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0", "gru.bias_hh_l0",
            "gru.weight_ih_l1", "gru.weight_hh_l1", "gru.bias_ih_l1", "gru.bias_hh_l1",
            "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
            "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse",
            "head.weight", "head.bias",
        ])
        #expect(Set(actualParameters.keys) == Set(expectedParameters.keys))
        for (parameter, value) in expectedParameters {
            let mine = try #require(actualParameters[parameter])
            #expect(mine["shape"] as? [Int] == value["shape"] as? [Int], "\(parameter) shape")
            #expect(inspect.matches(value["value"], mine["value"], tolerance: 1e-7), "\(parameter) value")
            #expect(inspect.matches(value["grad"], mine["grad"], tolerance: 2e-4), "\(parameter) grad")
        }
        let counted = spec.layers.reduce(0) { $0 + ($1.entry?.parameterCount($1.arguments) ?? 0) }
        #expect(counted == run.model.namedParameters().reduce(0) { $0 + $1.tensor.count })
        #expect(try spec.layerShapes() == [[2, 6, 5], [2, 6], [2, 3]])
    }

    @Test func parameterCountsAndShapesOfEveryConfiguration() throws {
        for kind in ["rnn", "lstm", "gru"] {
            for (layers, bidirectional, bias, output) in [(1, false, true, "all"), (2, true, true, "all"), (3, true, false, "last")] {
                let yaml = "model:\n  - \(kind): {input_size: 4, hidden_size: 5, num_layers: \(layers), bidirectional: \(bidirectional), bias: \(bias), output: \(output)}\ninput: {randn: [2, 6, 4]}\n"
                let spec = try ModelSpec.parse(yaml, file: "m.yaml")
                let run = try ModelRun(spec: spec)
                let layer = spec.layers[0]
                #expect(layer.entry?.parameterCount(layer.arguments) == run.model.namedParameters().reduce(0) { $0 + $1.tensor.count },
                        "\(kind) \(layers) \(bidirectional) \(bias)")
                let features = bidirectional ? 10 : 5
                #expect(try spec.layerShapes() == [output == "all" ? [2, 6, features] : [2, features]])
                #expect(run.output.shape == (output == "all" ? [2, 6, features] : [2, features]))
            }
        }
    }

    @Test func shapeErrorsNameTheLayer() {
        func error(_ yaml: String) -> ModelSpecError? {
            do { _ = try ModelSpec.parse(yaml, file: "m.yaml"); return nil } catch let e as ModelSpecError { return e } catch { return nil }
        }
        let gru = error("model:\n  - gru: {input: 4, hidden: 2}\ninput: {randn: [2, 5, 3]}\n")
        #expect(gru?.message == "layer '0' (gru, line 2) cannot take shape [2, 5, 3] from the input: input.size(-1) must be equal to input_size. Expected 4, got 3")
        let readout = error("model:\n  - gru: {input: 3, hidden: 2, bidirectional: true}\n  - linear: {in: 2, out: 1}\ninput: {randn: [2, 5, 3]}\n")
        #expect(readout?.message.contains("[2, 4]") == true)
        #expect(error("model:\n  - gru: {input: 3, hidden: 2, bidirectional: yes please}\ninput: {randn: [2, 5, 3]}\n") != nil)
    }
}
