extension DotGraph {
    /// The graph with nodes boxed by module: one cluster per ``DotNode/modulePath``, nested along
    /// the dots (`encoder` holds `encoder.layer1`), each labelled with its full path. Nodes already
    /// in a cluster and nodes without a module path stay where they are.
    ///
    /// ```swift
    /// let boxed = graph.clusteredByModule()
    /// ```
    public func clusteredByModule() -> DotGraph {
        var result = self
        for node in nodes {
            guard node.cluster == nil, let path = node.modulePath, !path.isEmpty else { continue }
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var parent: String?
            for depth in 1...parts.count {
                let id = parts[0..<depth].joined(separator: ".")
                if result.cluster(id) == nil {
                    result.add(DotCluster(id: id, label: id, parent: parent,
                                          attributes: ["fontname": "monospace", "fontsize": 10,
                                                       "fontcolor": "#505050", "labeljust": "l"]))
                }
                parent = id
            }
            result.update(node.id) { $0.cluster = path }
        }
        return result
    }
}
