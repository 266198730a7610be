/// Writes a ``DotGraph`` as DOT text in torchviz's layout: a tab before each statement, attribute
/// lists in brackets, no semicolons.
///
/// The output depends only on the graph, so the same graph always gives the same bytes. Statements
/// come in this order: `graph [...]`, `node [...]`, `edge [...]`, the nodes in the graph's order (a
/// cluster's block where its first node falls), then the edges. Graphviz creates nodes in the order
/// they are first named, so keeping the graph's node order keeps its layout.
///
/// Strings are written bare when DOT allows it (identifiers such as `lightblue`, numerals such as
/// `0.2`) and quoted otherwise, with `"` and `\` escaped; line breaks stay real newlines as in
/// torchviz's labels.
///
/// ```swift
/// let text = DotEncoder().encode(graph)
/// // digraph {
/// //     graph [size="12,12"]
/// //     node [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]
/// //     f0 [label=MseLossBackward0]
/// //     ...
/// ```
public struct DotEncoder: Sendable {
    /// An encoder; it has no settings, the text depends only on the graph.
    public init() {}

    /// The DOT text of `graph`.
    public func encode(_ graph: DotGraph) -> String {
        var out = "digraph {\n"
        var graphAttributes = DotAttributes()
        if let size = DotEncoder.sizeText(graph.sizeRule, statements: graph.statementCount) {
            graphAttributes["size"] = .text(size)
        }
        for entry in graph.graphAttributes { graphAttributes[entry.key] = entry.value }
        if !graphAttributes.isEmpty { out += "\tgraph " + list(graphAttributes) + "\n" }
        if !graph.nodeDefaults.isEmpty { out += "\tnode " + list(graph.nodeDefaults) + "\n" }
        if !graph.edgeDefaults.isEmpty { out += "\tedge " + list(graph.edgeDefaults) + "\n" }

        let layout = ClusterLayout(graph)
        var emittedTopClusters = Set<String>()
        for node in graph.nodes {
            if let top = layout.topCluster(of: node) {
                if emittedTopClusters.insert(top).inserted {
                    writeCluster(top, of: graph, layout: layout, depth: 1, into: &out)
                }
            } else {
                out += "\t" + statement(for: node) + "\n"
            }
        }
        for edge in graph.edges { out += "\t" + statement(for: edge) + "\n" }
        return out + "}\n"
    }

    // MARK: - Statements

    func statement(for node: DotNode) -> String {
        var attributes = DotAttributes()
        switch node.label {
        case .text(let text): attributes["label"] = .text(text)
        case .table(let table): attributes["label"] = .html(table.markup)
        }
        if let fill = node.fillColor { attributes["fillcolor"] = .text(fill.name) }
        if let border = node.borderColor { attributes["color"] = .text(border.name) }
        if let width = node.penWidth { attributes["penwidth"] = .text(DotEncoder.number(width)) }
        if let shape = node.shape { attributes["shape"] = .text(shape.name) }
        if let style = node.style { attributes["style"] = .text(style.dotText) }
        if let tooltip = node.tooltip { attributes["tooltip"] = .text(tooltip) }
        for entry in node.attributes { attributes[entry.key] = entry.value }
        return DotEncoder.identifier(node.id) + " " + list(attributes)
    }

    func statement(for edge: DotEdge) -> String {
        var attributes = DotAttributes()
        if let direction = edge.direction { attributes["dir"] = .text(direction.rawValue) }
        if let style = edge.style { attributes["style"] = .text(style.dotText) }
        if let color = edge.color { attributes["color"] = .text(color.name) }
        if let label = edge.displayedLabel { attributes["label"] = .text(label) }
        for entry in edge.attributes { attributes[entry.key] = entry.value }
        let head = DotEncoder.identifier(edge.from) + " -> " + DotEncoder.identifier(edge.to)
        return attributes.isEmpty ? head : head + " " + list(attributes)
    }

    private func writeCluster(_ id: String, of graph: DotGraph, layout: ClusterLayout, depth: Int,
                              into out: inout String)
    {
        guard let cluster = graph.cluster(id) else { return }
        let indent = String(repeating: "\t", count: depth)
        out += indent + "subgraph " + DotEncoder.identifier(cluster.dotName) + " {\n"
        var attributes: DotAttributes = ["label": .text(cluster.label)]
        if let style = cluster.style { attributes["style"] = .text(style.dotText) }
        if let border = cluster.borderColor { attributes["color"] = .text(border.name) }
        if let fill = cluster.fillColor { attributes["fillcolor"] = .text(fill.name) }
        for entry in cluster.attributes { attributes[entry.key] = entry.value }
        out += indent + "\tgraph " + list(attributes) + "\n"
        for member in layout.members(of: id) {
            switch member {
            case .node(let index): out += indent + "\t" + statement(for: graph.nodes[index]) + "\n"
            case .cluster(let child): writeCluster(child, of: graph, layout: layout, depth: depth + 1, into: &out)
            }
        }
        out += indent + "}\n"
    }

