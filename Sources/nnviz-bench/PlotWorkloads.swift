import Foundation
import NNViz
import NNVizCLI

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

/// The training log `plot_csv_1e6` reads: `step,naive,sgd` and 1,000,000 rows of the noisy curves of
/// `plot_loss_1e6_png`, each value to 7 significant digits (25 MB). Written once, the same bytes every time, at
/// `$TMPDIR/nnviz-bench-plot_csv_1e6.csv`, where Tests/tools/bench_plot_csv.py reads it too.
func writeLossCSV(rows count: Int, to path: String) {
    var state: UInt64 = 42
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    let scale = Double(count) / 1000
    var text = "step,naive,sgd\n"
    text.reserveCapacity(28 * count)
    for i in 0..<count {
        let naive = 30 * exp(-Double(i) / (150 * scale)) + 0.01 + 0.02 * uniform()
        let sgd = 30 * exp(-Double(i) / (40 * scale)) + 0.003 + 0.002 * uniform()
        text += String(format: "%d,%.7g,%.7g\n", i, naive, sgd)
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        fatalError("plot_csv_1e6: cannot write \(path)")
    }
}

/// `nnviz plot LOG.csv --log-y -o OUT.png` in process: reading the 25 MB log, the figure (8×6 in, 150 dpi,
/// log y, legend, grid, title) and the PNG written, as the command does it.
private func plotCSV(rows: Int, repeats: Int, name: String) -> Workload {
    Workload(name: name, repeats: repeats, prepare: {
        let directory = FileManager.default.temporaryDirectory
        let csv = directory.appendingPathComponent("nnviz-bench-\(name).csv").path
        let png = directory.appendingPathComponent("nnviz-bench-\(name).png").path
        writeLossCSV(rows: rows, to: csv)
        return {
            do {
                var command = try NNVizCommand.parseAsRoot(["plot", csv, "--log-y", "-o", png, "--quiet"])
                try command.run()
            } catch {
                fatalError("\(name): \(error)")
            }
        }
    })
}

let plotWorkloads: [Workload] = [
    savePNG(points: 1_000_000, noisy: true, repeats: 9, name: "plot_loss_1e6_png"),
    savePNG(points: 1_000, noisy: false, repeats: 21, name: "plot_loss_1e3_png"),
    plotCSV(rows: 1_000_000, repeats: 9, name: "plot_csv_1e6"),
]
