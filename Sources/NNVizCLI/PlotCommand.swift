import ArgumentParser
import Foundation
import NNViz

/// `nnviz plot LOSSES.csv [MORE.csv…]`: loss curves from training logs, one run per file.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw loss curves from CSV training logs.",
        discussion: """
            Reads bare columns of numbers, headed CSV, PyTorch Lightning metrics.csv, Keras CSVLogger and \
            TensorBoard exports. Every numeric column is drawn against 'step', else 'epoch', else the row number. \
            A log with grad_norm/<parameter> columns (a TrainingMonitor watching a model writes them) is drawn \
            as a gradient heatmap instead, parameters by steps on a log colour scale, unless --columns is given.
            """)

    @Argument(help: "CSV logs; each file is one run.")
    var files: [String]

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "The column to use as x (default: step, then epoch, then the row number).")
    var x: String?

    @Option(help: "Only these columns, comma-separated (e.g. train_loss,val_loss).")
    var columns: String?

    @Flag(name: .customLong("log-y"), help: "Logarithmic y axis.")
    var logY = false

    @Option(help: "Smoothing weight 0…1 (TensorBoard's debiased moving average); the raw curve stays faint underneath.")
    var smooth: Double?

    @Option(help: "Draw a gradient heatmap of the grad_norm/… or update_ratio/… columns: grad_norm or update_ratio.")
    var heatmap: String?

    @Option(help: "Title (default: the file names).")
    var title: String?

    @Option(help: "Figure size in inches, WxH (default 8x6; a heatmap grows with its parameters).")
    var size: String?

    @Option(help: "Pixels per inch of the PNG.")
    var dpi: Double = 150

    func validate() throws {
        if let smooth, !(0...1).contains(smooth) { throw ValidationError("--smooth must be between 0 and 1, got \(smooth)") }
        guard dpi.isFinite, dpi >= 10, dpi <= 1200 else { throw ValidationError("--dpi must be between 10 and 1200, got \(dpi)") }
        _ = try parsedSize()
        if let heatmap, GradientHeatmap.Metric(rawValue: heatmap) == nil {
            throw ValidationError("--heatmap must be grad_norm or update_ratio, got '\(heatmap)'")
        }
        if heatmap != nil && files.count > 1 { throw ValidationError("--heatmap draws one file, got \(files.count)") }
    }

    func parsedSize() throws -> (Double, Double)? {
        guard let size else { return nil }
        let parts = size.lowercased().split(separator: "x").compactMap { Double($0) }
        guard parts.count == 2, parts.allSatisfy({ $0.isFinite && $0 >= 1 && $0 <= 50 }) else {
            throw ValidationError("--size must be WxH in inches between 1 and 50, like 8x6; got '\(size)'")
        }
        return (parts[0], parts[1])
    }

    func run() throws {
        let progress = Progress(quiet: outputOptions.quiet)
        Figure.loadFontInBackground()
        let chosen = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let logs = try files.map { try LossLog.read(contentsOf: $0, x: x, columns: chosen) }
        let (path, format) = try outputOptions.resolve(stem: logs[0].name, formats: ["png", "svg", "pdf"])
        let runNames = Self.runNames(files)
        let figure = try heatmapFigure(logs, runNames: runNames) ?? curvesFigure(logs, runNames: runNames, progress: progress)
        let warnings = try figure.save(to: path, format: ImageFormat(rawValue: format))
        for warning in warnings { FileHandle.standardError.write(Data("nnviz: warning: \(warning)\n".utf8)) }
        if !outputOptions.quiet { print("wrote \(path)") }
    }

    /// The gradient heatmap asked for with --heatmap, or found in a single log read without --columns; nil
    /// otherwise.
    private func heatmapFigure(_ logs: [LossLog], runNames: [String]) throws -> Figure? {
        let metric: GradientHeatmap.Metric
        if let heatmap {
            metric = GradientHeatmap.Metric(rawValue: heatmap)!
        } else if columns == nil, logs.count == 1,
                  logs[0].series.contains(where: { GradientHeatmap.Metric.gradientNorm.parameter(inColumn: $0.name) != nil }) {
            metric = .gradientNorm
        } else {
            return nil
        }
        guard let map = GradientHeatmap(log: logs[0], metric: metric) else {
            let names = logs[0].series.map(\.name)
            throw CSVError.unknownColumn(file: files[0], name: metric.column(for: "<parameter>"), suggestion: nil,
                                         columns: names)
        }
        var figure = map.figure(title: title ?? "\(runNames[0]): \(metric.title)")
        if let (width, height) = try parsedSize() {
            figure.width = width
            figure.height = height
        }
        figure.dpi = dpi
        return figure
    }

    /// Every series of every log against its x, one line each.
    private func curvesFigure(_ logs: [LossLog], runNames: [String], progress: Progress) throws -> Figure {
        let (width, height) = try parsedSize() ?? (8, 6)
        var figure = Figure(width: width, height: height, dpi: dpi)
        for (log, run) in zip(logs, runNames) {
            for series in log.series {
                let label = logs.count > 1 ? "\(run): \(series.name)" : series.name
                figure.axes.plot(series.y, x: series.x, label: label, smoothing: smooth)
            }
        }
        figure.axes.xlabel(logs[0].xLabel == "row" ? "row" : logs[0].xLabel)
        let allSeries = logs.flatMap(\.series)
        if Set(allSeries.map(\.name)).count == 1 { figure.axes.ylabel(allSeries[0].name) }
        if logY { figure.axes.yscale = .log }
        figure.axes.title(title ?? runNames.joined(separator: ", "))
        if allSeries.count > 1 { figure.axes.legend(.best) }
        figure.axes.grid()
        progress.report("drawing \(allSeries.reduce(0) { $0 + $1.y.count }) points")
        return figure
    }

    /// Names runs by file stem, or by folder when stems repeat (every Lightning run is `metrics.csv`).
    static func runNames(_ files: [String]) -> [String] {
        let urls = files.map { URL(fileURLWithPath: $0) }
        let stems = urls.map { $0.deletingPathExtension().lastPathComponent }
        guard Set(stems).count < stems.count else { return stems }
        return urls.map { $0.deletingLastPathComponent().lastPathComponent + "/" + $0.deletingPathExtension().lastPathComponent }
    }
}
