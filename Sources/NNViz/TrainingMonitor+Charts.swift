import Foundation

// MARK: - Loss curves

extension TrainingMonitor {
    /// Draws the recorded curves to `to` (default `name_losses.png`) and returns the path written.
    ///
    /// ```swift
    /// try monitor.plotLosses()                              // every column whose name holds "loss"
    /// try monitor.plotLosses(["train_loss", "val_loss"], to: "output/curves.svg")
    /// ```
    /// - Throws: what ``lossFigure(_:title:)`` throws, or the figure's write error.
    @discardableResult
    public func plotLosses(_ columns: [String]? = nil, to path: String? = nil, title: String? = nil) throws -> String {
        let output = path ?? self.path("losses.png")
        try lossFigure(columns, title: title).save(to: output)
        return output
    }

    /// The loss curves as a figure (8 × 6 in, 150 dpi), one line per column against the recorded steps,
    /// on a log y axis when every value drawn is positive.
    ///
    /// ```swift
    /// var figure = try monitor.lossFigure()
    /// figure.axes.ylim(nil, 2)
    /// try figure.save(to: "output/zoomed.png")
    /// ```
    /// - Parameter columns: The columns drawn; default those whose name holds `loss` (any case), or all
    ///   if none does.
    /// - Throws: ``TrainingMonitorError/nothingRecorded(run:)``, ``TrainingMonitorError/unknownColumn(_:columns:)``.
    public func lossFigure(_ columns: [String]? = nil, title: String? = nil) throws -> Figure {
        let recorded = (self.columns ?? []).filter { history[$0] != nil && !gradientColumns.contains($0) }
        guard !recorded.isEmpty else { throw TrainingMonitorError.nothingRecorded(run: name) }
        let losses = recorded.filter { $0.lowercased().contains("loss") }
        let drawn = columns ?? (losses.isEmpty ? recorded : losses)
        for column in drawn where history[column] == nil {
            throw TrainingMonitorError.unknownColumn(column, columns: recorded)
        }
        let values = drawn.flatMap { history[$0]!.map(\.value) }.filter(\.isFinite)
        let logScale = !values.isEmpty && values.allSatisfy { $0 > 0 }

        var figure = Figure(width: 8, height: 6, dpi: 150)
        for column in drawn {
            let points = history[column]!
            figure.axes.plot(points.map(\.value), x: points.map { Double($0.step) }, label: column)
        }
        figure.axes.xlabel("step")
        figure.axes.ylabel(drawn.count == 1 ? drawn[0] : "value")
        if logScale {
            figure.axes.yscale = .log
            figure.axes.ylabel((figure.axes.yLabel ?? "") + " (log scale)")
        }
        figure.axes.title(title ?? "\(name): training curves")
        figure.axes.grid()
        if drawn.count > 1 { figure.axes.legend(.best) }
        return figure
    }
}

// MARK: - Gradient flow

extension TrainingMonitor {
    /// Draws the gradient flow of `model`'s parameters (after `backward()`) to `to` (default
    /// `name_grad_flow.png`) and returns the path written.
    ///
    /// ```swift
    /// loss.backward()
    /// try monitor.plotGradientFlow(model)
    /// ```
    /// - Throws: ``TrainingMonitorError/noGradients(parameters:)``, or the figure's write error.
    @discardableResult
    public func plotGradientFlow(_ model: Module, includeBiases: Bool = false, yscale: Scale? = nil,
                                 to path: String? = nil) throws -> String {
        let output = path ?? self.path("grad_flow.png")
        let flow = try GradientFlow(model.namedParameters(), includeBiases: includeBiases)
        try Self.gradientFlowFigure(flow, yscale: yscale).save(to: output)
        return output
    }

