import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// `weights:` in model files: a file PyTorch wrote gives PyTorch's output, loss and gradients for those weights
/// (Fixtures/weights, made by Tests/tools/fixtures_safetensors.py), and a file that does not fit is one error at
/// the `weights:` line naming the weights file.
@Suite(.serialized)
struct WeightsTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/weights")
    static let modelFile = directory.appendingPathComponent("bn_mlp.yaml").path

    static func flat(_ any: Any?) -> [Double] {
        if let n = any as? NSNumber { return [n.doubleValue] }
        return (any as? [Any])?.flatMap { flat($0) } ?? []
    }

    static func close(_ expected: Any?, _ actual: Any?, tolerance: Double) -> Bool {
        let e = flat(expected), a = flat(actual)
        return e.count == a.count && zip(e, a).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
    }

    /// bn_mlp.yaml with its `weights:` line replaced.
    static func spec(weights: String) throws -> ModelSpec {
        let text = try String(contentsOfFile: modelFile, encoding: .utf8)
            .replacingOccurrences(of: "weights: bn_mlp.safetensors", with: "weights: \(weights)")
        return try ModelSpec.parse(text, file: modelFile)
    }

    /// bn_mlp.yaml (a chain) and residual.yaml (blocks, `from:`, `repeat:`, so names like `layer1.1.bn.running_mean`).
    @Test(arguments: ["bn_mlp", "residual"])
    func trainedWeightsGivePyTorchsOutputLossAndGradients(_ name: String) throws {
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: Self.directory.appendingPathComponent("\(name).yaml").path))
        run.backward()
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent("\(name).json"))) as! [String: Any]
        let actual = try JSONSerialization.jsonObject(with: Data(InspectReport.json(run).utf8)) as! [String: Any]
        #expect(Self.close(expected["output"], actual["output"], tolerance: 1e-6))
        let loss = (expected["loss"] as! NSNumber).doubleValue
        #expect(abs((actual["loss"] as! NSNumber).doubleValue - loss) <= 1e-6 * max(1, loss))
        let expectedParameters = expected["parameters"] as! [String: [String: Any]]
        let actualParameters = actual["parameters"] as! [String: [String: Any]]
        #expect(Set(actualParameters.keys) == Set(expectedParameters.keys))
        for (parameter, value) in expectedParameters {
            let mine = try #require(actualParameters[parameter])
            // Values come from the file: exactly PyTorch's float32s.
            #expect(Self.flat(mine["value"]).map { Float($0) } == Self.flat(value["value"]).map { Float($0) }, "\(parameter) value")
            #expect(Self.close(value["grad"], mine["grad"], tolerance: 1e-5), "\(parameter) grad")
        }
        let buffers = run.model.namedBuffers()
        let expectedBuffers = expected["buffers"] as! [String: [String: Any]]
        #expect(Set(buffers.map(\.name)) == Set(expectedBuffers.keys))
        for (buffer, value) in expectedBuffers {
            let mine = try #require(buffers.first { $0.name == buffer }?.tensor)
            #expect(mine.scalars.map { Float($0) } == Self.flat(value["data"]).map { Float($0) }, "\(buffer)")
        }
        let steps = buffers.filter { $0.name.hasSuffix("num_batches_tracked") }
        #expect(!steps.isEmpty && steps.allSatisfy { $0.tensor.int64s == [5] })
    }

    @Test func weightsResolveAgainstTheModelFilesFolder() throws {
        let spec = try ModelSpec.read(contentsOf: Self.modelFile)
        #expect(spec.weights?.path == Self.directory.appendingPathComponent("bn_mlp.safetensors").path)
        #expect(try ModelSpec.parse("model: []\ninput: [1]\nweights: w.safetensors\n", file: "m.yaml").weights?.path == "w.safetensors")
        #expect(try ModelSpec.parse("model: []\ninput: [1]\nweights: w.safetensors\n", file: "a/m.yaml").weights?.path == "a/w.safetensors")
        #expect(try ModelSpec.parse("model: []\ninput: [1]\nweights: /x/w.safetensors\n", file: "a/m.yaml").weights?.path == "/x/w.safetensors")
    }

    static func error(weights: String) throws -> ModelSpecError? {
        let spec = try spec(weights: weights)
        do {
            _ = try ModelRun(spec: spec)
            return nil
        } catch let error as ModelSpecError {
            return error
        }
    }

    @Test func missingKeysAreOneLineAtTheWeightsLine() throws {
        let path = Self.directory.appendingPathComponent("bn_mlp_missing.safetensors").path
        let error = try #require(try Self.error(weights: "bn_mlp_missing.safetensors"))
        #expect(error == ModelSpecError(file: Self.modelFile, line: 12, column: 10,
            "weights file '\(path)': Error(s) in loading state_dict for Sequential: Missing key(s) in state_dict: \"fc2.bias\"."))
    }

    @Test func shapeMismatchesAreOneLineAtTheWeightsLine() throws {
        let path = Self.directory.appendingPathComponent("bn_mlp_shape.safetensors").path
        let error = try #require(try Self.error(weights: "bn_mlp_shape.safetensors"))
        #expect(error == ModelSpecError(file: Self.modelFile, line: 12, column: 10,
            "weights file '\(path)': Error(s) in loading state_dict for Sequential: size mismatch for fc1.weight: copying a param with shape torch.Size([4, 4]) from checkpoint, the shape in current model is torch.Size([4, 3])."))
    }

    @Test func aMissingOrMalformedWeightsFileIsAnError() throws {
        let missing = Self.directory.appendingPathComponent("nowhere.safetensors").path
        #expect(try Self.error(weights: "nowhere.safetensors")
                == ModelSpecError(file: Self.modelFile, line: 12, column: 10, "weights file '\(missing)': cannot read the file: No such file or directory"))
        let yaml = Self.directory.appendingPathComponent("bn_mlp.yaml").path
        #expect(try Self.error(weights: "bn_mlp.yaml")?.message.hasPrefix("weights file '\(yaml)': header length ") == true)
        #expect(throws: ModelSpecError(file: Self.modelFile, line: 12, column: 10, "weights must name a safetensors file, like 'weights: model.safetensors'")) {
            try Self.spec(weights: "''")
        }
        #expect(throws: ModelSpecError.self) { try Self.spec(weights: "[1, 2]") }
    }
}

