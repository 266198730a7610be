import Foundation
import Testing
@testable import NNViz

/// The gradient statistics a watching monitor logs, and the heatmap drawn from them and from its CSV.
@Suite struct TrainingMonitorHeatmapTests {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("nnviz-heatmap-\(UUID().uuidString)").path

    private func norm(_ values: [Double]) -> Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Three SGD steps of the two-layer model, recorded after each optimiser step.
    private func train(_ monitor: TrainingMonitor, model: TwoLayerModel) throws -> [[Double]] {
        let x = withManualSeed(4) { Tensor.randn([5, 3]) }
        let optimizer = SGD(model.parameters(), lr: 0.1)
        var gradNorms: [[Double]] = []
        for step in 1...3 {
            optimizer.zeroGrad()
            let loss = MSELoss()(model(x), Tensor.zeros([5, 2]))
            loss.backward()
            gradNorms.append(model.namedParameters().map { norm($0.tensor.grad!.scalars) })
            optimizer.step()
            try monitor.record(step, ["loss": loss.item()])
        }
        return gradNorms
    }

    @Test func recordsLogGradientNormsAndUpdateRatiosPerParameter() throws {
        let model = withManualSeed(3) { TwoLayerModel() }
        let monitor = try TrainingMonitor(name: "watched", directory: directory, columns: ["loss"], watching: model)
        let names = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
        #expect(monitor.gradientColumns == names.flatMap { ["grad_norm/\($0)", "update_ratio/\($0)"] })
        let gradNorms = try train(monitor, model: model)

        let header = try String(contentsOfFile: monitor.metricsPath, encoding: .utf8).split(separator: "\n")[0]
        #expect(header == "step,loss," + monitor.gradientColumns.joined(separator: ","))
        for (index, name) in names.enumerated() {
            let logged = monitor.history["grad_norm/\(name)"]!.map(\.value)
            #expect(logged == gradNorms.map { $0[index] })
            // SGD moves w by lr·g, so the update ratio is lr·‖g‖ / ‖w after the step‖ (to float32 rounding of the
            // stored weights); none before a previous record.
            let ratios = monitor.history["update_ratio/\(name)"]!.map(\.value)
            #expect(ratios[0].isNaN)
            let weight = norm(model.namedParameters()[index].tensor.scalars)
            #expect(abs(ratios[2] - 0.1 * gradNorms[2][index] / weight) <= 1e-5 * ratios[2])
        }
        // The loss chart keeps to the loss.
        #expect(try monitor.lossFigure().axes.yLabel == "loss (log scale)")
    }

    @Test func heatmapFromMemoryEqualsHeatmapFromTheCSV() throws {
        let model = withManualSeed(3) { TwoLayerModel() }
        let monitor = try TrainingMonitor(name: "both", directory: directory, watching: model)
        _ = try train(monitor, model: model)
        // Undeclared columns: the record's names sorted, then the gradient columns in parameter order.
        #expect(monitor.columns == ["loss"] + monitor.gradientColumns)
        let fromMemory = try monitor.gradientHeatmap()
        #expect(fromMemory.parameters == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(fromMemory.steps == [1, 2, 3])
        let fromFile = try #require(GradientHeatmap(log: try LossLog.read(contentsOf: monitor.metricsPath), metric: .gradientNorm))
        #expect(fromFile == fromMemory)
        let ratios = try monitor.gradientHeatmap(.updateRatio)
        let ratiosFromFile = try #require(GradientHeatmap(log: try LossLog.read(contentsOf: monitor.metricsPath),
                                                          metric: .updateRatio))
        #expect(ratios == ratiosFromFile && ratios.steps == [2, 3])

        let path = try monitor.plotGradientHeatmap()
        #expect(path == directory + "/both_grad_heatmap.png")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }

    @Test func heatmapWithoutAWatchedModelSaysHowToGetOne() throws {
        let monitor = try TrainingMonitor(name: "blind", directory: directory)
        try monitor.record(1, ["loss": 1])
        #expect(throws: TrainingMonitorError.noGradientStatistics(run: "blind")) { try monitor.plotGradientHeatmap() }
        #expect(TrainingMonitorError.noGradientStatistics(run: "blind").description.contains("watching: model"))
    }
}
