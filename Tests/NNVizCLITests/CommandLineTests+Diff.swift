import Foundation
import Testing
import NNVizCLI
import NNViz

/// `nnviz diff` and `nnviz summary` end to end.
extension CommandLineTests {
    static let mlp = "seed: 0\nmodel:\n  - linear: {in: 3, out: 4}\n    name: fc1\n  - relu\n  - linear: {in: 4, out: 1}\n    name: fc2\ninput: [[1, 2, 3]]\ntarget: [[1]]\n"

    @Test func diffWritesOneGraphOfBothFiles() throws {
        let dir = try scratch()
        let a = try write(Self.mlp, "a.yaml", in: dir)
        let b = try write(Self.mlp.replacingOccurrences(of: "  - relu", with: "  - tanh"), "b.yaml", in: dir)
        let dot = dir.appendingPathComponent("d.dot").path
        let result = try nnviz("diff", a, b, "-o", dot)
        #expect(result.status == 0, "\(result.stderr)")
        let source = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(source.contains("ReluBackward0 → TanhBackward0"))
        #expect(source.contains("fillcolor=\"#ffcc66\""))
        let html = dir.appendingPathComponent("d.html").path
        #expect(try nnviz("diff", a, b, "-o", html).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("ReluBackward0 → TanhBackward0"))
        #expect(!page.contains("<script src"))
        let png = dir.appendingPathComponent("d.png").path
        #expect(try nnviz("diff", a, b, "-o", png, "--grads").status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    /// One model file at two checkpoints (`weights:`): nothing changed but the gradients, which fell
    /// where fc2's weight shrank 100×.
    @Test func diffOfTwoCheckpointsColoursGradientRatios() throws {
        let dir = try scratch()
        let plain = try write(Self.mlp, "plain.yaml", in: dir)
        let model = try ModelRun(spec: ModelSpec.read(contentsOf: plain)).model
        try model.saveSafetensors(dir.appendingPathComponent("before.safetensors").path)
        let fc2 = model.namedParameters().first { $0.name == "fc2.weight" }!.tensor
        noGrad { fc2.copy_(fc2 * 0.01) }
        try model.saveSafetensors(dir.appendingPathComponent("after.safetensors").path)
        let a = try write(Self.mlp + "weights: before.safetensors\n", "a.yaml", in: dir)
        let b = try write(Self.mlp + "weights: after.safetensors\n", "b.yaml", in: dir)
        let dot = dir.appendingPathComponent("grads.dot").path
        let result = try nnviz("diff", a, b, "-o", dot, "--grads")
        #expect(result.status == 0, "\(result.stderr)")
        let source = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(!source.contains("fillcolor=\"#ffcc66\"") && !source.contains("fillcolor=\"#a8e6a1\""))   // nothing changed or added
        // Statements start a line with a tab; a label's further lines do not.
        let fc1 = try #require(source.components(separatedBy: "\n\t").first { $0.contains("label=\"fc1.weight") })
        // fc1's gradient flows through fc2's weight: about 100× smaller (the loss's own factor moves it a little).
        #expect(fc1.contains("‖grad‖") && fc1.contains("×0.0"))

        // The same from one file and the checkpoints named on the command line (as `make run` diffs the sine
        // RNN before and after training): the same graph, byte for byte.
        let named = dir.appendingPathComponent("named.dot").path
        let fromOptions = try nnviz("diff", plain, plain, "-o", named, "--grads",
                                    "--weights-first", dir.appendingPathComponent("before.safetensors").path,
                                    "--weights-second", dir.appendingPathComponent("after.safetensors").path)
        #expect(fromOptions.status == 0, "\(fromOptions.stderr)")
        #expect(try String(contentsOfFile: named, encoding: .utf8) == source)
        let missing = dir.appendingPathComponent("gone.safetensors").path
        expectFailure(try nnviz("diff", plain, plain, "-o", named + ".png", "--weights-second", missing), "weights file '\(missing)'")
    }

    @Test func diffOfFilesThatCannotBeDiffedFails() throws {
        let dir = try scratch()
        let a = try write(Self.mlp, "a.yaml", in: dir)
        let wide = try write(Self.mlp.replacingOccurrences(of: "in: 3, out: 4", with: "in: 2, out: 4")
            .replacingOccurrences(of: "[[1, 2, 3]]", with: "[[1, 2]]"), "wide.yaml", in: dir)
        let out = dir.appendingPathComponent("out.png").path
        expectFailure(try nnviz("diff", a, dir.appendingPathComponent("missing.yaml").path, "-o", out), "missing.yaml: no such file")
        expectFailure(try nnviz("diff", a, wide, "-o", out), "they take inputs of different shapes ([1, 3] and [1, 2])")
        let noTarget = try write(Self.mlp.replacingOccurrences(of: "target: [[1]]\n", with: ""), "plain.yaml", in: dir)
        expectFailure(try nnviz("diff", a, noTarget, "-o", out, "--grads"), "--grads needs a loss")
        expectFailure(try nnviz("diff", a, a, "-o", out, "--format", "gif"), "unknown format 'gif'")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".yaml") }
        #expect(files.isEmpty, "\(files)")
    }

    @Test func summaryPrintsTheTableAndJSON() throws {
        let model = repositoryRoot.appendingPathComponent("samples/small_cnn.yaml").path
        let table = try nnviz("summary", model)
        #expect(table.status == 0)
        #expect(table.stdout.contains("├─conv (Conv2d): 1-1"))
        #expect(table.stdout.contains("Total params: 243"))
        let json = try nnviz("summary", model, "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["totalParameters"] as? Int == 243)
        expectFailure(try nnviz("summary", model, "--depth=-1"), "--depth must be 0 or more")
    }
}
