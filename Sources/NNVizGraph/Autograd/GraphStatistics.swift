import NNVizCore

/// What a backward graph holds: how many nodes of each operation, how many learnable values reach it,
/// and how much memory its saved tensors take — the numbers to read before drawing a big graph.
///
/// ```swift
/// let stats = GraphStatistics(loss)
/// print(stats)
/// // 17 backward nodes: AccumulateGrad 4, AddmmBackward0 2, TBackward0 2, …
/// // 11 parameters in 4 tensors; saved tensors hold 36 B
/// ```
public struct GraphStatistics: CustomStringConvertible, Equatable, Sendable {
    /// Backward nodes per PyTorch name, most frequent first (ties by name).
    public let nodeCounts: [Count]
    /// Learnable values: elements of the leaves that `AccumulateGrad` nodes hold.
    public let parameterCount: Int
    /// Leaves that require grad.
    public let parameterTensors: Int
    /// Bytes held by the tensors the nodes saved for backward, each at its own element size (4 for float32,
    /// 8 for float64 and int64 indices, 1 for bool masks); a tensor saved by two nodes counts twice.
    public let savedTensorBytes: Int

    public struct Count: Equatable, Sendable {
        public let name: String
        public let count: Int
    }

    /// Counts every node reachable from `outputs`' grad_fns (each once).
    public init(_ outputs: Tensor...) {
        self.init(outputs)
    }

    public init(_ outputs: [Tensor]) {
        let nodes = GraphWalk.nodes(from: outputs.compactMap(\.gradFn))
        var counts: [String: Int] = [:]
        var parameters = 0, tensors = 0, saved = 0
        for node in nodes {
            counts[node.name, default: 0] += 1
            if let leaf = node.variable {
                parameters += leaf.count
                tensors += 1
            }
            for entry in node.saved { saved += entry.byteCount(outputDType: node.outputDType) }
        }
        nodeCounts = counts.map { Count(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        parameterCount = parameters
        parameterTensors = tensors
        savedTensorBytes = saved
    }

    /// All backward nodes.
    public var nodeCount: Int { nodeCounts.reduce(0) { $0 + $1.count } }

    public var description: String {
        let counts = nodeCounts.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        return "\(nodeCount) backward nodes: \(counts)\n"
            + "\(parameterCount) parameters in \(parameterTensors) tensors; saved tensors hold \(GraphStatistics.bytes(savedTensorBytes))"
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.1f MiB", Double(count) / 1024 / 1024)
    }
}
