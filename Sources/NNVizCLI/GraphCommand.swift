import ArgumentParser
import Foundation
import NNViz

/// `nnviz graph MODEL.yaml`: the autograd graph of a model file, as torchviz draws it, in process.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the autograd graph of a model file (torchviz's make_dot, rendered by Graphviz in process).",
        discussion: """
            Runs the model forward (and the loss when the file has a target) and draws the graph from the loss, \
            or from the output. Parameters are blue and named as PyTorch names them, functions grey, the output \
            green, saved tensors orange. --format dot writes the graph exactly as make_dot builds it. \
            --format html writes one self-contained interactive page (pan, zoom, search, a panel with each \
            node's shape, value statistics, gradient norm and saved values, folded blocks that expand); \
            --format json writes that page's data alone.
            """)

    enum Direction: String, ExpressibleByArgument, CaseIterable { case TB, LR }
    enum Collapse: String, ExpressibleByArgument, CaseIterable { case auto, none, always }

    @Argument(help: "A model file (see samples/*.yaml).")
    var model: String

    @OptionGroup var outputOptions: OutputOptions

    @Flag(name: .customLong("show-attrs"), help: "List each function's saved attributes, as torchviz's show_attrs.")
    var showAttrs = false

    @Flag(name: .customLong("show-saved"), help: "Draw the tensors each function saved (orange).")
    var showSaved = false

    @Flag(help: "Label every edge with the shape of the tensor flowing along it.")
    var shapes = false

    @Option(help: "Direction of the graph: TB (top to bottom, torchviz's) or LR.")
    var rankdir: Direction = .TB

    @Option(help: "Fold repeated steps into one ×N block: auto (for big graphs), none, always.")
    var collapse: Collapse = .auto

    @Flag(help: "Run backward and show each parameter's gradient norm, tinting nodes by it (log scale).")
    var grads = false

    @Flag(help: "Box each layer's nodes, labelled with the layer's name.")
    var clusters = false

    @Flag(help: "Add a legend explaining the colours.")
    var legend = false

    @Option(help: "Resolution of PNG output.")
    var dpi: Double = 96

    func validate() throws {
        guard dpi.isFinite, dpi >= 10, dpi <= 600 else { throw ValidationError("--dpi must be between 10 and 600, got \(dpi)") }
    }

    func run() throws {
        let progress = Progress(quiet: outputOptions.quiet)
        let spec = try ModelSpec.read(contentsOf: model)
        let (path, format) = try outputOptions.resolve(stem: spec.stem, formats: ["png", "svg", "pdf", "dot", "html", "json"])
        let run = try ModelRun(spec: spec, anomaly: true, statistics: format == "html" || format == "json")
        let root = run.loss ?? run.output
        if grads {
            guard run.loss != nil else {
                throw UsageError("\(model): --grads needs a loss; give the model file a 'target' (and a 'loss')")
            }
            run.backward()
        }
        var graph = makeDot(root, params: run.model.namedParameters(), showAttrs: showAttrs, showSaved: showSaved,
                            showShapes: shapes)
        if grads { graph = graph.labellingGradientNorms() }
        progress.report("laying out \(graph.nodes.count) nodes")
        if format == "dot" {
            try graph.writeSource(to: path)
        } else {
            var options = RenderOptions(dpi: dpi, rankDirection: rankdir == .LR ? .leftToRight : .topToBottom,
                                        collapse: CollapseMode(rawValue: collapse.rawValue)!, legend: legend)
            options.gradientTint = grads
            options.clusterModules = clusters
            if format == "html" {
                try graph.page(options: options, title: URL(fileURLWithPath: model).lastPathComponent).write(to: path)
            } else {
                try graph.render(to: path, options: options)
            }
        }
        if let bad = AnomalyMode.firstNonFinite(from: root) {
            FileHandle.standardError.write(Data("nnviz: warning: NaN or Inf first appears at \(bad.name)\(bad.creationSite.map { " (\($0))" } ?? ""); it is drawn red\n".utf8))
        }
        if !outputOptions.quiet { print("wrote \(path)") }
    }
}
