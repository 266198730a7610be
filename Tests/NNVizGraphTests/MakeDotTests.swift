import Foundation
import Testing
import NNVizCore
import NNVizNN
import NNVizCLI
@testable import NNVizGraph

/// makeDot against torchviz's real output (Tests/NNVizGraphTests/Fixtures, made by Tests/tools/make_fixtures.py):
/// each computation is rebuilt in Swift and the graphs compared by structure, as ../shared/tools/dotcompare.py does.
struct MakeDotTests {
    struct Fixture {
        let tensors: [String: Tensor]
        let statements: [[String: Any]]
        let makeDot: [String: Any]

        init(_ name: String) throws {
            let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name).json")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            var tensors: [String: Tensor] = [:]
            for (key, value) in json["tensors"] as! [String: [String: Any]] {
                let data = (value["data"] as! [NSNumber]).map(\.doubleValue)
                let isLong = (value["dtype"] as? String) == "int64"
                tensors[key] = Tensor(shape: value["shape"] as! [Int], values: data, dtype: isLong ? .int64 : .float32)
            }
            self.tensors = tensors
            statements = json["statements"] as! [[String: Any]]
            makeDot = json["make_dot"] as! [String: Any]
        }

        var showAttrs: Bool { makeDot["show_attrs"] as? Bool ?? false }
        var showSaved: Bool { makeDot["show_saved"] as? Bool ?? false }
    }

    /// A graph reduced to what dotcompare compares: node (label lines, colour) multiset, edges by their ends'
    /// descriptions, and a Weisfeiler-Lehman hash of the wiring.
    struct Canonical: Equatable {
        let nodes: [String]
        let edges: [String]
        let wiring: [String]

        init(nodes: [String: String], edges: [(String, String, String)]) {
            self.nodes = nodes.values.sorted()
            self.edges = edges.map { "\(nodes[$0.0] ?? $0.0) -> \(nodes[$0.1] ?? $0.1) \($0.2)" }.sorted()
            var hash = nodes
            for _ in 0..<4 {
                var next: [String: String] = [:]
                for id in nodes.keys {
                    let inputs = edges.filter { $0.1 == id }.map { hash[$0.0]! + $0.2 }.sorted().joined(separator: ",")
                    let outputs = edges.filter { $0.0 == id }.map { hash[$0.1]! + $0.2 }.sorted().joined(separator: ",")
                    next[id] = String((hash[id]! + "|in:" + inputs + "|out:" + outputs).hashValue)
                }
                hash = next
            }
            wiring = hash.values.sorted()
        }

        static func label(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }.joined(separator: " | ")
        }

        static func colour(_ name: String?) -> String {
            let named = ["lightblue": "#add8e6", "darkolivegreen1": "#caff70", "orange": "#ffa500", "lightgrey": "#d3d3d3",
                         "darkolivegreen3": "#a2cd5a"]
            guard let name, !name.isEmpty else { return "#d3d3d3" }
            return named[name] ?? name
        }

        init(torchviz statements: [[String: Any]]) {
            var nodes: [String: String] = [:]
            var edges: [(String, String, String)] = []
            for statement in statements {
                let attributes = statement["attributes"] as? [String: String] ?? [:]
                if statement["kind"] as? String == "node" {
                    nodes[statement["id"] as! String] = Canonical.label(statement["label"] as! String) + " " + Canonical.colour(attributes["fillcolor"])
                } else {
                    edges.append((statement["tail"] as! String, statement["head"] as! String, attributes["dir"] ?? ""))
                }
            }
            self.init(nodes: nodes, edges: edges)
        }

        init(_ graph: DotGraph) {
            var nodes: [String: String] = [:]
            for node in graph.nodes { nodes[node.id] = Canonical.label(node.label.lines.joined(separator: "\n")) + " " + Canonical.colour(node.fillColor?.name) }
            self.init(nodes: nodes, edges: graph.edges.map { ($0.from, $0.to, $0.direction == DotEdge.Direction.none ? "none" : "") })
        }
    }

    func expectSame(_ name: String, _ graph: DotGraph, _ fixture: Fixture) {
        let expected = Canonical(torchviz: fixture.statements), actual = Canonical(graph)
        #expect(actual.nodes == expected.nodes, "\(name): nodes")
        #expect(actual.edges == expected.edges, "\(name): edges")
        #expect(actual.wiring == expected.wiring, "\(name): wiring")
    }

    func load(_ module: Module, _ fixture: Fixture, prefix: String = "") throws {
        var state: [String: Tensor] = [:]
        for (name, _) in module.namedParameters() + module.namedBuffers() {
            if let value = fixture.tensors[prefix + name] { state[name] = value }
        }
        for (name, tensor) in module.namedBuffers() where state[name] == nil { state[name] = tensor.copy() }
        try module.loadStateDict(state)
    }

    func tanhNeuron() -> (layer: Linear, y: Tensor, loss: Tensor) {
        let layer = Linear(2, 1)
        layer.weight = Parameter([[0.6, -0.2]])
        layer.bias = Parameter([0.8])
        let y = addmm(layer.bias!, Tensor([[1.0, 2.0]]), layer.weight!.t()).tanh()
        return (layer, y, MSELoss()(y, Tensor([[1.0]])))
    }

    func named(_ layer: Linear, _ prefix: String) -> [(name: String, tensor: Tensor)] {
        layer.namedParameters().map { (prefix + "." + $0.name, $0.tensor) }
    }

    @Test func tanhNeuronOutputLossAttributesAndSavedTensors() throws {
        for (name, root, attrs, saved) in [("tanh_neuron_output", 0, false, false), ("tanh_neuron_loss", 1, false, false),
                                           ("tanh_neuron_loss_attrs", 1, true, false), ("tanh_neuron_loss_saved", 1, false, true),
                                           ("tanh_neuron_loss_attrs_saved", 1, true, true)] {
            let fixture = try Fixture(name)
            #expect(fixture.showAttrs == attrs && fixture.showSaved == saved)
            let (layer, y, loss) = tanhNeuron()
            let graph = makeDot(root == 0 ? y : loss, params: named(layer, "layer1"), showAttrs: attrs, showSaved: saved)
            expectSame(name, graph, fixture)
        }
    }

    @Test func savedTensorsAndAttributesStayDrawableAfterBackward() throws {
        let (layer, _, loss) = tanhNeuron()
        let before = makeDot(loss, params: named(layer, "layer1"), showAttrs: true, showSaved: true)
        loss.backward()
        let after = makeDot(loss, params: named(layer, "layer1"), showAttrs: true, showSaved: true)
        expectSame("tanh_neuron_loss_attrs_saved", after, try Fixture("tanh_neuron_loss_attrs_saved"))
        #expect(Canonical(before) == Canonical(after))
        #expect(after.nodes.filter { $0.kind == .parameter }.allSatisfy { $0.gradientNorm != nil })
    }

    @Test func seedTutorialNetwork() throws {
        let fixture = try Fixture("seed1_mlp_loss")
        let (fc1, fc2) = withManualSeed(1) { (Linear(3, 2), Linear(2, 1)) }
        let loss = MSELoss()(fc2(fc1(Tensor([[1.0, 2.0, 3.0]])).relu()), Tensor([[1.0]]))
        expectSame("seed1_mlp_loss", makeDot(loss, params: named(fc1, "fc1") + named(fc2, "fc2")), fixture)
    }

    @Test func linearWithoutBiasParallelEdgesViewsAndTuples() throws {
        let noBias = try Fixture("linear_nobias_output")
        let fc = Linear(3, 2, bias: false)
        try load(fc, noBias, prefix: "fc.")
        expectSame("linear_nobias_output", makeDot(fc(noBias.tensors["x"]!), params: named(fc, "fc")), noBias)

        let a = Tensor([2.0], requiresGrad: true)
        let square = makeDot(a * a, params: [("a", a)])
        expectSame("square_parallel_edges", square, try Fixture("square_parallel_edges"))
        #expect(square.edges.count == 4)

        let view = try Fixture("view_output")
        let x = view.tensors["x"]!.requiresGrad_()
        expectSame("view_output", makeDot((x * 2.0).view([3, 2]), params: [("x", x)]), view)

        let tuple = try Fixture("tuple_outputs")
        let fc2 = Linear(3, 2)
        try load(fc2, tuple, prefix: "fc.")
        let y1 = fc2(tuple.tensors["x"]!)
        expectSame("tuple_outputs", makeDot(y1, y1.tanh().sum(), params: named(fc2, "fc")), tuple)
    }

    @Test func convolutionalNetwork() throws {
        let fixture = try Fixture("cnn_loss")
        let net = Sequential(Conv2d(1, 2, kernelSize: 3, padding: 1), BatchNorm2d(2), ReLU(), MaxPool2d(2), Flatten(), Linear(8, 3))
        try load(net, fixture)
        let loss = CrossEntropyLoss()(net(fixture.tensors["x"]!), fixture.tensors["target"]!)
        expectSame("cnn_loss", makeDot(loss, params: net.namedParameters()), fixture)
    }

    @Test func recurrentNetworks() throws {
        let fixture = try Fixture("rnn_last_step_loss")
        let rnn = RNN(1, 8, batchFirst: true), head = Linear(8, 1)
        try load(rnn, fixture, prefix: "rnn.")
        try load(head, fixture, prefix: "head.")
        let (output, _) = rnn(fixture.tensors["x"]!)
        let loss = MSELoss()(head(output[TensorIndex.all, -1, TensorIndex.all]), fixture.tensors["target"]!)
        let params = rnn.namedParameters().map { ("rnn." + $0.name, $0.tensor) } + named(head, "head")
        expectSame("rnn_last_step_loss", makeDot(loss, params: params), fixture)

        let lstmFixture = try Fixture("lstm_last_step_loss")
        let lstm = LSTM(1, 4, batchFirst: true), lstmHead = Linear(4, 1)
        try load(lstm, lstmFixture, prefix: "rnn.")
        try load(lstmHead, lstmFixture, prefix: "head.")
        let (sequence, _) = lstm(lstmFixture.tensors["x"]!)
        let lstmLoss = MSELoss()(lstmHead(sequence[TensorIndex.all, -1, TensorIndex.all]), lstmFixture.tensors["target"]!)
        let lstmParams = lstm.namedParameters().map { ("rnn." + $0.name, $0.tensor) } + named(lstmHead, "head")
        expectSame("lstm_last_step_loss", makeDot(lstmLoss, params: lstmParams), lstmFixture)

        let unrolled = try Fixture("rnncell_unrolled3_loss")
        let cell = RNNCell(1, 4), readout = Linear(4, 1)
        try load(cell, unrolled, prefix: "cell.")
        try load(readout, unrolled, prefix: "head.")
        var h = Tensor.zeros([2, 4])
        for t in 0..<3 { h = cell(unrolled.tensors["xs"]![t], h) }
        let cellLoss = MSELoss()(readout(h), unrolled.tensors["target"]!)
        let cellParams = cell.namedParameters().map { ("cell." + $0.name, $0.tensor) } + named(readout, "head")
        expectSame("rnncell_unrolled3_loss", makeDot(cellLoss, params: cellParams), unrolled)
    }

    /// `nnviz graph` for every samples/*.yaml against torchviz on PyTorch's run of the same file
    /// (Tests/NNVizCLITests/Fixtures/NAME.graph.json, made by Tests/tools/make_cli_fixtures.py).
    @Test(arguments: ["seed1_mlp", "tanh_neuron", "sine_rnn", "mlp_100_1000_10", "small_cnn", "lstm_tagger", "gru_sequence"])
    func sampleModelGraphsEqualTorchviz(_ name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("Tests/NNVizCLITests/Fixtures/\(name).graph.json"))) as! [String: Any]
        var nodes: [String: String] = [:]
        for (id, value) in json["nodes"] as! [String: [String]] { nodes[id] = Canonical.label(value[0]) + " " + Canonical.colour(value[1]) }
        let edges = (json["edges"] as! [[String]]).map { ($0[0], $0[1], $0[2]) }
        let expected = Canonical(nodes: nodes, edges: edges)
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: root.appendingPathComponent("samples/\(name).yaml").path))
        let actual = Canonical(makeDot(run.loss ?? run.output, params: run.model.namedParameters()))
        #expect(actual.nodes == expected.nodes, "\(name): nodes")
        #expect(actual.edges == expected.edges, "\(name): edges")
        #expect(actual.wiring == expected.wiring, "\(name): wiring")
    }

    /// Graph-shaped model files (blocks, from:, add/mul/cat) against torchviz on their PyTorch twins
    /// (Tests/NNVizCLITests/Fixtures/NAME.graph.json, made by Tests/tools/fixtures_graphfiles.py).
    @Test(arguments: ["samples/resnet_block", "Tests/NNVizCLITests/Fixtures/graphfiles/unet_cat",
                      "Tests/NNVizCLITests/Fixtures/graphfiles/gated_mul", "Tests/NNVizCLITests/Fixtures/graphfiles/dropout_bce",
                      "Tests/NNVizCLITests/Fixtures/graphfiles/repeat_names"])
    func graphFileGraphsEqualTorchviz(_ file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let name = URL(fileURLWithPath: file).lastPathComponent
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("Tests/NNVizCLITests/Fixtures/\(name).graph.json"))) as! [String: Any]
        var nodes: [String: String] = [:]
        for (id, value) in json["nodes"] as! [String: [String]] { nodes[id] = Canonical.label(value[0]) + " " + Canonical.colour(value[1]) }
        let expected = Canonical(nodes: nodes, edges: (json["edges"] as! [[String]]).map { ($0[0], $0[1], $0[2]) })
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: root.appendingPathComponent(file + ".yaml").path))
        let actual = Canonical(makeDot(run.loss!, params: run.model.namedParameters()))
        #expect(actual.nodes == expected.nodes, "\(name): nodes")
        #expect(actual.edges == expected.edges, "\(name): edges")
        #expect(actual.wiring == expected.wiring, "\(name): wiring")
    }

    @Test func sameModelGivesByteIdenticalDOT() {
        func source() -> String {
            let (layer, _, loss) = tanhNeuron()
            return makeDot(loss, params: named(layer, "layer1"), showAttrs: true, showSaved: true).dotSource
        }
        #expect(source() == source())
        #expect(source().contains("t0 [label="))
    }

    @Test func longChainsWalkWithoutRecursion() {
        let x = Tensor([1.0], requiresGrad: true)
        var y = x
        for _ in 0..<100_000 { y = y * 1.0 }
        let graph = makeDot(y, params: [("x", x)])
        #expect(graph.nodes.count == 100_003)
    }

    @Test func anomalyModeMarksTheFirstNonFiniteNode() throws {
        let x = Tensor([1.0, -1.0], requiresGrad: true)
        let loss = AnomalyMode.enabled { (x.log() * 2).sum() }
        let graph = makeDot(loss, params: [("x", x)])
        let bad = graph.nodes.filter(\.isAnomaly)
        #expect(bad.count == 1)
        #expect(bad.first?.label.lines.first == "LogBackward0")
        let png = try graph.render(format: .png)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}

