import Foundation
import Testing
@testable import NNVizGraph

@Suite struct TransformTests {
    // MARK: - Shared leaves

    @Test func syntheticRNNHasTorchvizShape() {
        // Counted in torchviz's own output for RNNCell(1, 32) unrolled 3 and 100 steps.
        let small = SyntheticRNN.graph(steps: 3)
        #expect(small.nodes.count == 34)
        #expect(small.edges.count == 41)
        let big = SyntheticRNN.graph(steps: 100)
        #expect(big.nodes.count == 616)
        #expect(big.edges.count == 1011)
    }

    @Test func sharedLeavesGetOneCopyPerUse() throws {
        let split = SyntheticRNN.graph(steps: 100).splittingSharedLeaves()
        // Four shared (parameter, AccumulateGrad) pairs, 100 uses each: 616 − 8 + 4 × 100 × 2.
        #expect(split.nodes.count == 1408)
        // 1011 − 4 internal edges + 400 copied ones.
        #expect(split.edges.count == 1407)
        let copies = split.nodes.filter { $0.groupKey == "cell.weight_hh" }
        #expect(copies.count == 100)
        #expect(copies.allSatisfy { $0.kind == .parameter && $0.fillColor == .lightblue })
        #expect(copies.allSatisfy { $0.style == [.filled, .dashed] })
        #expect(copies[0].label == .text("cell.weight_hh\n (32, 32)\nshared ×100"))
        #expect(Set(copies.map(\.id)).count == 100)
        // Each copy feeds exactly one AccumulateGrad copy, which feeds one TBackward0.
        let topology = GraphTopology(split)
        var accumulateKeys = Set<String?>()
        for copy in copies {
            let accumulate = topology.successors(of: split.index(of: copy.id)!)
            #expect(accumulate.count == 1)
            #expect(split.nodes[accumulate[0]].label == "AccumulateGrad")
            accumulateKeys.insert(split.nodes[accumulate[0]].groupKey)
            #expect(topology.successors(of: accumulate[0]).map { split.nodes[$0].label } == ["TBackward0"])
        }
        // All AccumulateGrad copies share the original's id as their key.
        #expect(accumulateKeys.count == 1)
        #expect(accumulateKeys.first! != nil)
        // Unshared leaves stay as they were.
        #expect(split.node("p_head.weight")?.style == nil)
        #expect(split.node("p_head.weight")?.label == .text("head.weight\n (1, 32)"))
    }

    @Test func splittingTwiceChangesNothing() {
        let once = SyntheticRNN.graph(steps: 5).splittingSharedLeaves()
        #expect(once.splittingSharedLeaves() == once)
        let plain = TorchvizReference.seed000Loss()
        #expect(plain.splittingSharedLeaves() == plain)
    }

    // MARK: - Collapse

