import Foundation
import Testing
import NNVizCore
import NNVizNN
@testable import NNVizGraph

/// makeDiff and GraphDiff on small models whose differences are known: an extra layer, a wider hidden
/// layer, another activation, and gradients that fell 100×.
struct DiffTests {
    static let input = Tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    static let target = Tensor([[1.0, 0.0], [0.0, 1.0]])

    /// fc1 (3→hidden), an activation, optionally a further hidden layer, fc2 (hidden→2), MSE.
    static func model(hidden: Int = 4, tanh: Bool = false, extra: Bool = false, seed: UInt64 = 0) -> Sequential {
        withManualSeed(seed) {
            var layers: [(String, Module)] = [("fc1", Linear(3, hidden)), ("act", tanh ? Tanh() as Module : ReLU())]
            if extra { layers += [("extra", Linear(hidden, hidden)), ("act2", ReLU())] }
            layers.append(("fc2", Linear(hidden, 2)))
            return Sequential(named: layers)
        }
    }

    static func loss(_ model: Sequential) -> Tensor { MSELoss()(model(input), target) }

    func diff(_ a: Sequential, _ b: Sequential) -> GraphDiff {
        GraphDiff(Self.loss(a), Self.loss(b), paramsA: a.namedParameters(), paramsB: b.namedParameters())
    }

    func names(_ diff: GraphDiff, _ status: GraphDiff.Status) -> [String] {
        diff.entries.filter { $0.status == status }.map { $0.parameterName ?? ($0.b ?? $0.a)!.name }.sorted()
    }

    @Test func sameModelIsUnchanged() {
        let d = diff(Self.model(), Self.model(seed: 5))
        #expect(d.counts == [.unchanged: d.entries.count])
        #expect(d.edges.allSatisfy { $0.inA && $0.inB })
    }

    @Test func extraLayerIsAdded() {
        let d = diff(Self.model(), Self.model(extra: true))
        #expect(names(d, .added) == ["AddmmBackward0", "ReluBackward0", "TBackward0", "extra.bias", "extra.weight"])
        #expect(names(d, .removed).isEmpty && names(d, .changed).isEmpty)
        // fc2's product stays matched through its weight and bias; its input edge moved.
        #expect(d.edges.filter { $0.inA && !$0.inB }.count == 1)
        #expect(d.edges.filter { !$0.inA && $0.inB }.count == 6)
        // And the other way round, the layer is removed.
        let back = diff(Self.model(extra: true), Self.model())
        #expect(names(back, .removed) == ["AddmmBackward0", "ReluBackward0", "TBackward0", "extra.bias", "extra.weight"])
    }

    /// A layer inserted before a parameter-free one (a pooling, a flatten, here a sigmoid): the sigmoid is not
    /// taken for the new layer's product, though both read the same ReLU.
    @Test func layerInsertedBeforeAParameterFreeOne() {
        func model(_ extra: Bool) -> Sequential {
            withManualSeed(0) {
                var layers: [(String, Module)] = [("fc1", Linear(3, 2)), ("act", ReLU())]
                if extra { layers.append(("extra", Linear(2, 2))) }
                layers.append(("out", Sigmoid()))
                return Sequential(named: layers)
            }
        }
        let d = diff(model(false), model(true))
        #expect(names(d, .added) == ["AddmmBackward0", "TBackward0", "extra.bias", "extra.weight"])
        #expect(names(d, .changed).isEmpty && names(d, .removed).isEmpty)
    }

    @Test func widerHiddenLayerChangesShapes() {
        let d = diff(Self.model(hidden: 4), Self.model(hidden: 8))
        #expect(names(d, .changed) == ["AddmmBackward0", "ReluBackward0", "TBackward0", "TBackward0", "fc1.bias", "fc1.weight", "fc2.weight"])
        #expect(names(d, .added).isEmpty && names(d, .removed).isEmpty)
        let weight = d.entries.first { $0.parameterName == "fc1.weight" }!
        #expect(weight.changes == ["shape (4, 3) → (8, 3)"])
    }

    @Test func otherActivationIsChanged() {
        let d = diff(Self.model(), Self.model(tanh: true))
        let changed = d.entries.filter { $0.status == .changed }
        #expect(changed.count == 1)
        #expect(changed.first?.changes == ["ReluBackward0 → TanhBackward0"])
        #expect(names(d, .added).isEmpty && names(d, .removed).isEmpty)
    }

    @Test func attributeChangesAreNamed() {
        let x = Tensor.randn([2, 3]).requiresGrad_()
        let a = x.logSoftmax(dim: 1).sum(), b = x.logSoftmax(dim: 0).sum()
        let d = GraphDiff(a, b, paramsA: [("x", x)], paramsB: [("x", x)])
        #expect(d.entries.first { $0.status == .changed }?.changes == ["dim: 1 → 0"])
    }

    func node(_ graph: DotGraph, labelled text: String) -> DotNode? {
        graph.nodes.first { node in
            if case .text(let label) = node.label { return label.hasPrefix(text) }
            return false
        }
    }

    @Test func dotColoursStatuses() throws {
        let a = Self.model(), b = Self.model(tanh: true, extra: true)
        let graph = makeDiff(Self.loss(a), Self.loss(b), paramsA: a.namedParameters(), paramsB: b.namedParameters())
        #expect(node(graph, labelled: "TanhBackward0\nReluBackward0 → TanhBackward0")?.fillColor == DiffStyle.changed)
        #expect(node(graph, labelled: "extra.weight")?.fillColor == DiffStyle.added)
        #expect(node(graph, labelled: "fc1.weight")?.fillColor == .lightblue)
        let source = graph.dotSource
        #expect(source.contains("fillcolor=\"#a8e6a1\""))
        #expect(source.contains("fillcolor=\"#ffcc66\""))
        #expect(source.contains("color=\"#c03030\""))   // fc2's old input edge
        let removed = makeDiff(Self.loss(b), Self.loss(a), paramsA: b.namedParameters(), paramsB: a.namedParameters())
        #expect(node(removed, labelled: "extra.weight")?.fillColor == DiffStyle.removed)
        #expect(node(removed, labelled: "extra.weight")?.style == [.filled, .dashed])
    }

    @Test func gradientRatiosColourParameters() throws {
        let a = Self.model(), b = Self.model()
        // fc1's gradient flows through fc2's weight: scaling that weight by 0.01 scales fc1's gradient by 0.01.
        noGrad { b[2].parameters()[0].copy_(b[2].parameters()[0] * 0.01) }
        // A sum, so the gradient reaching the output is 1 in both and fc1's ratio is exactly fc2's scale.
        let lossA = a(Self.input).sum(), lossB = b(Self.input).sum()
        lossA.backward()
        lossB.backward()
        let graph = makeDiff(lossA, lossB, paramsA: a.namedParameters(), paramsB: b.namedParameters(), gradientRatios: true)
        let fc1 = try #require(node(graph, labelled: "fc1.weight"))
        #expect(fc1.fillColor == DiffStyle.fell)
        guard case .text(let label) = fc1.label else { Issue.record("fc1.weight has no text label"); return }
        #expect(label.hasSuffix("×0.01"))
        let fc2Bias = try #require(node(graph, labelled: "fc2.bias"))
        #expect(fc2Bias.fillColor != DiffStyle.fell && fc2Bias.fillColor != DiffStyle.rose)
        #expect(DiffStyle.ratioColor(1) == DiffStyle.equal)
        #expect(DiffStyle.ratioColor(1000) == DiffStyle.rose)
        #expect(graph.dotSource.contains("gradient ×0.01 (or less)"))
    }
}
