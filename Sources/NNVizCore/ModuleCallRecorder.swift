import Synchronization

/// Records what every module call produced — the module's path and its output's shape and type — while
/// ``record(_:)`` runs: the output-shape column of a model summary, taken from one real forward pass.
///
/// Off by default: outside `record`, a module call pays one task-local read. Calls are listed as they
/// finish (a block after the layers inside it); modules run through ``withModuleScope(_:site:_:)`` (every
/// `Module` call does) are recorded when their result is a tensor.
///
/// ```swift
/// let recorder = ModuleCallRecorder()
/// let y = recorder.record { model(x) }
/// print(recorder.calls.map { "\($0.path) \($0.shape)" })   // ["fc1 [1, 2]", "act [1, 2]", "fc2 [1, 1]", " [1, 1]"]
/// ```
public final class ModuleCallRecorder: Sendable {
    /// One finished module call.
    public struct Call: Sendable, Equatable {
        /// The module's dotted path (`""` for the model called at the top, `layer1.0.conv1` inside it).
        public let path: String
        public let shape: [Int]
        public let dtype: DType
    }

    private let state = Mutex<[Call]>([])

    @TaskLocal static var current: ModuleCallRecorder?

    public init() {}

    /// Every call recorded so far, in the order the calls finished.
    public var calls: [Call] { state.withLock { $0 } }

    /// Runs `body` with this recorder listening to module calls in this task.
    @discardableResult
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        try ModuleCallRecorder.$current.withValue(self, operation: body)
    }

    func append(_ path: String, _ output: Tensor) {
        let call = Call(path: path, shape: output.shape, dtype: output.dtype)
        state.withLock { $0.append(call) }
    }
}