/// Graph statistics of the seed tutorial network.
struct GraphStatisticsTests {
    @Test func countsNodesParametersAndSavedBytes() {
        let (fc1, fc2) = withManualSeed(1) { (Linear(3, 2), Linear(2, 1)) }
        let loss = MSELoss()(fc2(fc1(Tensor([[1.0, 2.0, 3.0]])).relu()), Tensor([[1.0]]))
        let stats = GraphStatistics(loss)
        #expect(stats.nodeCount == 10)
        #expect(stats.nodeCounts.first == GraphStatistics.Count(name: "AccumulateGrad", count: 4))
        #expect(stats.nodeCounts.contains(GraphStatistics.Count(name: "AddmmBackward0", count: 2)))
        #expect(stats.parameterCount == 11 && stats.parameterTensors == 4)
        // Saved elements: MseLoss self and target (1 + 1), fc2's addmm mat1 (1×2) and mat2 (2×1), Relu's
        // result (2), fc1's addmm mat1 (the 1×3 input; no mat2, as the input needs no gradient): 11 × 4 bytes.
        #expect(stats.savedTensorBytes == 44)
        #expect(stats.description.hasPrefix("10 backward nodes: AccumulateGrad 4, AddmmBackward0 2, TBackward0 2"))
    }
}

/// Shapes on edges, as torchview draws them.
struct EdgeShapeTests {
    @Test func everyEdgeCarriesTheShapeFlowingAlongIt() {
        let (fc1, fc2) = withManualSeed(1) { (Linear(3, 2), Linear(2, 1)) }
        let loss = MSELoss()(fc2(fc1(Tensor([[1.0, 2.0, 3.0]])).relu()), Tensor([[1.0]]))
        let graph = makeDot(loss, params: fc1.namedParameters(), showShapes: true)
        var labels: [String: Set<String>] = [:]
        for edge in graph.edges {
            labels["\(graph.node(edge.from)!.label.lines[0]) -> \(graph.node(edge.to)!.label.lines[0])", default: []].insert(edge.label ?? "")
        }
        #expect(labels["ReluBackward0 -> AddmmBackward0"] == ["(1, 2)"])
        #expect(labels["MseLossBackward0 -> "] == ["()"])
        #expect(labels["TBackward0 -> AddmmBackward0"] == ["(3, 2)", "(2, 1)"])
        #expect(labels["weight -> AccumulateGrad"] == [""])
        #expect(makeDot(loss).edges.allSatisfy { $0.label == nil })
    }
}

