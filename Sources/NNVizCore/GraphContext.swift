/// Per-task recording state: whether ops record a graph, which module is running, anomaly mode, and
/// statistics recording.
///
/// Task-local, so a no-grad scope in one task never leaks into another running at the same time.
///
/// Immutable and shared: reading it costs one reference, which matters on every op.
final class GraphContext: Sendable {
    let gradEnabled: Bool
    let modulePath: String?
    let anomaly: Bool
    /// Whether new nodes record ``ValueStatistics`` of their output (see ``StatisticsMode``).
    let statistics: Bool
    /// Innermost call sites of `Module` calls, outermost first (anomaly mode only).
    let callSites: [String]

    init(gradEnabled: Bool = true, modulePath: String? = nil, anomaly: Bool = false, statistics: Bool = false,
         callSites: [String] = []) {
        self.gradEnabled = gradEnabled
        self.modulePath = modulePath
        self.anomaly = anomaly
        self.statistics = statistics
        self.callSites = callSites
    }

    func with(gradEnabled: Bool? = nil, modulePath: String?? = nil, anomaly: Bool? = nil, statistics: Bool? = nil,
              callSites: [String]? = nil) -> GraphContext {
        GraphContext(gradEnabled: gradEnabled ?? self.gradEnabled, modulePath: modulePath ?? self.modulePath,
                     anomaly: anomaly ?? self.anomaly, statistics: statistics ?? self.statistics,
                     callSites: callSites ?? self.callSites)
    }

    @TaskLocal static var current = GraphContext()

    /// The current state if ops record graphs in it (nil inside ``noGrad(_:)``).
    @inline(__always)
    static var recordingContext: GraphContext? {
        let context = current
        return context.gradEnabled ? context : nil
    }
}

/// Runs `body` without recording a graph, like `with torch.no_grad():`. Safe with concurrency:
/// the scope covers this task only.
///
/// ```swift
/// noGrad {
///     for p in model.parameters() { p -= lr * p.grad! }
/// }
/// ```
@discardableResult
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    let context = GraphContext.current
    guard context.gradEnabled else { return try body() }
    return try GraphContext.$current.withValue(context.with(gradEnabled: false), operation: body)
}

/// Runs `body` with graph recording switched on or off, like `torch.set_grad_enabled(flag)`.
@discardableResult
public func withGradEnabled<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    let context = GraphContext.current
    guard context.gradEnabled != enabled else { return try body() }
    return try GraphContext.$current.withValue(context.with(gradEnabled: enabled), operation: body)
}

/// Whether ops record a graph here (false inside ``noGrad(_:)``).
public var isGradEnabled: Bool { GraphContext.current.gradEnabled }

/// Runs `body` with nodes tagged as created by the module at `path` (used for graph clusters), and,
/// in anomaly mode, with `site` as the innermost user call site. Inside ``ModuleCallRecorder/record(_:)``
/// a tensor result is recorded as the module's output.
@discardableResult
public func withModuleScope<R>(_ path: String, site: String? = nil, _ body: () throws -> R) rethrows -> R {
    let context = GraphContext.current
    let sites = context.anomaly && site != nil ? context.callSites + [site!] : context.callSites
    let result = try GraphContext.$current.withValue(context.with(modulePath: .some(path), callSites: sites), operation: body)
    if let recorder = ModuleCallRecorder.current, let output = result as? Tensor { recorder.append(path, output) }
    return result
}