    private func list(_ attributes: DotAttributes) -> String {
        "[" + attributes.map { DotEncoder.identifier($0.key) + "=" + DotEncoder.value($0.value) }
            .joined(separator: " ") + "]"
    }

    // MARK: - Strings

    /// `text` as a DOT ID: bare when it is an identifier or numeral and not a keyword, quoted otherwise.
    static func identifier(_ text: String) -> String {
        isBare(text) ? text : quoted(text)
    }

    static func value(_ value: DotValue) -> String {
        switch value {
        case .text(let text): return identifier(text)
        case .html(let markup): return "<" + markup + ">"
        }
    }

    /// `text` in double quotes with `"` and `\` escaped, carriage returns turned into newlines and
    /// NUL characters (which end a C string) dropped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            defer { previousWasReturn = scalar == "\r" }
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\r": result += "\n"
            case "\n": if !previousWasReturn { result += "\n" }
            case "\0": continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static let keywords: Set<String> = ["node", "edge", "graph", "digraph", "subgraph", "strict"]

    private static func isBare(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        if keywords.contains(text.lowercased()) { return false }
        func isLetter(_ byte: UInt8) -> Bool { (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        if isLetter(first) { return text.utf8.allSatisfy { isLetter($0) || isDigit($0) } }
        // Numeral: -?(.[0-9]+ | [0-9]+(.[0-9]*)?)
        var bytes = text.utf8[...]
        if bytes.first == 45 { bytes = bytes.dropFirst() }
        let integer = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(integer.count)
        if bytes.isEmpty { return !integer.isEmpty }
        guard bytes.first == 46 else { return false }
        let fraction = bytes.dropFirst()
        guard fraction.allSatisfy(isDigit) else { return false }
        return !integer.isEmpty || !fraction.isEmpty
    }

    // MARK: - Numbers

    /// The `size` text for `rule`, or `nil` for none.
    static func sizeText(_ rule: DotGraph.SizeRule, statements: Int) -> String? {
        switch rule {
        case .torchviz:
            // torchviz: str(max(12, 0.15 * len(body))), so "12" or Python's shortest float text.
            let content = Double(statements) * 0.15
            let side = content > 12 ? content.description : "12"
            return side + "," + side
        case .inches(let width, let height):
            return number(width) + "," + number(height)
        case .unbounded:
            return nil
        }
    }

    /// A number without a trailing `.0`, in the shortest text that reads back the same.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return value.description
    }
}

// MARK: - Cluster membership

/// Which nodes and sub-clusters each cluster holds, in the order the encoder writes them.
struct ClusterLayout {
    enum Member { case node(Int), cluster(String) }

    private var membersByCluster: [String: [Member]] = [:]
    private var topByCluster: [String: String] = [:]

    init(_ graph: DotGraph) {
        guard !graph.clusters.isEmpty else { return }
        var parent: [String: String] = [:]
        for cluster in graph.clusters { parent[cluster.id] = cluster.parent }
        // `DotGraph.add(_:)` takes a parent before its children, so chains end.
        func chain(from id: String) -> [String] {
            var result = [id]
            while let up = parent[result[result.count - 1]] { result.append(up) }
            return result
        }
        var seenChildren = Set<String>()
        for (index, node) in graph.nodes.enumerated() {
            guard let id = node.cluster, graph.cluster(id) != nil else { continue }
            let path = chain(from: id)
            membersByCluster[id, default: []].append(.node(index))
            for (child, up) in zip(path, path.dropFirst()) where seenChildren.insert(child).inserted {
                membersByCluster[up, default: []].append(.cluster(child))
            }
            topByCluster[id] = path[path.count - 1]
        }
    }

    /// The outermost cluster holding `node`, or `nil` when it is at the top level.
    func topCluster(of node: DotNode) -> String? {
        node.cluster.flatMap { topByCluster[$0] }
    }

    /// The cluster's nodes and sub-clusters in order of first appearance.
    func members(of cluster: String) -> [Member] { membersByCluster[cluster] ?? [] }
}
