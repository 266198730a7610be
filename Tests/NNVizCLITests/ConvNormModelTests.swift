import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// Model files using conv1d, grouped and dilated conv2d, conv_transpose2d, the batch norms' options,
/// group_norm, avgpool2d, adaptive_avg_pool2d, upsample and dropout2d with PyTorch's argument names,
/// against their PyTorch twins (Fixtures/convnorm_models.json, made by Tests/tools/fixtures_convnorm.py),
/// and the errors their shape rules give before anything runs.
@Suite(.serialized)
struct ConvNormModelTests {
    static let fixture: [String: [String: Any]] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/convnorm_models.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return root["models"] as! [String: [String: Any]]
    }()

    func error(_ yaml: String) -> ModelSpecError? {
        do { _ = try ModelSpec.parse(yaml, file: "m.yaml"); return nil } catch let e as ModelSpecError { return e } catch { return nil }
    }

    @Test(arguments: ["conv1d_groups", "conv_family", "eval_pooling"])
    func modelMatchesItsPyTorchTwin(_ name: String) throws {
        let expected = try #require(Self.fixture[name])
        let spec = try ModelSpec.parse(expected["yaml"] as! String, file: "\(name).yaml")
        let run = try ModelRun(spec: spec)
        run.backward()
        let actual = try JSONSerialization.jsonObject(with: Data(InspectReport.json(run).utf8)) as! [String: Any]
        let compare = InspectTests()
        #expect(compare.matches(expected["output"], actual["output"], tolerance: 2e-4), "output")
        let loss = expected["loss"] as! Double
        #expect(abs((actual["loss"] as! Double) - loss) <= 2e-4 * max(1, abs(loss)), "loss")
        let expectedParameters = expected["parameters"] as! [String: [String: Any]]
        let actualParameters = actual["parameters"] as! [String: [String: Any]]
        #expect(actualParameters.keys.sorted() == expectedParameters.keys.sorted())
        for (parameter, value) in expectedParameters {
            let mine = try #require(actualParameters[parameter])
            #expect(mine["shape"] as? [Int] == value["shape"] as? [Int], "\(parameter) shape")
            #expect(compare.matches(value["value"], mine["value"], tolerance: 1e-7), "\(parameter) value")
            #expect(compare.matches(value["grad"], mine["grad"], tolerance: 2e-4), "\(parameter) grad")
        }
    }

    @Test func shapeRulesReportPyTorchsMessagesWithTheLayer() {
        let channels = error("""
            model:
              - conv2d: {in_channels: 3, out_channels: 8, kernel_size: 3}
                name: stem
            input: {randn: [2, 4, 16, 16]}
            """)
        #expect(channels?.line == 2)
        #expect(channels?.message.contains("Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 4, 16, 16] to have 3 channels, but got 4 channels instead") == true)
        let groups = error("model:\n  - conv1d: {in_channels: 4, out_channels: 6, kernel_size: 3, groups: 3}\ninput: {randn: [2, 4, 9]}\n")
        #expect(groups?.message.contains("in_channels must be divisible by groups") == true)
        let norm = error("model:\n  - group_norm: {num_groups: 3, num_channels: 4}\ninput: {randn: [2, 4, 3, 3]}\n")
        #expect(norm?.message.contains("num_channels (4) must be divisible by num_groups (3)") == true)
        let padding = error("""
            model:
              - conv_transpose2d: {in_channels: 4, out_channels: 2, kernel_size: 3, stride: 2, output_padding: 2}
            input: {randn: [1, 4, 3, 3]}
            """)
        #expect(padding?.message.contains("output padding must be smaller than either stride or dilation") == true)
        let pool = error("model:\n  - adaptive_avg_pool2d: {output_size: 2}\ninput: {randn: [4, 5]}\n")
        #expect(pool?.message.contains("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [4, 5]") == true)
        let mode = error("model:\n  - upsample: {scale_factor: 2, mode: bilinear}\ninput: {randn: [1, 1, 2, 2]}\n")
        #expect(mode?.message.contains("must be one of nearest") == true)
        let run = try? ModelRun(spec: ModelSpec.parse("model:\n  - group_norm: {num_groups: 2, num_channels: 4, bias: false}\n    name: gn\ninput: {randn: [2, 4, 3, 3]}\n", file: "m.yaml"))
        #expect(run?.model.namedParameters().map(\.name) == ["gn.weight"])
    }
}
