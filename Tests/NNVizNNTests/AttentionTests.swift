import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// LayerNorm, MultiheadAttention and TransformerEncoderLayer against attention.json
/// (Tests/tools/fixtures_attention.py): initial parameters bit for bit after the same seed, dropout masks
/// drawn in PyTorch's order, outputs and every gradient, grad_fn chains with their saved attributes.
struct AttentionTests {
    struct Node {
        let name: String
        let saved: [(name: String, value: String, shape: [Int]?)]
    }

    struct Case {
        let name: String
        let seed: UInt64
        let mode: String
        let parameters: [(name: String, value: Tensor)]
        let input: Tensor
        let output: Tensor
        let attentionWeights: Tensor?
        let lossWeight: Tensor
        let loss: Double
        let inputGrad: Tensor
        let parameterGrads: [(name: String, grad: Tensor)]
        let gradFns: [String]
        let nodes: [Node]
    }

    static let cases: [Case] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/attention.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func named(_ object: Any?, _ key: String) -> [(name: String, value: Tensor)] {
            ((object as? [[String: Any]]) ?? []).map { ($0["name"] as! String, LayerTests.tensor($0[key]!)) }
        }
        return (root["cases"] as! [[String: Any]]).map { c in
            let nodes = (c["nodes"] as! [[String: Any]]).map { node in
                Node(name: node["name"] as! String, saved: (node["saved"] as! [[String: Any]]).map {
                    ($0["name"] as! String, $0["value"] as! String, $0["shape"] as? [Int])
                })
            }
            return Case(name: c["name"] as! String, seed: UInt64(c["seed"] as! Int), mode: c["mode"] as! String,
                        parameters: named(c["parameters"], "value"), input: LayerTests.tensor(c["input"]!),
                        output: LayerTests.tensor(c["output"]!), attentionWeights: c["attention_weights"].map(LayerTests.tensor),
                        lossWeight: LayerTests.tensor(c["loss_weight"]!), loss: c["loss"] as! Double,
                        inputGrad: LayerTests.tensor(c["input_grad"]!),
                        parameterGrads: named(c["parameter_grads"], "grad").map { ($0.name, $0.value) },
                        gradFns: c["grad_fns"] as! [String], nodes: nodes)
        }
    }()

    static func cases(_ name: String) -> [Case] {
        let found = cases.filter { $0.name == name }
        precondition(!found.isEmpty, "no fixture case \(name)")
        return found
    }

    /// Builds the module under the case's seed, runs it in the case's mode with the same generator (so
    /// dropout masks continue PyTorch's stream) and checks everything the fixture holds.
    static func verify(_ c: Case, loadParameters: Bool = false, tolerance: Double = 2e-4,
                       sourceLocation: SourceLocation = #_sourceLocation,
                       _ build: () -> Module, forward: (Module, Tensor) -> (output: Tensor, weights: Tensor?) = { ($0($1), nil) }) {
        let label = "\(c.name) seed \(c.seed)"
        let input = c.input.copy().requiresGrad_()
        let (module, output, weights): (Module, Tensor, Tensor?) = withManualSeed(c.seed) {
            let module = build()
            if loadParameters {
                noGrad { for ((_, mine), (_, theirs)) in zip(module.namedParameters(), c.parameters) { mine.copy_(theirs) } }
            }
            let parameters = module.namedParameters()
            #expect(parameters.map(\.name) == c.parameters.map(\.name), "\(label): parameter names", sourceLocation: sourceLocation)
            for (mine, theirs) in zip(parameters, c.parameters) {
                #expect(mine.tensor.floats == theirs.value.floats, "\(label): \(mine.name) initial values", sourceLocation: sourceLocation)
            }
            if c.mode == "eval" { module.eval() }
            let (output, weights) = forward(module, input)
            return (module, output, weights)
        }
        LayerTests.expectClose(output, c.output, rtol: 0, atol: tolerance, "\(label): output", sourceLocation: sourceLocation)
        if let expected = c.attentionWeights {
            LayerTests.expectClose(weights, expected, rtol: 0, atol: tolerance, "\(label): attention weights", sourceLocation: sourceLocation)
        }
        let nodes = GraphWalk.nodes(from: [output.gradFn!])
        #expect(nodes.map(\.name) == c.gradFns, "\(label): grad_fns", sourceLocation: sourceLocation)
        for (mine, theirs) in zip(nodes, c.nodes) where mine.name == theirs.name {
            let actual = mine.saved.map { saved -> String in
                switch saved.value {
                case .tensor(let shape): return "\(saved.name)=[saved tensor]\(shape)"
                case .tensors(let shapes): return "\(saved.name)=[saved tensors]\(shapes)"
                case .attribute(let text): return "\(saved.name)=\(text)"
                }
            }
            let expected = theirs.saved.map { "\($0.name)=\($0.value)\($0.shape.map { "\($0)" } ?? "")" }
            #expect(actual == expected, "\(label): saved attributes of \(mine.name)", sourceLocation: sourceLocation)
        }
        let loss = (output * c.lossWeight).sum()
        #expect(abs(loss.item() - c.loss) <= tolerance * max(1, abs(c.loss)), "\(label): loss \(loss.item()) vs \(c.loss)",
                sourceLocation: sourceLocation)
        loss.backward()
        LayerTests.expectClose(input.grad, c.inputGrad, rtol: 0, atol: tolerance, "\(label): input grad", sourceLocation: sourceLocation)
        for ((name, parameter), (_, expected)) in zip(module.namedParameters(), c.parameterGrads) {
            LayerTests.expectClose(parameter.grad, expected, rtol: 0, atol: tolerance, "\(label): \(name) grad", sourceLocation: sourceLocation)
        }
    }

    // MARK: - LayerNorm

    @Test func layerNormMatchesPyTorch() {
        for c in Self.cases("layer_norm") { Self.verify(c, loadParameters: true) { LayerNorm(8) } }
        for c in Self.cases("layer_norm_2d") { Self.verify(c, loadParameters: true) { LayerNorm([5, 8]) } }
        for c in Self.cases("layer_norm_plain") { Self.verify(c) { LayerNorm(6, eps: 1e-3, elementwiseAffine: false) } }
    }

    @Test func layerNormReprShapeRuleAndErrors() throws {
        #expect(LayerNorm(8).description == "LayerNorm((8,), eps=1e-05, elementwise_affine=True, bias=True)")
        #expect(LayerNorm([5, 8], eps: 1e-3, elementwiseAffine: false).description
                == "LayerNorm((5, 8), eps=0.001, elementwise_affine=False, bias=True)")
        #expect(LayerNorm(4).namedParameters().map(\.name) == ["weight", "bias"])
        #expect(LayerNorm(4, elementwiseAffine: false).namedParameters().isEmpty)
        #expect(try LayerNorm.outputShape(input: [2, 5, 8], normalizedShape: [5, 8]) == [2, 5, 8])
        #expect(throws: TensorError("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]")) {
            try LayerNorm(4).check(Tensor.zeros([2, 5]))
        }
        #expect(throws: TensorError("Given normalized_shape=[5, 4], expected input with shape [*, 5, 4], but got input of size[2, 5, 3]")) {
            try LayerNorm.outputShape(input: [2, 5, 3], normalizedShape: [5, 4])
        }
        #expect(throws: TensorError("Expected weight to be of same shape as normalized_shape, but got weight of shape [3] and normalized_shape = [4]")) {
            try checkLayerNorm(Tensor.zeros([2, 4]), normalizedShape: [4], weight: Tensor.ones([3]))
        }
    }

    @Test func layerNormFiniteDifferences() {
        let x = LayerTests.randomDouble([3, 2, 4], seed: 21)
        let w = LayerTests.randomDouble([2, 4], seed: 22, scale: 0.5) + 1, b = LayerTests.randomDouble([2, 4], seed: 23)
        LayerTests.expectFiniteDifferences([x, w, b]) { layerNorm($0[0], normalizedShape: [2, 4], weight: $0[1], bias: $0[2]) }
        LayerTests.expectFiniteDifferences([x]) { layerNorm($0[0], normalizedShape: [4], eps: 1e-3) }
    }

    // MARK: - MultiheadAttention

    @Test func multiheadAttentionMatchesPyTorch() {
        let withWeights: (Module, Tensor) -> (Tensor, Tensor?) = { module, x in
            let result = (module as! MultiheadAttention).attention(x)
            return (result.output, result.weights)
        }
        for c in Self.cases("mha") { Self.verify(c, { MultiheadAttention(8, 2, batchFirst: true) }, forward: withWeights) }
        for c in Self.cases("mha_seq_first") { Self.verify(c, { MultiheadAttention(8, 4) }, forward: withWeights) }
        for c in Self.cases("mha_nobias") {
            Self.verify(c, { MultiheadAttention(6, 3, bias: false, batchFirst: true) }, forward: withWeights)
        }
        for c in Self.cases("mha_unbatched") { Self.verify(c, { MultiheadAttention(8, 2, batchFirst: true) }, forward: withWeights) }
        // Calling the module gives the same output as attention(_:).
        let attn = MultiheadAttention(8, 2, batchFirst: true, generator: Generator(seed: 3))
        let x = Tensor.randn([2, 5, 8], generator: Generator(seed: 4))
        #expect(attn(x).floats == attn.attention(x).output.floats)
    }

    @Test func multiheadAttentionShapeRuleAndErrors() throws {
        #expect(try MultiheadAttention.outputShape(input: [16, 32, 64], embedDim: 64, numHeads: 4) == [16, 32, 64])
        #expect(throws: TensorError("embed_dim must be divisible by num_heads")) {
            try MultiheadAttention.outputShape(input: [2, 5, 10], embedDim: 10, numHeads: 3)
        }
        #expect(throws: TensorError("was expecting embedding dimension of 64, but got 32")) {
            try MultiheadAttention(64, 4, batchFirst: true).check(Tensor.zeros([2, 5, 32]))
        }
        #expect(throws: TensorError("query should be unbatched 2D or batched 3D tensor but received 4-D query tensor")) {
            try MultiheadAttention.outputShape(input: [2, 3, 5, 64], embedDim: 64, numHeads: 4)
        }
        #expect(throws: TensorError("was expecting embedding dimension of 8, but got 4")) {
            try TransformerEncoderLayer.outputShape(input: [2, 5, 4], dModel: 8, nhead: 2)
        }
        let attn = MultiheadAttention(8, 2)
        #expect(attn.namedParameters().map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        #expect(attn.namedParameters().map(\.tensor.shape) == [[24, 8], [24], [8, 8], [8]])
        #expect(attn.outProj.bias!.floats == [Float](repeating: 0, count: 8))
    }

    // MARK: - TransformerEncoderLayer

    @Test func transformerEncoderLayerMatchesPyTorch() {
        for c in Self.cases("encoder_relu") {
            Self.verify(c) { TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0) }
        }
        for c in Self.cases("encoder_dropout") {
            Self.verify(c) { TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.1) }
        }
        for c in Self.cases("encoder_gelu_norm_first") {
            Self.verify(c) { TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.25, activation: .gelu, normFirst: true) }
        }
        for c in Self.cases("encoder_gelu_norm_first_nodropout") {
            Self.verify(c) { TransformerEncoderLayer(8, 4, dimFeedforward: 12, dropout: 0, activation: .gelu, normFirst: true) }
        }
        for c in Self.cases("encoder_eval") {
            Self.verify(c) { TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.1) }
        }
        for c in Self.cases("encoder_seq_first") {
            Self.verify(c) { TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.1, batchFirst: false) }
        }
    }

    @Test func transformerEncoderLayerNamesAndRepr() {
        let layer = TransformerEncoderLayer(8, 2, dimFeedforward: 16)
        #expect(layer.namedParameters().map(\.name) == [
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias",
            "norm2.weight", "norm2.bias"])
        #expect(layer.children().count == 8)
        #expect(layer.description.contains("(dropout1): Dropout(p=0.1, inplace=False)"))
    }

    // MARK: - Finite differences of the attention kernels

    @Test func attentionFiniteDifferences() {
        // Every path in float64: need_weights (explicit softmax), the fused kernel, and the decomposed
        // path (dropout 0.5 with a fixed mask: the generator is reseeded for every evaluation).
        let x = LayerTests.randomDouble([2, 3, 4], seed: 31)
        let inW = LayerTests.randomDouble([12, 4], seed: 32, scale: 0.5), inB = LayerTests.randomDouble([12], seed: 33, scale: 0.1)
        let outW = LayerTests.randomDouble([4, 4], seed: 34, scale: 0.5), outB = LayerTests.randomDouble([4], seed: 35, scale: 0.1)
        for (needWeights, p) in [(true, 0.0), (false, 0.0), (false, 0.5), (true, 0.5)] {
            LayerTests.expectFiniteDifferences([x, inW, inB, outW, outB], tolerance: 1e-5) { t in
                let weights = AttentionWeights(inProjWeight: t[1], inProjBias: t[2], outProjWeight: t[3], outProjBias: t[4], numHeads: 2)
                return selfAttention(t[0], weights, batchFirst: true, needWeights: needWeights, dropoutP: p,
                                     generator: Generator(seed: 5)).output
            }
        }
        let scores = LayerTests.randomDouble([2, 3, 5], seed: 36)
        LayerTests.expectFiniteDifferences([scores]) { $0[0].safeSoftmax(dim: -1) }
    }
}
