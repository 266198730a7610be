import Foundation
import NNViz

/// Two loss curves of `count` points each, drawn as the seed blog draws them: log y, legend, 8×6 in at 150 dpi.
private func lossFigure(points count: Int, noisy: Bool) -> Figure {
    var state: UInt64 = 42
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    let scale = Double(count) / 1000
    let naive = (0..<count).map { i in
        30 * exp(-Double(i) / (150 * scale)) + 0.01 + (noisy ? 0.02 * uniform() : 0)
    }
    let sgd = (0..<count).map { i in
        30 * exp(-Double(i) / (40 * scale)) + 0.003 + (noisy ? 0.002 * uniform() : 0)
    }
    var fig = Figure(width: 8, height: 6, dpi: 150)
    fig.axes.plot(naive, label: "naive update")
    fig.axes.plot(sgd, label: "SGD with Nesterov and momentum")
    fig.axes.legend(.upperRight)
    fig.axes.xlabel("epochs")
    fig.axes.ylabel("loss (log scale)")
    fig.axes.yscale = .log
    return fig
}

/// Times plotting and saving a PNG to a temporary file (data generation is outside the timed body).
private func savePNG(points: Int, noisy: Bool, repeats: Int, name: String) -> Workload {
    Workload(name: name, repeats: repeats, prepare: {
        let fig = lossFigure(points: points, noisy: noisy)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnviz-bench-\(name).png").path
        return {
            do {
                try fig.save(to: path)
            } catch {
                fatalError("\(name): \(error)")
            }
        }
    })
}

let plotWorkloads: [Workload] = [
    savePNG(points: 1_000_000, noisy: true, repeats: 9, name: "plot_loss_1e6_png"),
    savePNG(points: 1_000, noisy: false, repeats: 21, name: "plot_loss_1e3_png"),
]