    @Test func collapseFoldsTheMiddleSteps() throws {
        let collapsed = SyntheticRNN.graph(steps: 100).collapsingRepeats()
        // Step 1 (no previous state) differs; steps 2…100 are identical: 2 and 100 stay, 3…99 fold.
        // 3 steps × 6 functions + fold + 4 shared pairs + head (6) + loss + output.
        #expect(collapsed.nodes.count == 35)
        #expect(collapsed.edges.count == 46)
        let fold = try #require(collapsed.nodes.first { $0.kind == .folded })
        #expect(fold.label.lines == ["×97 steps, each:", "AddmmBackward0 → AddBackward0 → TanhBackward0",
                                     "+ TBackward0 ×2, AddmmBackward0"])
        let into = collapsed.edges.filter { $0.to == fold.id }
        #expect(into.map(\.count).sorted() == [1, 97, 97, 97, 97])
        #expect(collapsed.edges.filter { $0.from == fold.id }.map(\.count) == [1])
        #expect(collapsed.nodes.filter { $0.label == "TanhBackward0" }.count == 3)
    }

    @Test func collapseScalesToAThousandSteps() throws {
        let collapsed = SyntheticRNN.graph(steps: 1000).collapsingRepeats()
        #expect(collapsed.nodes.count == 35)
        let fold = try #require(collapsed.nodes.first { $0.kind == .folded })
        #expect(fold.label.lines.first == "×997 steps, each:")
        let prepared = SyntheticRNN.graph(steps: 1000).prepared(for: RenderOptions())
        // After collapsing, each shared pair has 4 consumers (steps 1, 2, the fold, step 1000).
        #expect(prepared.nodes.count == 35 - 8 + 4 * 4 * 2)
        #expect(prepared.nodes.filter { $0.groupKey == "cell.bias_hh" }.allSatisfy {
            $0.label == .text("cell.bias_hh\n (32)\nshared ×1000") })
    }

    @Test func collapseLeavesShortOrIrregularGraphsAlone() {
        let short = SyntheticRNN.graph(steps: 3)
        #expect(short.collapsingRepeats() == short)
        let mlp = TorchvizReference.seed000Loss()
        #expect(mlp.collapsingRepeats() == mlp)
    }

    @Test func anomalousStepStaysExpanded() throws {
        var graph = SyntheticRNN.graph(steps: 12)
        let tanh = graph.nodes.filter { $0.label == "TanhBackward0" }
        graph.update(tanh[6].id) { $0.isAnomaly = true }
        let collapsed = graph.collapsingRepeats()
        #expect(collapsed.node(tanh[6].id)?.isAnomaly == true)
        let folds = collapsed.nodes.filter { $0.kind == .folded }
        // The anomaly splits the identical steps into two runs, each folded on its own.
        #expect(folds.count == 2)
    }

    @Test func autoCollapseDependsOnNodeCount() {
        let graph = SyntheticRNN.graph(steps: 30)
        #expect(graph.nodes.count == 196)
        let auto = graph.prepared(for: RenderOptions(collapse: .auto))
        #expect(auto.nodes.contains { $0.kind == .folded })
        let raised = graph.prepared(for: RenderOptions(collapse: .auto, autoCollapseNodeCount: 500))
        #expect(!raised.nodes.contains { $0.kind == .folded })
        let none = graph.prepared(for: RenderOptions(collapse: .none))
        #expect(none.nodes.count == 196 - 8 + 4 * 30 * 2)
        let always = SyntheticRNN.graph(steps: 10).prepared(for: RenderOptions(collapse: .always))
        #expect(always.nodes.contains { $0.kind == .folded })
    }

    // MARK: - Clusters, marks, legend

    @Test func modulesBecomeNestedClusters() {
        var graph = TorchvizReference.seed000Loss(modules: true)
        graph.update("140515202352992") { $0.modulePath = "body.act" }
        let clustered = graph.clusteredByModule()
        #expect(clustered.clusters.map(\.id) == ["fc2", "body", "body.act", "fc1"])
        #expect(clustered.cluster("body.act")?.parent == "body")
        #expect(clustered.node("140515202353040")?.cluster == "fc2")
        #expect(clustered.node("140515202352896")?.cluster == nil)
        #expect(clustered.dotSource.contains("\tsubgraph cluster_fc1 {\n\t\tgraph [label=fc1 "))
    }

    @Test func anomaliesAndGradientsAreMarked() throws {
        var graph = TorchvizReference.seed000Loss()
        graph.update("140515202352992") { $0.isAnomaly = true }
        graph.update("140515207732176") { $0.gradientNorm = 1e-6 }
        graph.update("140515207810496") { $0.gradientNorm = 1e2 }
        graph.update("140515207544688") { $0.gradientNorm = .nan }
        let marked = graph.highlightingAnomalies().tintingByGradient()
        let relu = try #require(marked.node("140515202352992"))
        #expect(relu.fillColor == .anomaly && relu.borderColor == .anomalyBorder && relu.penWidth == 2)
        #expect(marked.node("140515207544688")?.fillColor == .anomaly)
        let small = try #require(marked.node("140515207732176")?.fillColor?.rgb)
        let large = try #require(marked.node("140515207810496")?.fillColor?.rgb)
        #expect(small.red + small.green + small.blue > 0xad + 0xd8 + 0xe6)  // paler than lightblue
        #expect(large.red + large.green + large.blue < 0xad + 0xd8 + 0xe6)  // deeper
        #expect(marked.node("140515207810496")?.tooltip == "gradient norm 100")
    }

    @Test func legendListsWhatTheGraphShows() throws {
        let legend = SyntheticRNN.graph(steps: 200).prepared(for: RenderOptions(legend: true))
        let node = try #require(legend.node(DotGraph.legendID))
        let text = node.label.lines.joined(separator: "\n")
        #expect(text.contains("parameter"))
        #expect(text.contains("dashed: one copy per use of a shared leaf"))
        #expect(text.contains("×N: identical steps folded"))
        #expect(!text.contains("saved tensor"))
        #expect(!text.contains("anomaly"))
        #expect(node.cluster == DotGraph.legendID)
        let png = try legend.render(format: .png)
        #expect(pngSize(png) != nil)
    }

    @Test func mainChainIsStraightened() {
        let graph = SyntheticRNN.graph(steps: 3)
        let chain = graph.mainChain().map { graph.nodes[$0].label.lines[0] }
        // TBackward0(w_hh), then Addmm → Add → Tanh three times, then the head, the loss and the output.
        #expect(chain == ["TBackward0"] + Array(repeating: ["AddmmBackward0", "AddBackward0", "TanhBackward0"], count: 3).flatMap { $0 }
            + ["AddmmBackward0", "MseLossBackward0", ""])
        let straight = graph.straighteningMainChain()
        #expect(straight.nodes.indices.filter { straight.nodes[$0].attributes["group"] == "main" } == graph.mainChain().sorted())
    }

    @Test func bigGraphsGetGraphvizWorkLimits() {
        let big = SyntheticRNN.graph(steps: 100).prepared(for: RenderOptions(collapse: .none))
        #expect(big.nodes.count == 1408)
        #expect(big.graphAttributes["newrank"] == "true")
        #expect(big.graphAttributes["nslimit"] == "1")
        #expect(big.dotSource.contains("\tgraph [size=\"422.25,422.25\" newrank=true nslimit=1 nslimit1=1]\n"))
        let small = SyntheticRNN.graph(steps: 100).prepared(for: RenderOptions())
        #expect(small.graphAttributes["newrank"] == nil)
    }

    // MARK: - Size bounds

    @Test func pixelBudgetHolds() throws {
        let graph = SyntheticRNN.graph(steps: 60)
        let options = RenderOptions(pixelBudget: 2_000_000, collapse: .none)
        let size = try #require(pngSize(try graph.render(format: .png, options: options)))
        #expect(size.width * size.height <= 2_000_000)
        #expect(size.width * size.height > 1_800_000)
        let unbounded = try #require(pngSize(try graph.render(format: .png, options: RenderOptions(collapse: .none))))
        #expect(unbounded.width * unbounded.height > 2_000_000)
        #expect(abs(Double(unbounded.width) / Double(unbounded.height) - Double(size.width) / Double(size.height)) < 0.02)
    }

    @Test func drawingScaleKeepsBudgetAndSide() {
        let scale = DrawingScale(width: 10_000, height: 5_000, unitsPerPoint: 96.0 / 72, preferredZoom: 1,
                                 budget: 40_000_000, maximumSide: 32_000)
        #expect(scale.width * scale.height <= 40_000_000)
        #expect(scale.width * scale.height > 39_900_000)
        let tall = DrawingScale(width: 100, height: 100_000, unitsPerPoint: 96.0 / 72, preferredZoom: 1,
                                budget: 40_000_000, maximumSide: 32_000)
        #expect(tall.height == 32_000)
        let small = DrawingScale(width: 300, height: 200, unitsPerPoint: 1, preferredZoom: 1, budget: 40_000_000,
                                 maximumSide: 32_000)
        #expect(small.zoom == 1 && small.width == 300 && small.height == 200)
    }

    @Test func sizeAttributeZoomMatchesGraphviz() {
        #expect(DrawingScale.sizeZoom(size: "12,12", width: 500, height: 400) == 1)
        #expect(DrawingScale.sizeZoom(size: "1,1", width: 144, height: 72) == 0.5)
        #expect(DrawingScale.sizeZoom(size: "4,4!", width: 144, height: 72) == 2)
        #expect(DrawingScale.sizeZoom(size: nil, width: 144, height: 72) == 1)
        #expect(DrawingScale.sizeZoom(size: "junk", width: 144, height: 72) == 1)
    }
}