/// Golden DOT text for the tutorial networks: the exact bytes makeDot writes must not drift (regenerate
/// with NNVIZ_UPDATE_GOLDEN=1 after a deliberate change, and look at the diff).
struct GoldenDOTTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    func expectGolden(_ name: String, _ text: String) throws {
        let url = Self.directory.appendingPathComponent("\(name).dot")
        if ProcessInfo.processInfo.environment["NNVIZ_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == text, "\(name).dot differs from makeDot's output")
    }

    @Test func tutorialNetworks() throws {
        let (fc1, fc2) = withManualSeed(1) { (Linear(3, 2), Linear(2, 1)) }
        let loss = MSELoss()(fc2(fc1(Tensor([[1.0, 2.0, 3.0]])).relu()), Tensor([[1.0]]))
        let params = fc1.namedParameters().map { ("fc1." + $0.name, $0.tensor) } + fc2.namedParameters().map { ("fc2." + $0.name, $0.tensor) }
        try expectGolden("seed1_mlp_loss", makeDot(loss, params: params).dotSource)

        let layer = Linear(2, 1)
        layer.weight = Parameter([[0.6, -0.2]])
        layer.bias = Parameter([0.8])
        let y = layer(Tensor([[1.0, 2.0]])).tanh()
        let neuronParams = layer.namedParameters().map { ("layer1." + $0.name, $0.tensor) }
        try expectGolden("tanh_neuron_output", makeDot(y, params: neuronParams).dotSource)
        let neuronLoss = MSELoss()(y, Tensor([[1.0]]))
        neuronLoss.backward()
        try expectGolden("tanh_neuron_loss_attrs_saved",
                         makeDot(neuronLoss, params: neuronParams, showAttrs: true, showSaved: true).dotSource)
    }
}