    /// `plot_grad_flow`'s chart: per parameter a bar of max |grad| (cyan) behind one of mean |grad|
    /// (blue), x ticks the parameter names turned upright, legend `max-gradient` / `mean-gradient`,
    /// title `Gradient flow`; room above the bars for the legend; 8 × 6 in (wider past 15 parameters), 150 dpi.
    ///
    /// ```swift
    /// let figure = TrainingMonitor.gradientFlowFigure(try GradientFlow(model.namedParameters()), yscale: .linear)
    /// ```
    /// - Parameter yscale: Default log when every bar is positive, else linear.
    public static func gradientFlowFigure(_ flow: GradientFlow, yscale: Scale? = nil) -> Figure {
        let scale = yscale ?? ((flow.meanAbs + flow.maxAbs).allSatisfy { $0 > 0 } ? .log : .linear)
        var figure = Figure(width: max(8, 2 + 0.4 * Double(flow.names.count)), height: 6, dpi: 150)
        figure.axes.bar(flow.maxAbs, categories: flow.names, label: "max-gradient",
                        color: maxGradientColor, alpha: 0.5)
        figure.axes.bar(flow.meanAbs, categories: flow.names, label: "mean-gradient",
                        color: meanGradientColor, alpha: 0.6)
        figure.axes.xTickRotation = 90
        figure.axes.yscale = scale
        // Headroom over the tallest bar for the legend: a factor 5 (0.7 decade) on a log axis, 30 % on a linear one.
        if let top = flow.maxAbs.filter(\.isFinite).max(), top > 0 { figure.axes.ylim(nil, top * (scale == .log ? 5 : 1.3)) }
        figure.axes.xlabel("Layers")
        figure.axes.ylabel(scale == .log ? "|gradient| (log scale)" : "|gradient|")
        figure.axes.title("Gradient flow")
        figure.axes.grid(axis: .y)
        figure.axes.legend(.best)
        figure.tightLayout = true
        return figure
    }

    /// `plot_grad_flow`'s colours: matplotlib's `c` and `b`.
    static let maxGradientColor = Color(red: 0, green: 0.75, blue: 0.75)
    static let meanGradientColor = Color(red: 0, green: 0, blue: 1)
}

// MARK: - Gradient heatmap

extension TrainingMonitor {
    /// Draws the watched parameters' gradient norms (or update ratios) at every recorded step as a
    /// parameters × steps heatmap on a log colour scale with a colour bar (``GradientHeatmap/figure(title:)``)
    /// to `to` (default `name_grad_heatmap.png`); returns the path written. `nnviz plot` draws the same chart
    /// from the CSV log.
    ///
    /// ```swift
    /// let monitor = try TrainingMonitor(name: "sine_rnn", watching: model)
    /// // … record(…) after each optimiser step …
    /// try monitor.plotGradientHeatmap()                                           // output/sine_rnn_grad_heatmap.png
    /// try monitor.plotGradientHeatmap(.updateRatio, to: "output/updates.png")
    /// ```
    /// - Throws: ``TrainingMonitorError/noGradientStatistics(run:)``, or the figure's write error.
    @discardableResult
    public func plotGradientHeatmap(_ metric: GradientHeatmap.Metric = .gradientNorm, to path: String? = nil,
                                    title: String? = nil) throws -> String {
        let output = path ?? self.path("grad_heatmap.png")
        try gradientHeatmap(metric).figure(title: title ?? "\(name): \(metric.title)").save(to: output)
        return output
    }

    /// The recorded statistics as a ``GradientHeatmap``: one row per watched parameter that has a value.
    ///
    /// - Throws: ``TrainingMonitorError/noGradientStatistics(run:)`` when no model is watched or no
    ///   recorded step had a gradient.
    public func gradientHeatmap(_ metric: GradientHeatmap.Metric = .gradientNorm) throws -> GradientHeatmap {
        let columns = gradientColumns.filter { metric.parameter(inColumn: $0) != nil }
        // The steps where the metric has a value, as a CSV reader sees them (the first update ratio is empty).
        let steps = Array(Set(columns.flatMap { history[$0]?.filter { !$0.value.isNaN }.map(\.step) ?? [] })).sorted()
        let index = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1, $0) })
        let values = columns.map { column -> [Double] in
            var row = [Double](repeating: .nan, count: steps.count)
            for (step, value) in history[column] ?? [] where !value.isNaN { row[index[step]!] = value }
            return row
        }
        let heatmap = GradientHeatmap(metric: metric, parameters: columns.map { metric.parameter(inColumn: $0)! },
                                      steps: steps.map(Double.init), values: values)
        guard !heatmap.parameters.isEmpty else { throw TrainingMonitorError.noGradientStatistics(run: name) }
        return heatmap
    }
}

// MARK: - The graph with gradients

extension TrainingMonitor {
    /// Draws `loss`'s autograd graph (after `backward()`) with `model`'s parameters named, each labelled
    /// with its gradient norm and tinted by it, to `to` (default `name_graph.png`); returns the path written.
    ///
    /// ```swift
    /// loss.backward()
    /// try monitor.plotGraph(loss, model: model)
    /// ```
    /// - Throws: the ``GraphvizError`` of the render.
    @discardableResult
    public func plotGraph(_ loss: Tensor, model: Module, to path: String? = nil,
                          options: RenderOptions = RenderOptions(gradientTint: true, legend: true)) throws -> String {
        let output = path ?? self.path("graph.png")
        try makeDot(loss, params: model.namedParameters(), outputNames: ["loss"])
            .labellingGradientNorms()
            .render(to: output, options: options)
        return output
    }
}
