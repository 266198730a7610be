import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// `nnviz summary` against torchinfo 1.8 on PyTorch twins of the sample model files
/// (Tests/NNVizCLITests/Fixtures/summary, made by Tests/tools/fixtures_summary.py), and the counting rules
/// torchinfo gets wrong: tied weights, attention products, products over more than one leading dimension.
@Suite(.serialized)
struct SummaryTests {
    static let samples = ["seed1_mlp", "tanh_neuron", "exploding", "sine_rnn", "sine_rnn_wide", "mlp_100_1000_10", "small_cnn", "lstm_tagger", "resnet_block", "gru_sequence", "transformer_classifier", "unet_small"]

    func summarise(_ name: String) throws -> ModelSummary {
        let spec = try ModelSpec.read(contentsOf: repositoryRoot.appendingPathComponent("samples/\(name).yaml").path)
        let recorder = ModuleCallRecorder()
        let run = try recorder.record { try ModelRun(spec: spec) }
        return ModelSummary(model: run.model, input: run.input, output: run.output, root: run.loss ?? run.output,
                            calls: recorder.calls)
    }

    /// Layers whose multiply-adds torchinfo counts as nnviz does: a product over one leading dimension
    /// (`output[0] × (weights + bias)`), a convolution, a recurrent layer returning every step.
    func torchinfoCountsRight(_ layer: [String: Any]) -> Bool {
        let type = layer["type"] as! String, shape = layer["output_shape"] as! [Int]
        switch type {
        case "Linear": return shape.count == 2
        case "Conv2d": return true
        case "RNN", "LSTM", "GRU": return shape.count == 3
        default: return (layer["params"] as! Int) == 0
        }
    }

    @Test(arguments: samples)
    func matchesTorchinfo(_ name: String) throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/summary/\(name).json")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let summary = try summarise(name)
        #expect(summary.totalParameters == expected["total_params"] as! Int)
        #expect(summary.trainableParameters == expected["trainable_params"] as! Int)
        let layers = expected["layers"] as! [[String: Any]]
        // The rows that ran, in torchinfo's order; a module that never ran (an attention's out_proj, used by
        // weight) is listed after its siblings with no shape, where torchinfo leaves it out.
        #expect(summary.layers.filter { $0.calls > 0 }.map(\.name) == layers.map { $0["name"] as! String })
        #expect(summary.layers.filter { $0.calls == 0 }.allSatisfy { $0.outputShape == nil && $0.multiplyAdds == 0 })
        var allCounted = true
        for layer in layers {
            let name = layer["name"] as! String
            let mine = try #require(summary.layers.first { $0.name == name })
            #expect(mine.type == layer["type"] as! String, "\(name) type")
            #expect(mine.outputShape == layer["output_shape"] as? [Int], "\(name) output shape")
            #expect(mine.totalParameters == layer["params"] as! Int, "\(name) parameters")
            #expect(mine.totalTrainableParameters == layer["trainable_params"] as! Int, "\(name) trainable")
            #expect(mine.depth == layer["depth"] as! Int, "\(name) depth")
            guard mine.depth > 0 else { continue }
            if torchinfoCountsRight(layer) {
                #expect(mine.totalMultiplyAdds == layer["macs"] as! Int, "\(name) mult-adds")
            } else {
                allCounted = false
            }
        }
        if allCounted { #expect(summary.multiplyAdds == expected["total_mult_adds"] as! Int) }
    }

    /// Where nnviz counts differently from torchinfo, the numbers worked out by hand.
    @Test func countsTorchinfoGetsWrong() throws {
        // The sine RNN keeps the last of 25 steps: torchinfo multiplies the weights by batch × hidden
        // (4 × 32) of that output; every step runs, 4 × 25 × 1,120.
        let sine = try summarise("sine_rnn")
        #expect(sine.layers.first { $0.name == "rnn" }?.totalMultiplyAdds == 4 * 25 * 1120)
        // A Linear on (2, 5, 6): torchinfo counts batch 2 only; 10 rows × (6 × 2 + 2).
        let tagger = try summarise("lstm_tagger")
        #expect(tagger.layers.first { $0.name == "head" }?.totalMultiplyAdds == 10 * (6 * 2 + 2))
        // BatchNorm scales and shifts (torchinfo: batch × its 8 parameters); nnviz counts products only.
        let cnn = try summarise("small_cnn")
        #expect(cnn.layers.first { $0.name == "bn" }?.totalMultiplyAdds == 0)
        #expect(cnn.multiplyAdds == 2 * 4 * 64 * (9 + 1) + 2 * 3 * (64 + 1))
    }

    final class Twice: Module {
        let fc = Linear(4, 4)
        override func forward(_ x: Tensor) -> Tensor { fc(fc(x).relu()) }
    }

