import Foundation
import NNVizCore
import NNVizNN
import Testing
@testable import NNVizGraph

/// The page's data and text, without a browser: the JSON schema, determinism, escaping, folds, and
/// bad output paths. BrowserTests runs the pages in Chromium.
@Suite struct PageTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func jsonStringsCannotLeaveAScriptElement() {
        var out = ""
        JSONText.quote("a</script><b>&'\"\\\n é×😀\u{2028}", into: &out)
        #expect(out == #""a\u003c/script\u003e\u003cb\u003e\u0026\u0027\"\\\n \u00e9\u00d7\ud83d\ude00\u2028""#)
        #expect(JSONText.object([("n", .number(.nan)), ("i", .number(-.infinity)), ("x", .number(0.25)), ("k", .int(3)),
                                 ("skip", nil), ("a", .array([.bool(true), .null, .number(1e-7)]))]).encoded
            == #"{"n":"nan","i":"-inf","x":0.25,"k":3,"a":[true,null,1e-07]}"#)
    }

    @Test func dataDescribesEveryNodeWithItsValues() throws {
        let network = SampleNetwork.seed1MLP()
        network.loss.backward(retainGraph: true)
        let graph = makeDot(network.loss, params: network.parameters)
        let data = try Self.object(graph.prepared().pageData)
        #expect(data["format"] as? String == "nnviz-graph")
        let nodes = try #require(data["nodes"] as? [[String: Any]])
        #expect(nodes.count == graph.prepared().nodes.count)
        let loss = try #require(nodes.first { $0["op"] as? String == "MseLossBackward0" })
        let value = network.loss.item()
        #expect(abs(value - 0.7201) < 5e-5)   // PyTorch's loss for this network
        let stats = try #require(loss["stats"] as? [String: Any])
        #expect(stats["count"] as? Int == 1)
        // Foundation's JSON reader on Linux may round the last bit; the text itself is Swift's shortest form.
        for key in ["mean", "min", "max"] { #expect(abs((stats[key] as! Double) - value) < 1e-15) }
        #expect(stats["std"] as? Double == 0 && stats["nan"] as? Int == 0)
        #expect(loss["dtype"] as? String == "torch.float32")
        #expect(loss["source"] as? String == network.source("loss", "loss"))
        let weight = try #require(nodes.first { $0["name"] as? String == "fc1.weight" })
        #expect(weight["kind"] as? String == "parameter")
        let grad = network.parameters.first { $0.name == "fc1.weight" }!.tensor.grad!
        #expect(abs((weight["gradNorm"] as! Double) - grad.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()) < 1e-12)
        let addmm = try #require(nodes.first { $0["op"] as? String == "AddmmBackward0" })
        #expect((addmm["saved"] as? [[String: String]])?.map { $0["name"]! }.contains("mat1") == true)
        #expect((addmm["attributes"] as? [[String: String]])?.contains { $0["name"] == "alpha" && $0["value"] == "1" } == true)
        let edges = try #require(data["edges"] as? [[String: Any]])
        #expect(edges.count == graph.prepared().edges.count)
        #expect(edges.allSatisfy { nodes.map { $0["id"] as! String }.contains($0["to"] as! String) })
    }

    @Test func anomalyNodeCarriesItsSourceLine() throws {
        let network = SampleNetwork.exploding()
        network.loss.backward(retainGraph: true)
        let data = try Self.object(makeDot(network.loss, params: network.parameters).prepared().pageData)
        let nodes = try #require(data["nodes"] as? [[String: Any]])
        let first = try #require(nodes.first { $0["firstNonFinite"] != nil })
        #expect(first["op"] as? String == "AddmmBackward0" && first["firstNonFinite"] as? String == "forward")
        #expect(first["anomaly"] as? Bool == true)
        #expect(first["source"] as? String == network.source("Linear", "fc1"))
        #expect((first["stats"] as? [String: Any])?["inf"] as? Int == 1)
        #expect(nodes.filter { $0["firstNonFinite"] != nil }.count == 1)
        // A non-finite gradient norm cannot be a JSON number: it is written as a string.
        #expect(nodes.contains { $0["gradNorm"] as? String == "nan" })
    }

    @Test func sameModelGivesTheSameBytes() throws {
        func page() throws -> String {
            let network = SampleNetwork.tanhNeuron()
            return try makeDot(network.loss, params: network.parameters).page(title: "t").html
        }
        let first = try page()
        let second = try page()
        #expect(first == second)
        #expect(first.hasPrefix("<!DOCTYPE html>"))
        #expect(!first.contains("<!--") && !first.contains("<?xml") && !first.contains("<title>%"))
    }

    @Test func namesFromAModelFileCannotInjectScript() throws {
        let hostile = "w</script><script>alert(1)</script>&\"'<img src=x onerror=alert(2)> é"
        let w = Tensor([[1.0, 2.0]], requiresGrad: true)
        let y = (w * 3).sum()
        var graph = makeDot(y, params: [(hostile, w)], outputNames: ["--><script>alert(3)</script>"])
        graph.add(DotCluster(id: hostile, label: hostile))
        graph.update(graph.nodes[0].id) { $0.cluster = hostile; $0.modulePath = hostile }
        let html = try graph.page(title: hostile).html
        #expect(html.components(separatedBy: "<script").count - 1 == 2)   // the JSON and the page's own
        #expect(!html.contains("alert(1)</script>") && !html.contains("<img") && !html.contains("onerror=alert(2)>"))
        let json = try #require(html.range(of: "<script type=\"application/json\" id=\"nnviz-data\">"))
        let end = try #require(html[json.upperBound...].range(of: "</script>"))
        let data = try Self.object(String(html[json.upperBound..<end.lowerBound]))
        let names = (data["nodes"] as! [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names.contains(hostile))
        #expect((data["clusters"] as! [[String: Any]]).first?["label"] as? String == hostile)
    }

    @Test func foldsKeepTheirStepsAligned() throws {
        let graph = SyntheticRNN.graph(steps: 12)
        let folded = graph.prepared(for: RenderOptions(collapse: .always))
        let fold = try #require(folded.folds.first)
        #expect(fold.steps.count == 9)   // steps 2…12 repeat (the first has no hidden state); the run's first and last stay drawn
        let labels = Dictionary(uniqueKeysWithValues: fold.nodes.map { ($0.id, $0.label.lines[0]) })
        for step in fold.steps { #expect(step.map { labels[$0]! } == fold.steps[0].map { labels[$0]! }) }
        #expect(labels[fold.steps[0][fold.entry]] == "AddmmBackward0")
        #expect(labels[fold.steps[0][fold.exit]] == "TanhBackward0")
        let first = fold.firstStep(in: graph)
        #expect(first.nodes.map(\.id) == fold.steps[0])
        #expect(!first.edges.isEmpty && first.edges.allSatisfy { fold.steps[0].contains($0.from) && fold.steps[0].contains($0.to) })
        let page = try graph.page(options: RenderOptions(collapse: .always))
        #expect(page.foldTemplates.map(\.id) == [fold.id])
        #expect(page.html.contains("<template id=\"nnviz-fold-\(fold.id)\"><svg"))
        let data = try Self.object(page.data)
        let folds = try #require(data["folds"] as? [[String: Any]])
        #expect(folds.first?["repeats"] as? Int == fold.steps.count)
        let inFold = (data["nodes"] as! [[String: Any]]).filter { $0["fold"] as? String == fold.id }
        #expect(inFold.count == fold.nodes.count)
    }

    @Test func htmlAndJSONFollowTheExtension() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let graph = SyntheticRNN.graph(steps: 2)
        try graph.render(to: directory.appendingPathComponent("g.html").path)
        try graph.render(to: directory.appendingPathComponent("g.json").path)
        let html = try String(contentsOf: directory.appendingPathComponent("g.html"), encoding: .utf8)
        let json = try String(contentsOf: directory.appendingPathComponent("g.json"), encoding: .utf8)
        #expect(html.contains(json))
        #expect(GraphFormat(pathExtension: "HTM") == .html && GraphFormat(pathExtension: "json") == .json)
    }

    @Test func missingDirectoryWritesNothing() throws {
        let path = "/nonexistent-nnviz-dir/page.html"
        #expect(throws: GraphvizError.missingDirectory(path: path, directory: "/nonexistent-nnviz-dir")) {
            try SyntheticRNN.graph(steps: 2).page().write(to: path)
        }
        #expect(throws: GraphvizError.missingDirectory(path: path, directory: "/nonexistent-nnviz-dir")) {
            try SyntheticRNN.graph(steps: 2).render(to: path)
        }
    }
}
