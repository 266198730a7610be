import CGraphviz

/// A graph parsed by libcgraph (`Agraph_t` from `agmemread`). Closed in `deinit`.
/// Create and drop only inside ``GraphvizLibrary/withLock(_:)``.
final class GraphvizGraph {
    let handle: UnsafeMutablePointer<Agraph_t>

    /// Parses DOT text; throws ``GraphvizError/syntax(message:)`` with Graphviz's message.
    init(dot: String) throws {
        guard let handle = dot.withCString({ agmemread($0) }) else {
            let message = GraphvizLibrary.takeMessages()
            throw GraphvizError.syntax(message: message.isEmpty ? "no graph found in the text" : message)
        }
        self.handle = handle
    }

    deinit {
        agclose(handle)
    }

    /// The graph attribute `name`, or `nil` when it is unset or empty.
    subscript(attribute name: String) -> String? {
        let value = name.withCString { agget(UnsafeMutableRawPointer(handle), UnsafeMutablePointer(mutating: $0)) }
        guard let value, value.pointee != 0 else { return nil }
        return String(cString: value)
    }

    /// Sets the graph attribute `name` (declaring it with an empty default when new).
    func set(attribute name: String, to value: String) {
        name.withCString { namePointer in
            value.withCString { valuePointer in
                "".withCString { empty in
                    _ = agsafeset(UnsafeMutableRawPointer(handle), UnsafeMutablePointer(mutating: namePointer),
                                  UnsafeMutablePointer(mutating: valuePointer), UnsafeMutablePointer(mutating: empty))
                }
            }
        }
    }
}

/// A layout computed for a ``GraphvizGraph``; `deinit` frees it with `gvFreeLayout`.
/// Create and drop only inside ``GraphvizLibrary/withLock(_:)``.
final class GraphvizLayout {
    let context: GraphvizContext
    let graph: GraphvizGraph

    init(context: GraphvizContext, graph: GraphvizGraph, engine: String) throws {
        let status = engine.withCString { gvLayout(context.handle, graph.handle, $0) }
        guard status == 0 else {
            // gvLayout fails before laying anything out, so only a successful one needs gvFreeLayout.
            throw GraphvizError.layout(engine: engine, message: GraphvizLibrary.takeMessages())
        }
        self.context = context
        self.graph = graph
    }

    deinit {
        gvFreeLayout(context.handle, graph.handle)
    }

    /// The drawing in `format` (a Graphviz `-T` name), copied out of Graphviz's buffer.
    func render(format: String) throws -> [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let status = format.withCString { gvRenderData(context.handle, graph.handle, $0, &data, &length) }
        defer { if let data { gvFreeRenderData(data) } }
        guard status == 0, let data else {
            var message = GraphvizLibrary.takeMessages()
            if message.isEmpty { message = "gvRenderData returned \(status)" }
            let known = context.formats()
            if !known.isEmpty, !known.contains(format) {
                message += " (formats this Graphviz knows: " + known.joined(separator: " ") + ")"
            }
            throw GraphvizError.render(format: format, message: message)
        }
        return data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
    }

    /// The layout's bounding box in points (`bb`, set by gvLayout).
    func boundingBox() throws -> (width: Double, height: Double, centerX: Double, centerY: Double) {
        let text = graph[attribute: "bb"] ?? ""
        let numbers = text.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
        guard numbers.count == 4, numbers.allSatisfy(\.isFinite) else {
            throw GraphvizError.missingBoundingBox(text)
        }
        return (numbers[2] - numbers[0], numbers[3] - numbers[1], (numbers[0] + numbers[2]) / 2, (numbers[1] + numbers[3]) / 2)
    }
}