extension CommandLineTests {
    @Test func weightsThatDoNotFitFailWithOneMessage() throws {
        let dir = try scratch()
        let model = try String(contentsOfFile: WeightsTests.modelFile, encoding: .utf8)
        func file(_ weights: String) throws -> String {
            let path = WeightsTests.directory.appendingPathComponent(weights).path
            return try write(model.replacingOccurrences(of: "weights: bn_mlp.safetensors", with: "weights: \(path)"), "\(weights).yaml", in: dir)
        }
        expectFailure(try nnviz("inspect", try file("bn_mlp_missing.safetensors")),
                      "bn_mlp_missing.safetensors.yaml:12:10: weights file '\(WeightsTests.directory.path)/bn_mlp_missing.safetensors': Error(s) in loading state_dict for Sequential: Missing key(s) in state_dict: \"fc2.bias\".")
        expectFailure(try nnviz("graph", try file("bn_mlp_shape.safetensors")), "size mismatch for fc1.weight: copying a param with shape torch.Size([4, 4])")
        expectFailure(try nnviz("graph", try file("nowhere.safetensors")), "nowhere.safetensors': cannot read the file: No such file or directory")
        let good = try nnviz("inspect", "--json", try file("bn_mlp.safetensors"))
        #expect(good.status == 0 && good.stderr.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".yaml") }
        #expect(files.isEmpty, "\(files)")
    }
}
