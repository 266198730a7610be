import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// `nnviz inspect --json` for every sample model against PyTorch's own run of the same file
/// (Tests/NNVizCLITests/Fixtures, made by Tests/tools/make_cli_fixtures.py with torch_oracle.py).
@Suite(.serialized)
struct InspectTests {
    static let samples = ["seed1_mlp", "tanh_neuron", "sine_rnn", "mlp_100_1000_10", "small_cnn", "lstm_tagger", "gru_sequence"]

    func flat(_ any: Any?) -> [Double] {
        if let n = any as? NSNumber { return [n.doubleValue] }
        return (any as? [Any])?.flatMap { flat($0) } ?? []
    }

    /// Compares a nested list (or the fixture's summary of a big one) with `actual`, relative to max(1, |x|).
    func matches(_ expected: Any?, _ actual: Any?, tolerance: Double = 2e-5) -> Bool {
        let a = flat(actual)
        if let summary = expected as? [String: Any], summary["summary"] as? Bool == true {
            let head = flat(summary["head"])
            let sum = (summary["sum"] as! NSNumber).doubleValue, absSum = (summary["abs_sum"] as! NSNumber).doubleValue
            return zip(head, a).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
                && abs(a.reduce(0, +) - sum) <= 1e-3 * max(1, absSum)
                && abs(a.map(abs).reduce(0, +) - absSum) <= 1e-4 * max(1, absSum)
        }
        let e = flat(expected)
        return e.count == a.count && zip(e, a).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
    }

    @Test(arguments: samples)
    func jsonMatchesPyTorch(_ name: String) throws {
        let fixtureURL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name).json")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL)) as! [String: Any]
        let spec = try ModelSpec.read(contentsOf: repositoryRoot.appendingPathComponent("samples/\(name).yaml").path)
        let run = try ModelRun(spec: spec)
        run.backward()
        let text = InspectReport.json(run)
        let actual = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(Set(actual.keys) == Set(expected.keys))
        let outputMatches = matches(expected["output"], actual["output"])
        #expect(outputMatches, "output")
        if let loss = expected["loss"] as? Double {
            #expect(abs((actual["loss"] as! Double) - loss) <= 1e-5 * max(1, abs(loss)))
        }
        let expectedParameters = expected["parameters"] as! [String: [String: Any]]
        let actualParameters = actual["parameters"] as! [String: [String: Any]]
        #expect(run.model.namedParameters().map(\.name).sorted() == expectedParameters.keys.sorted())
        for (parameter, value) in expectedParameters {
            let mine = try #require(actualParameters[parameter])
            #expect(mine["shape"] as? [Int] == value["shape"] as? [Int], "\(parameter) shape")
            let valueMatches = matches(value["value"], mine["value"], tolerance: 1e-7)
            let gradMatches = matches(value["grad"], mine["grad"])
            #expect(valueMatches, "\(parameter) value")
            #expect(gradMatches, "\(parameter) grad")
        }
    }

    @Test func tableNamesEveryParameterAndCountsThem() throws {
        let spec = try ModelSpec.read(contentsOf: repositoryRoot.appendingPathComponent("samples/seed1_mlp.yaml").path)
        let run = try ModelRun(spec: spec)
        run.backward()
        let table = InspectReport.table(run)
        #expect(table.contains("output = tensor([[0.1514]], grad_fn=<AddmmBackward0>)"))
        #expect(table.contains("loss   = tensor(0.7201, grad_fn=<MseLossBackward0>)"))
        #expect(table.contains("fc1.weight"))
        #expect(table.hasSuffix("11 parameters in 4 tensors\n"))
    }
}
