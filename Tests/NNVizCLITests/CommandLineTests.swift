import Foundation
import Testing

/// The `nnviz` executable end to end: every bad input ends in one message, exit status 1, and no file
/// written or truncated; good input writes what it says.
@Suite(.serialized)
struct CommandLineTests {
    /// The built executable, next to the test bundle.
    static let executable = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("nnviz")

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func nnviz(_ arguments: String..., in directory: URL = repositoryRoot) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnviz-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs a command that must fail: status 1, one line naming `expected`, nothing in `directory` but the inputs.
    func expectFailure(_ result: Result, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("nnviz: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(expected), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
    }

    @Test func executableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path))
    }

    @Test func badModelFilesFailWithOneMessage() throws {
        let dir = try scratch()
        expectFailure(try nnviz("graph", dir.appendingPathComponent("missing.yaml").path), "missing.yaml: no such file")
        expectFailure(try nnviz("inspect", try write("model: [\n", "syntax.yaml", in: dir)), "syntax.yaml:2:1: YAML syntax error")
        expectFailure(try nnviz("graph", try write("model:\n  - lineer: {in: 3, out: 2}\ninput: [[1, 2, 3]]\n", "typo.yaml", in: dir)),
                      "typo.yaml:2:5: unknown layer 'lineer'; did you mean 'linear'?")
        expectFailure(try nnviz("graph", try write("model:\n  - linear: {in: 3, out: 2}\n  - linear: {in: 4, out: 1}\ninput: [[1, 2, 3]]\n", "shapes.yaml", in: dir)),
                      "shapes.yaml:3:5: layer '1' (linear, line 3) cannot take shape [1, 2] from layer '0' (linear, line 2): mat1 and mat2 shapes cannot be multiplied (1x2 and 4x1)")
        let latin1 = dir.appendingPathComponent("latin1.yaml")
        try Data([0x6D, 0x6F, 0x64, 0x65, 0x6C, 0x3A, 0x20, 0x5B, 0x5D, 0x0A, 0x23, 0x20, 0xE9, 0x0A]).write(to: latin1)
        expectFailure(try nnviz("inspect", latin1.path), "latin1.yaml:2:3: the file is not valid UTF-8 text")
        expectFailure(try nnviz("graph", dir.path), "is a directory")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".yaml") }
        #expect(files.isEmpty, "\(files)")
    }

    @Test func badArgumentsFailWithStatusOne() throws {
        let model = repositoryRoot.appendingPathComponent("samples/tanh_neuron.yaml").path
        expectFailure(try nnviz("graph", model, "--format", "gif"), "unknown format 'gif'")
        expectFailure(try nnviz("graph", model, "--rankdir", "UP"), "rankdir")
        expectFailure(try nnviz("graph", model, "-o", "/nonexistent-dir/x.png"), "the directory /nonexistent-dir does not exist")
        expectFailure(try nnviz("graph", model, "-o", "out.xyz"), "cannot tell the format of 'out.xyz'")
        expectFailure(try nnviz("frobnicate"), "frobnicate")
        expectFailure(try nnviz("plot", "--dpi", "-3", "x.csv"), "--dpi")
    }

    @Test func failuresNeverTruncateAnExistingOutput() throws {
        let dir = try scratch()
        let target = try write("precious", "graph.png", in: dir)
        let bad = try write("model:\n  - relu\ninput: [[1, 2], [3]]\n", "ragged.yaml", in: dir)
        expectFailure(try nnviz("graph", bad, "-o", target), "ragged.yaml:3:17: input is ragged")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
    }

    @Test func badLossLogsFailWithFileAndLine() throws {
        let dir = try scratch()
        expectFailure(try nnviz("plot", try write("name,comment\na,b\nc,d\n", "words.csv", in: dir)), "words.csv")
        expectFailure(try nnviz("plot", try write("step,loss\n1,0.5\n2,0.4,9\n", "ragged.csv", in: dir)), "line 3")
        expectFailure(try nnviz("plot", try write("step,loss\n1,0.5\n", "ok.csv", in: dir), "--columns", "los"), "did you mean \"loss\"")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { $0.hasSuffix(".csv") })
    }

    @Test func inspectHasNoQuietFlag() throws {
        // inspect prints no progress, so a flag to silence it would be accepted and ignored.
        expectFailure(try nnviz("inspect", repositoryRoot.appendingPathComponent("samples/tanh_neuron.yaml").path, "--quiet"),
                      "Unknown option '--quiet'")
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try nnviz("--help")
        #expect(help.status == 0 && help.stdout.contains("graph") && help.stdout.contains("plot") && help.stdout.contains("inspect"))
        let version = try nnviz("--version")
        #expect(version.status == 0 && version.stdout.hasPrefix("nnviz "))
    }

    @Test func goodInputWritesWhatItSays() throws {
        let dir = try scratch()
        let png = dir.appendingPathComponent("mlp.png").path
        let graph = try nnviz("graph", repositoryRoot.appendingPathComponent("samples/seed1_mlp.yaml").path, "-o", png, "--grads", "--legend")
        #expect(graph.status == 0 && graph.stdout == "wrote \(png)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: png)).prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))

        let svg = dir.appendingPathComponent("losses.svg").path
        let plot = try nnviz("plot", repositoryRoot.appendingPathComponent("samples/logs/keras_log.csv").path, "-o", svg, "--log-y", "--smooth", "0.6")
        #expect(plot.status == 0)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))

        let inspect = try nnviz("inspect", repositoryRoot.appendingPathComponent("samples/tanh_neuron.yaml").path)
        #expect(inspect.status == 0 && inspect.stdout.contains("output = tensor([[0.7616]], grad_fn=<TanhBackward0>)"))
    }

    @Test func graphWritesAnHTMLPageAndItsJSON() throws {
        let dir = try scratch()
        let model = repositoryRoot.appendingPathComponent("samples/seed1_mlp.yaml").path
        let html = dir.appendingPathComponent("mlp.html").path
        let page = try nnviz("graph", model, "-o", html, "--grads")
        #expect(page.status == 0 && page.stdout == "wrote \(html)\n")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("<svg") && text.contains("id=\"nnviz-data\""))
        #expect(!text.contains("src=\"http") && !text.contains("href=\"http"))

        let json = dir.appendingPathComponent("mlp.json").path
        #expect(try nnviz("graph", model, "--format", "json", "-o", json, "--grads").status == 0)
        let data = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let nodes = try #require(data["nodes"] as? [[String: Any]])
        // Functions carry the statistics `nnviz graph` records; parameters their gradient norm.
        #expect(nodes.filter { $0["kind"] as? String == "function" && $0["op"] as? String != "AccumulateGrad" }
            .allSatisfy { $0["stats"] != nil })
        #expect(nodes.filter { $0["kind"] as? String == "parameter" }.allSatisfy { $0["gradNorm"] != nil })
        #expect(text.contains(try String(contentsOfFile: json, encoding: .utf8)))

        expectFailure(try nnviz("graph", model, "-o", "/nonexistent-dir/x.html"), "the directory /nonexistent-dir does not exist")
        expectFailure(try nnviz("graph", model, "--format", "json", "-o", "/nonexistent-dir/x.json"), "the directory /nonexistent-dir does not exist")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-dir"))
    }
}
