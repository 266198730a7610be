/// Per-task recording state: whether ops record a graph, which module is running, and anomaly mode.
///
/// Task-local, so a no-grad scope in one task never leaks into another running at the same time.
struct GraphContext: Sendable {
    var gradEnabled = true
    var modulePath: String?
    var anomaly = false
    /// Innermost call sites of `Module` calls, outermost first (anomaly mode only).
    var callSites: [String] = []

    @TaskLocal static var current = GraphContext()
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
    var context = GraphContext.current
    context.gradEnabled = false
    return try GraphContext.$current.withValue(context, operation: body)
}

/// Runs `body` with graph recording switched on or off, like `torch.set_grad_enabled(flag)`.
@discardableResult
public func withGradEnabled<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    var context = GraphContext.current
    context.gradEnabled = enabled
    return try GraphContext.$current.withValue(context, operation: body)
}

/// Whether ops record a graph here (false inside ``noGrad(_:)``).
public var isGradEnabled: Bool { GraphContext.current.gradEnabled }

/// Runs `body` with nodes tagged as created by the module at `path` (used for graph clusters), and,
/// in anomaly mode, with `site` as the innermost user call site.
@discardableResult
public func withModuleScope<R>(_ path: String, site: String? = nil, _ body: () throws -> R) rethrows -> R {
    var context = GraphContext.current
    context.modulePath = path
    if context.anomaly, let site { context.callSites.append(site) }
    return try GraphContext.$current.withValue(context, operation: body)
}