    @Test func reusedModuleCountsParametersOnceAndProductsTwice() {
        let model = withManualSeed(0) { Twice() }
        let s = summary(model, input: Tensor.randn([2, 4]))
        #expect(s.totalParameters == 20)
        let fc = s.layers.first { $0.name == "fc" }!
        #expect(fc.calls == 2)
        #expect(fc.outputShape == [2, 4])
        #expect(fc.multiplyAdds == 2 * (2 * 4 * 4 + 2 * 4))
        #expect(s.multiplyAdds == fc.multiplyAdds)
        #expect(s.parameterBytes == 80 && s.gradientBytes == 80)
    }

    @Test func tiedWeightsCountOnce() {
        final class Shared: Module {
            let first = Linear(5, 5)
            let second = Linear(5, 5)
            override init() {
                super.init()
                second.weight = first.weight
            }
            override func forward(_ x: Tensor) -> Tensor { second(first(x)) }
        }
        let s = summary(withManualSeed(0) { Shared() }, input: Tensor.randn([3, 5]))
        #expect(s.totalParameters == 25 + 5 + 5)
        let second = s.layers.first { $0.name == "second" }!
        #expect(second.parameters == 5 && second.tiedParameters == 25)
        #expect(s.multiplyAdds == 2 * (3 * 5 * 5 + 3 * 5))
        #expect(s.table().contains("Total params: 35"))
    }

    final class Attention: Module {
        let query = Linear(8, 8, bias: false)
        let key = Linear(8, 8, bias: false)
        let value = Linear(8, 8, bias: false)
        override func forward(_ x: Tensor) -> Tensor {
            let scores = query(x).matmul(key(x).transpose(1, 2)).softmax(dim: -1)
            return scores.matmul(value(x))
        }
    }

    /// QKᵀ and A·V hold no weights, so torchinfo leaves them out; nnviz counts their products.
    @Test func attentionProductsCount() {
        let s = summary(withManualSeed(0) { Attention() }, input: Tensor.randn([2, 5, 8]))
        let projections = 3 * (2 * 5 * 8 * 8)
        let products = 2 * 5 * 8 * 5 + 2 * 5 * 5 * 8
        #expect(s.layers[0].multiplyAdds == products)
        #expect(s.multiplyAdds == projections + products)
    }

    @Test func savedBytesUseEachTensorsElementSize() {
        let x = Tensor.randn([3, 4], dtype: .float64).requiresGrad_()
        let y = (x * x).sum()
        // MulBackward0 saves both operands: 2 × 12 doubles.
        #expect(GraphStatistics(y).savedTensorBytes == 2 * 12 * 8)
        let table = Embedding(10, 3)
        let looked = table(Tensor(shape: [2, 4], values: [1, 2, 3, 4, 5, 6, 7, 8], dtype: .int64)).sum()
        // EmbeddingBackward0 saves the int64 indices.
        #expect(GraphStatistics(looked).savedTensorBytes == 8 * 8)
    }

    @Test func tableFoldsDeeperModulesIntoTheirAncestor() throws {
        let block = Sequential(named: [("fc", Linear(3, 4)), ("act", ReLU())])
        let model = Sequential(named: [("block", block), ("head", Linear(4, 1))])
        let s = summary(model, input: Tensor.randn([2, 3]))
        let full = s.table()
        #expect(full.contains("├─block (Sequential): 1-1"))
        #expect(full.contains("│    └─act (ReLU): 2-2"))
        #expect(full.contains("└─head (Linear): 1-2"))
        let folded = s.table(depth: 1)
        #expect(!folded.contains("fc (Linear)"))
        let blockLine = try #require(folded.split(separator: "\n").first { $0.contains("block (Sequential)") })
        #expect(blockLine.contains("16") && blockLine.contains("32"))   // 16 parameters, 2·3·4 + 2·4 mult-adds
        #expect(s.layers.map(\.depth) == [0, 1, 2, 2, 1])
    }

    @Test func jsonHasTheTotals() throws {
        let s = try summarise("seed1_mlp")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try JSONSerialization.jsonObject(with: encoder.encode(s)) as! [String: Any]
        #expect(object["totalParameters"] as? Int == 11)
        #expect(object["multiplyAdds"] as? Int == 11)
        #expect(object["nonTrainableParameters"] as? Int == 0)
        // Saved: MSE's self and target (1 + 1), fc2's mat1 (2), ReLU's result (2), fc1's mat1 (the input, 3);
        // fc2's mat2 is its weight, held anyway: 9 floats, where GraphStatistics counts 11.
        #expect(s.savedActivationBytes == 36)
        #expect(object["totalBytes"] as? Int == 12 + 44 + 44 + 36)
        #expect((object["layers"] as? [[String: Any]])?.count == 4)
    }
}
