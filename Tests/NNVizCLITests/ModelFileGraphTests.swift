import Foundation
import Testing
import NNViz
@testable import NNVizCLI

/// The graph `nnviz graph` draws for a model file against torchviz's graph of the file's PyTorch twin, by
/// structure (``GraphStructure``, what ../shared/tools/dotcompare.py compares). The expected graphs are this
/// target's fixtures NAME.graph.json, made by Tests/tools/make_cli_fixtures.py (Sequential samples),
/// fixtures_recurrent.py (gru_sequence) and fixtures_graphfiles.py (graph-shaped files).
struct ModelFileGraphTests {

    /// torchviz's graph from `{"nodes": {id: [label, fillcolor]}, "edges": [[tail, head, dir]]}`.
    func torchviz(_ name: String) throws -> GraphStructure {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name).graph.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var nodes: [String: (label: String, fillColor: String?)] = [:]
        for (id, value) in json["nodes"] as! [String: [String]] { nodes[id] = (value[0], value[1]) }
        return GraphStructure(nodes: nodes, edges: (json["edges"] as! [[String]]).map { (from: $0[0], to: $0[1], direction: $0[2]) })
    }

    func expectSame(_ name: String, modelFile: String) throws {
        let expected = try torchviz(name)
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: modelFile))
        let actual = GraphStructure(makeDot(run.loss ?? run.output, params: run.model.namedParameters()))
        #expect(actual.nodes == expected.nodes, "\(name): nodes")
        #expect(actual.edges == expected.edges, "\(name): edges")
        #expect(actual.wiring == expected.wiring, "\(name): wiring")
    }

    @Test(arguments: ["seed1_mlp", "tanh_neuron", "sine_rnn", "mlp_100_1000_10", "small_cnn", "lstm_tagger", "gru_sequence",
                      "resnet_block", "transformer_classifier", "unet_small"])
    func sampleGraphsEqualTorchviz(_ name: String) throws {
        try expectSame(name, modelFile: repositoryRoot.appendingPathComponent("samples/\(name).yaml").path)
    }

    /// Graph-shaped files (blocks, from:, add/mul/cat) beyond the samples.
    @Test(arguments: ["unet_cat", "gated_mul", "dropout_bce", "repeat_names"])
    func graphFileGraphsEqualTorchviz(_ name: String) throws {
        try expectSame(name, modelFile: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/graphfiles/\(name).yaml").path)
    }

    /// A changed graph does not compare equal: one activation swapped in the seed tutorial's network.
    @Test func aDifferentNetworkIsNotTheSameGraph() throws {
        let text = try String(contentsOfFile: repositoryRoot.appendingPathComponent("samples/seed1_mlp.yaml").path, encoding: .utf8)
        let swapped = text.replacingOccurrences(of: "- relu", with: "- tanh")
        #expect(swapped != text)
        let run = try ModelRun(spec: ModelSpec.parse(swapped, file: "swapped.yaml"))
        #expect(GraphStructure(makeDot(run.loss ?? run.output, params: run.model.namedParameters())) != (try torchviz("seed1_mlp")))
    }
}
