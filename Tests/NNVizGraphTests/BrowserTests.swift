import Foundation
import NNVizCore
import Testing
@testable import NNVizGraph

/// Chromium from PATH (Debian's `chromium`, installed by `make deps`), or nil.
let chromium: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
    return path.split(separator: ":").map { $0 + "/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// The HTML pages in headless Chromium: after the page's script ran, its self-test report
/// (`#selftest=1`, see ``GraphPage/script``) says what the DOM holds.
///
/// Skipped, and reported as skipped, where Chromium is not installed (`make deps` installs it).
/// Serialised: each run starts a browser, and two at once on a small machine only slow each other.
@Suite(.serialized, .enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium, or make deps)"))
struct BrowserTests {
    /// Loads `html` with `fragment` in headless Chromium and returns the self-test report.
    func report(_ html: String, fragment: String) throws -> [String: Any] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("page.html")
        try Data(html.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--user-data-dir=" + directory.appendingPathComponent("profile").path,
                             "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom",
                             file.absoluteString + "#" + fragment + "&selftest=1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let start = try #require(dom.range(of: "<pre id=\"nnviz-selftest\">"), "no self-test report in the DOM: the script did not run to the end")
        let end = try #require(dom[start.upperBound...].range(of: "</pre>"))
        let text = dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func mlpPageShowsEveryNodeSearchesAndFillsThePanel() throws {
        let network = SampleNetwork.seed1MLP()
        network.loss.backward(retainGraph: true)
        let graph = makeDot(network.loss, params: network.parameters)
        let page = try graph.page(title: "seed1_mlp")
        let drawn = graph.prepared()
        let selected = try #require(drawn.nodes.first { $0.details?.operation == "MseLossBackward0" }).id
        let result = try report(page.html, fragment: "search=addmm&select=\(selected)")
        #expect(result["svgNodes"] as? Int == drawn.nodes.count)
        #expect(result["dataNodes"] as? Int == drawn.nodes.count)
        #expect((result["missing"] as? [String])?.isEmpty == true)
        #expect(result["svgEdges"] as? Int == drawn.edges.count)
        let addmms = drawn.nodes.filter { $0.details?.operation == "AddmmBackward0" }.map(\.id)
        #expect(result["matches"] as? [String] == addmms)
        #expect(result["current"] as? String == addmms.first)
        #expect(result["selected"] as? String == selected)
        // Everything feeds the loss: every other node and every edge is highlighted upstream.
        #expect(result["highlighted"] as? Int == drawn.nodes.count + drawn.edges.count)
        let panel = try #require(result["panel"] as? String)
        #expect(panel.contains("MseLossBackward0"))
        #expect(panel.contains("torch.float32"))
        #expect(panel.contains("mean" + String(Double(String(format: "%.5g", network.loss.item()))!)))
        #expect(panel.contains(network.source("loss", "loss")))
    }

    @Test func foldedBlocksExpandIntoCopiesOfTheirStep() throws {
        let graph = SyntheticRNN.graph(steps: 12)
        let options = RenderOptions(collapse: .always)
        let drawn = graph.prepared(for: options)
        let fold = try #require(drawn.folds.first)
        let inside = fold.steps[3][fold.exit]
        let result = try report(try graph.page(options: options).html, fragment: "expand=\(fold.id)&select=\(inside)")
        #expect(result["svgNodes"] as? Int == drawn.nodes.count)
        #expect(result["copies"] as? Int == fold.nodes.count)
        #expect(result["selected"] as? String == inside)
        #expect((result["panel"] as? String)?.contains("folded step4 of \(fold.steps.count)") == true)
        #expect((result["panel"] as? String)?.contains("TanhBackward0") == true)
    }

    @Test func hostileNamesStayText() throws {
        let hostile = "</script><script>document.title='pwned'</script><b>é"
        let w = Tensor([[1.0, 2.0]], requiresGrad: true)
        let graph = makeDot((w * 3).sum(), params: [(hostile, w)])
        let id = try #require(graph.nodes.first { $0.kind == .parameter }).id
        let result = try report(try graph.page(title: hostile).html, fragment: "select=\(id)&search=" + "%3C%2Fscript")
        #expect((result["panel"] as? String)?.contains(hostile) == true)
        #expect(result["matches"] as? [String] == [id])
    }

    /// A 10,000-node page stays responsive. Graphviz would need minutes of layout for a graph this big
    /// on a loaded machine, so the drawing is a grid made here in Graphviz's SVG conventions; the page
    /// and its data are the real ones. The times are printed (Chromium's own clock: load = parsing
    /// the page and running its script to the end; search = one search over all nodes, highlighting and
    /// centring the first match). It takes tens of seconds on a busy machine, so it runs only when
    /// asked: `NNVIZ_BROWSER_BENCH=1 swift test --filter tenThousand`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NNVIZ_BROWSER_BENCH"] != nil,
                   "set NNVIZ_BROWSER_BENCH=1 to time a 10,000-node page in Chromium"))
    func tenThousandNodePageLoadsAndSearches() throws {
        let columns = 100, count = 10_000
        var graph = DotGraph.torchviz()
        var svg = "<svg width=\"12000pt\" height=\"6000pt\" viewBox=\"0.00 0.00 12000.00 6000.00\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        svg += "<g id=\"graph0\" class=\"graph\" transform=\"scale(1 1) rotate(0) translate(4 5996)\">\n"
        func centre(_ i: Int) -> (x: Int, y: Int) { (60 + 120 * (i % columns), -5960 + 60 * (i / columns)) }
        for i in 0..<count {
            let op = ["AddmmBackward0", "TanhBackward0", "AddBackward0", "TBackward0"][i % 4]
            graph.add(DotNode(id: "f\(i)", label: .text(op), kind: .function,
                              details: NodeDetails(operation: op, shape: [4, 32])))
            let (x, y) = centre(i)
            svg += "<g id=\"node_f\(i)\" class=\"node\"><title>f\(i)</title><polygon fill=\"lightgrey\" stroke=\"black\" "
            svg += "points=\"\(x - 45),\(y - 9) \(x + 45),\(y - 9) \(x + 45),\(y + 9) \(x - 45),\(y + 9)\"/>"
            svg += "<text text-anchor=\"middle\" x=\"\(x)\" y=\"\(y + 4)\" font-family=\"monospace\" font-size=\"10.00\">\(op)</text></g>\n"
        }
        for i in 1..<count {
            graph.add(DotEdge(from: "f\(i - 1)", to: "f\(i)"))
            let (x0, y0) = centre(i - 1), (x1, y1) = centre(i)
            svg += "<g id=\"edge_\(i - 1)\" class=\"edge\"><title>f\(i - 1)&#45;&gt;f\(i)</title>"
            svg += "<path fill=\"none\" stroke=\"black\" d=\"M\(x0),\(y0 + 9) C\(x0),\(y0 + 30) \(x1),\(y1 - 30) \(x1),\(y1 - 9)\"/></g>\n"
        }
        svg += "</g>\n</svg>\n"
        let page = GraphPage(title: "10,000 nodes", svg: svg, data: graph.pageData)
        let result = try report(page.html, fragment: "select=f5000&search=tanhbackward0")
        #expect(result["svgNodes"] as? Int == count)
        #expect((result["missing"] as? [String])?.isEmpty == true)
        #expect((result["matches"] as? [String])?.count == count / 4)
        #expect(result["highlighted"] as? Int == 2 * count - 1)
        let parsed = try #require(result["parsedMs"] as? Double), load = try #require(result["loadMs"] as? Double)
        let search = try #require(result["searchMs"] as? Double)
        print("10,000-node page in headless Chromium: parsed \(parsed) ms, script done \(load) ms, search \(search) ms")
    }
}
