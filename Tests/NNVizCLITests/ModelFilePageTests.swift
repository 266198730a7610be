import Foundation
import Testing
import NNViz
import NNVizCLI

/// The page data of a graph made from a model file, as `nnviz graph --format html` makes it: every node
/// points at the file's line that made it — its layer's line, the loss's line — and the first non-finite
/// node is flagged at its layer's line. (The page itself, with networks built in Swift, is NNVizGraphTests'.)
struct ModelFilePageTests {
    static func sample(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("samples/\(name).yaml").path
    }

    /// The page data's nodes for the model file at `path`, run as `nnviz graph --format json --grads` runs it.
    static func nodes(_ path: String) throws -> [[String: Any]] {
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: path), anomaly: true, statistics: true)
        run.backward()
        let data = makeDot(run.loss!, params: run.model.namedParameters()).pageData
        let object = try #require(JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        return try #require(object["nodes"] as? [[String: Any]])
    }

    @Test func nodesPointAtTheirLinesInTheModelFile() throws {
        let path = Self.sample("seed1_mlp")
        let nodes = try Self.nodes(path)
        let loss = try #require(nodes.first { $0["op"] as? String == "MseLossBackward0" })
        #expect(loss["source"] as? String == "loss 'mse' at \(path):12")
        let addmms = nodes.filter { $0["op"] as? String == "AddmmBackward0" }.compactMap { $0["source"] as? String }
        #expect(addmms.sorted() == ["layer 'fc1' (linear) at \(path):5", "layer 'fc2' (linear) at \(path):8"])
        let relu = try #require(nodes.first { $0["op"] as? String == "ReluBackward0" })
        #expect(relu["source"] as? String == "layer '1' (relu) at \(path):7")
    }

    @Test func firstNonFiniteNodePointsAtItsLayersLine() throws {
        let path = Self.sample("exploding")
        let nodes = try Self.nodes(path)
        let flagged = nodes.filter { $0["firstNonFinite"] != nil }
        #expect(flagged.count == 1)
        let first = try #require(flagged.first)
        #expect(first["op"] as? String == "AddmmBackward0" && first["firstNonFinite"] as? String == "forward")
        #expect(first["anomaly"] as? Bool == true)
        #expect(first["source"] as? String == "layer 'fc1' (linear) at \(path):5")
        #expect((first["stats"] as? [String: Any])?["inf"] as? Int == 1)
    }
}
