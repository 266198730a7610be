import Foundation
import NNVizCLI
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
        let run = try PageTests.run("seed1_mlp")
        run.backward()
        let graph = makeDot(run.loss!, params: run.model.namedParameters())
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
        #expect(panel.contains("mean" + String(Double(String(format: "%.5g", run.loss!.item()))!)))
        #expect(panel.contains("seed1_mlp.yaml"))
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
}
