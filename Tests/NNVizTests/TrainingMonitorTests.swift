import Foundation
import Testing
@testable import NNViz

/// A one-weight model whose output is the log of a negative number: NaN in forward, made by LogBackward0.
final class NegativeLogModel: Module {
    @Param var w: Tensor? = Parameter([[1.0, -3.0]])
    override func forward(_ x: Tensor) -> Tensor { x.matmul(w!.t()).log() }
}

/// Two layers with biases, for the gradient flow.
final class TwoLayerModel: Module {
    let fc1 = Linear(3, 4)
    let fc2 = Linear(4, 2)
    override func forward(_ x: Tensor) -> Tensor { fc2(fc1(x).tanh()) }
}

@Suite struct TrainingMonitorTests {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("nnviz-monitor-\(UUID().uuidString)").path

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    func pngSignature(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8))
    }

    /// A trained-once two-layer model, its loss after backward, and its parameters.
    func backwardTwoLayer() -> (TwoLayerModel, Tensor) {
        let model = withManualSeed(3) { TwoLayerModel() }
        let x = withManualSeed(4) { Tensor.randn([5, 3]) }
        let loss = MSELoss()(model(x), Tensor.zeros([5, 2]))
        loss.backward()
        return (model, loss)
    }

    // MARK: - CSV

    @Test func rowsAreOnDiskWhileTheMonitorIsOpen() throws {
        let monitor = try TrainingMonitor(name: "run", directory: directory)
        #expect(monitor.metricsPath == directory + "/run_metrics.csv")
        try monitor.record(1, ["loss": 0.5, "lr": 0.1])
        try monitor.record(2, ["loss": 0.25, "lr": 0.05])
        let text = try String(contentsOfFile: monitor.metricsPath, encoding: .utf8)
        #expect(text == "step,loss,lr\n1,0.5,0.1\n2,0.25,0.05\n")
        #expect(monitor.history["loss"]?.map(\.value) == [0.5, 0.25])
        #expect(monitor.history["lr"]?.map(\.step) == [1, 2])
        withExtendedLifetime(monitor) {}
    }

    @Test func declaredColumnsAndFileName() throws {
        let monitor = try TrainingMonitor(name: "rnn", directory: directory, metricsFile: "rnn_losses.csv",
                                          columns: ["train", "val"])
        try monitor.record(1, ["val": 2])
        #expect(try String(contentsOfFile: directory + "/rnn_losses.csv", encoding: .utf8) == "step,train,val\n1,,2.0\n")
        #expect(throws: CSVError.self) { try monitor.record(2, ["tain": 1]) }
        #expect(monitor.history["tain"] == nil)
    }

    @Test func badNamesThrow() {
        #expect(throws: TrainingMonitorError.invalidName("a/b")) { try TrainingMonitor(name: "a/b", directory: directory) }
        #expect(throws: TrainingMonitorError.invalidName("")) { try TrainingMonitor(name: "", directory: directory) }
    }

    // MARK: - NaN and Inf

    @Test func nanLossNamesTheNodeAndDrawsTheGraph() throws {
        let monitor = try TrainingMonitor(name: "nan", directory: directory)
        let model = NegativeLogModel()
        let x = Tensor([[1.0, 1.0]])
        var caught: TrainingMonitorError?
        do {
            _ = try monitor.step(7, model: model) { model(x).sum() }
        } catch let error as TrainingMonitorError {
            caught = error
        }
        guard case .nonFinite(let step, let value, let node, let site, let graph) = caught else {
            Issue.record("expected nonFinite, got \(String(describing: caught))")
            return
        }
        #expect(step == 7 && value.isNaN)
        #expect(node == "LogBackward0")
        #expect(site?.hasPrefix("NegativeLogModel at NNVizTests/TrainingMonitorTests.swift:") == true)
        #expect(graph == directory + "/nan_nonfinite_graph.png")
        #expect(try pngSignature(graph) == Self.pngSignature)
        #expect(caught!.description.contains("the first NaN/Inf came from LogBackward0, created by NegativeLogModel at"))

        // The drawn graph: LogBackward0 marked and filled red, the parameter named.
        let loss = AnomalyMode.enabled { model(x).sum() }
        let prepared = monitor.nonFiniteGraph(loss, model: model).prepared()
        let red = prepared.nodes.filter(\.isAnomaly)
        #expect(red.count == 1)
        #expect(red.first?.label.lines.first == "LogBackward0")
        #expect(red.first?.fillColor == .anomaly)
        #expect(prepared.nodes.contains { $0.kind == .parameter && $0.label.lines == ["w", " (1, 2)"] })
    }

    @Test func infinityInTheStepBodyIsAttributedToTheStep() throws {
        let monitor = try TrainingMonitor(name: "inf", directory: directory)
        let x = Tensor([0.0], requiresGrad: true)
        do {
            _ = try monitor.step(2) { (x.log() * 2).sum() }
            Issue.record("a -inf loss did not throw")
        } catch TrainingMonitorError.nonFinite(_, let value, let node, let site, _) {
            #expect(value == -.infinity)
            #expect(node == "LogBackward0")
            #expect(site?.hasPrefix("training step 2 at NNVizTests/TrainingMonitorTests.swift:") == true)
        }
    }

    @Test func finiteLossPassesThrough() throws {
        let monitor = try TrainingMonitor(name: "ok", directory: directory)
        let x = Tensor([2.0], requiresGrad: true)
        let loss = try monitor.step(1) { (x * x).sum() }
        #expect(loss.item() == 4)
        #expect(loss.gradFn?.name == "SumBackward0")
        #expect(!FileManager.default.fileExists(atPath: directory + "/ok_nonfinite_graph.png"))
    }

    // MARK: - Gradient flow

    @Test func gradientFlowReadsMeanAndMaxAbsoluteGradients() throws {
        let (model, _) = backwardTwoLayer()
        let flow = try GradientFlow(model.namedParameters())
        #expect(flow.names == ["fc1.weight", "fc2.weight"])
        let weights = [model.fc1.weight!, model.fc2.weight!]
        for (i, w) in weights.enumerated() {
            #expect(abs(flow.meanAbs[i] - w.grad!.abs().mean().item()) <= 1e-7 * flow.meanAbs[i])
            #expect(flow.maxAbs[i] == w.grad!.abs().max().item())
        }
        let all = try GradientFlow(model.namedParameters(), includeBiases: true)
        #expect(all.names == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(all.maxAbs[3] == model.fc2.bias!.grad!.abs().max().item())
    }

    @Test func gradientFlowBeforeBackwardThrows() {
        let model = TwoLayerModel()
        #expect(throws: TrainingMonitorError.noGradients(parameters: ["fc1.weight", "fc2.weight"])) {
            try GradientFlow(model.namedParameters())
        }
    }

    @Test func gradientFlowBarsHaveTheGradientHeights() throws {
        let (model, _) = backwardTwoLayer()
        let flow = try GradientFlow(model.namedParameters(), includeBiases: true)
        let figure = TrainingMonitor.gradientFlowFigure(flow, yscale: .linear)
        let canvas = RecordingCanvas(size: Size(width: figure.width * 72, height: figure.height * 72),
                                     pixelsPerPoint: figure.dpi / 72)
        figure.draw(on: canvas)

        /// Heights of the bars of one fill (four vertices per bar), in points.
        func barHeights(_ color: Color) -> [Double]? {
            let fills = canvas.fills.filter { $0.color.red == color.red && $0.color.green == color.green
                && $0.color.blue == color.blue && $0.path.vertices.count == 4 * flow.names.count }
            guard fills.count == 1 else { return nil }
            let v = fills[0].path.vertices
            return stride(from: 0, to: v.count, by: 4).map { v[$0 + 2].y - v[$0].y }
        }
        let maxBars = try #require(barHeights(TrainingMonitor.maxGradientColor))
        let meanBars = try #require(barHeights(TrainingMonitor.meanGradientColor))
        // Linear axis from 0: bar height = value × points per unit, the same factor for every bar.
        let unit = maxBars[0] / flow.maxAbs[0]
        #expect(unit > 0)
        for i in flow.names.indices {
            #expect(abs(maxBars[i] - unit * flow.maxAbs[i]) <= 1e-9 * maxBars[0])
            #expect(abs(meanBars[i] - unit * flow.meanAbs[i]) <= 1e-9 * maxBars[0])
        }
        let texts = canvas.texts.map(\.text)
        for label in flow.names + ["max-gradient", "mean-gradient", "Gradient flow"] { #expect(texts.contains(label)) }
        #expect(figure.axes.xTickRotation == 90)
    }

    @Test func gradientFlowChartRenders() throws {
        let (model, _) = backwardTwoLayer()
        let monitor = try TrainingMonitor(name: "flow", directory: directory)
        let path = try monitor.plotGradientFlow(model)
        #expect(path == directory + "/flow_grad_flow.png")
        #expect(try pngSignature(path) == Self.pngSignature)
        #expect(TrainingMonitor.gradientFlowFigure(try GradientFlow(model.namedParameters())).axes.yscale == .log)
    }

    // MARK: - Loss curves and graph

    @Test func lossChartPicksLossColumnsAndLogScale() throws {
        let monitor = try TrainingMonitor(name: "curves", directory: directory)
        #expect(throws: TrainingMonitorError.nothingRecorded(run: "curves")) { try monitor.plotLosses() }
        for step in 1...20 {
            try monitor.record(step, ["train_loss": 1 / Double(step), "val_loss": 1.5 / Double(step), "lr": 0.1])
        }
        let figure = try monitor.lossFigure()
        #expect(figure.axes.yscale == .log)
        let canvas = RecordingCanvas(size: Size(width: 576, height: 432), pixelsPerPoint: 150.0 / 72)
        figure.draw(on: canvas)
        let texts = canvas.texts.map(\.text)
        #expect(texts.contains("train_loss") && texts.contains("val_loss") && !texts.contains("lr"))

        #expect(try monitor.lossFigure(["lr"]).axes.yscale == .log)
        #expect(throws: TrainingMonitorError.unknownColumn("acc", columns: ["lr", "train_loss", "val_loss"])) {
            try monitor.lossFigure(["acc"])
        }
        let path = try monitor.plotLosses()
        #expect(path == directory + "/curves_losses.png")
        #expect(try pngSignature(path) == Self.pngSignature)
    }

    @Test func lossChartIsLinearWithNonPositiveValues() throws {
        let monitor = try TrainingMonitor(name: "elbo", directory: directory)
        for step in 1...5 { try monitor.record(step, ["loss": Double(3 - step)]) }
        #expect(try monitor.lossFigure().axes.yscale == .linear)
    }

    @Test func graphWithGradientNormsRenders() throws {
        let (model, loss) = backwardTwoLayer()
        let monitor = try TrainingMonitor(name: "mlp", directory: directory)
        let path = try monitor.plotGraph(loss, model: model, options: RenderOptions(gradientTint: true, legend: true))
        #expect(path == directory + "/mlp_graph.png")
        #expect(try pngSignature(path) == Self.pngSignature)
        let dot = makeDot(loss, params: model.namedParameters()).labellingGradientNorms()
        let norm = model.fc1.weight!.grad!.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(dot.dotSource.contains(String(format: "‖grad‖ %.3g", norm)))
    }
}
