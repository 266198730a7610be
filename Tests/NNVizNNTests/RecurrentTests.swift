import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// GRUCell, GRU and bidirectional RNN/LSTM/GRU against PyTorch (recurrent.json, made by
/// Tests/tools/fixtures_recurrent.py: initial parameters bit for bit, output, final states, the grad_fn
/// chain of the loss, and the input's, initial state's and every parameter's gradient), finite
/// differences of the new steps in float64, and the static shape rules with PyTorch's messages.
struct RecurrentTests {
    struct Case {
        let name: String
        let kind: String
        let seed: UInt64
        let numLayers: Int
        let bias: Bool
        let batchFirst: Bool
        let bidirectional: Bool
        let json: [String: Any]

        func tensor(_ key: String) -> Tensor { LayerTests.tensor(json[key]!) }
        func tensors(_ key: String) -> [Tensor] { ((json[key] as? [Any]) ?? []).map(LayerTests.tensor) }
        func named(_ key: String, _ field: String) -> [(name: String, value: Tensor)] {
            (json[key] as! [[String: Any]]).map { ($0["name"] as! String, LayerTests.tensor($0[field]!)) }
        }
    }

    static let cases: [Case] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/recurrent.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map { c in
            let config = c["config"] as! [String: Any]
            return Case(name: c["name"] as! String, kind: c["kind"] as! String, seed: UInt64(c["seed"] as! Int),
                        numLayers: config["num_layers"] as! Int, bias: config["bias"] as! Bool,
                        batchFirst: config["batch_first"] as! Bool, bidirectional: config["bidirectional"] as! Bool, json: c)
        }
    }()

    /// The case's module, built with the case's seed, and its forward returning the output and final states.
    static func module(_ c: Case) -> (Module, (Tensor, [Tensor]) -> (Tensor, [Tensor])) {
        let generator = Generator(seed: c.seed)
        switch c.kind {
        case "GRUCell":
            let cell = GRUCell(4, 3, bias: c.bias, generator: generator)
            return (cell, { x, state in (cell(x, state.first), []) })
        case "GRU":
            let gru = GRU(4, 3, numLayers: c.numLayers, bias: c.bias, batchFirst: c.batchFirst, bidirectional: c.bidirectional,
                          generator: generator)
            return (gru, { x, state in
                let (output, hidden) = gru(x, state.first)
                return (output, [hidden])
            })
        case "RNN":
            let rnn = RNN(4, 3, numLayers: c.numLayers, bias: c.bias, batchFirst: c.batchFirst, bidirectional: c.bidirectional,
                          generator: generator)
            return (rnn, { x, state in
                let (output, hidden) = rnn(x, state.first)
                return (output, [hidden])
            })
        default:
            let lstm = LSTM(4, 3, numLayers: c.numLayers, bias: c.bias, batchFirst: c.batchFirst, bidirectional: c.bidirectional,
                            generator: generator)
            return (lstm, { x, state in
                let (output, last) = lstm(x, state.isEmpty ? nil : (state[0], state[1]))
                return (output, [last.h, last.c])
            })
        }
    }

    @Test func everyCaseMatchesPyTorch() {
        #expect(Self.cases.count == 39)
        for c in Self.cases {
            let (module, forward) = Self.module(c)
            let label = "\(c.name) seed \(c.seed)"
            let expected = c.named("parameters", "value")
            #expect(module.namedParameters().map(\.name) == expected.map(\.name), "\(label): parameter names")
            for (mine, theirs) in zip(module.namedParameters(), expected) {
                #expect(mine.tensor.shape == theirs.value.shape && mine.tensor.floats == theirs.value.floats,
                        "\(label): \(theirs.name) initial values")
            }
            let input = c.tensor("input").copy().requiresGrad_()
            let initial = c.tensors("initial_state").map { $0.copy().requiresGrad_() }
            let (output, finals) = forward(input, initial)
            let tolerance = 2e-4
            LayerTests.expectClose(output, c.tensor("output"), rtol: 0, atol: tolerance, "\(label): output")
            let expectedFinals = c.tensors("state")
            #expect(finals.count == expectedFinals.count, "\(label): state count")
            for (i, (mine, theirs)) in zip(finals, expectedFinals).enumerated() {
                LayerTests.expectClose(mine, theirs, rtol: 0, atol: tolerance, "\(label): final state \(i)")
            }
            var loss = (output * c.tensor("loss_weight")).sum()
            for (final, weight) in zip(finals, c.tensors("state_loss_weights")) { loss = loss + (final * weight).sum() }
            let expectedLoss = c.json["loss"] as! Double
            #expect(abs(loss.item() - expectedLoss) <= tolerance * max(1, abs(expectedLoss)), "\(label): loss")
            #expect(GraphWalk.nodes(from: [loss.gradFn!]).map(\.name) == c.json["grad_fns"] as! [String], "\(label): grad_fns")
            loss.backward()
            LayerTests.expectClose(input.grad, c.tensor("input_grad"), rtol: 0, atol: tolerance, "\(label): input grad")
            for (i, (mine, theirs)) in zip(initial, c.tensors("initial_state_grad")).enumerated() {
                LayerTests.expectClose(mine.grad, theirs, rtol: 0, atol: tolerance, "\(label): initial state \(i) grad")
            }
            for (mine, theirs) in zip(module.namedParameters(), c.named("parameter_grads", "grad")) {
                LayerTests.expectClose(mine.tensor.grad, theirs.value, rtol: 0, atol: tolerance, "\(label): \(theirs.name) grad")
            }
        }
    }

    @Test func descriptionsAndShapesFollowPyTorch() throws {
        let gru = GRU(4, 3, numLayers: 2, batchFirst: true, bidirectional: true)
        #expect(gru.extraDescription == "4, 3, num_layers=2, batch_first=True, bidirectional=True")
        #expect(gru.layers.map(\.weightIH.shape) == [[9, 4], [9, 4], [9, 6], [9, 6]])
        let (output, hidden) = gru(Tensor.zeros([2, 5, 4]))
        #expect(output.shape == [2, 5, 6] && hidden.shape == [4, 2, 3])
        #expect(LSTM(4, 3, bidirectional: true).extraDescription == "4, 3, bidirectional=True")
        #expect(GRUCell(4, 3, bias: false).extraDescription == "4, 3, bias=False")
        #expect(try GRU.outputShape(input: [2, 5, 4], inputSize: 4, hiddenSize: 3, batchFirst: true, bidirectional: true) == [2, 5, 6])
        #expect(try RNN.outputShape(input: [5, 4], inputSize: 4, hiddenSize: 3, bidirectional: true) == [5, 6])
        #expect(try LSTM.outputShape(input: [7, 2, 4], inputSize: 4, hiddenSize: 8) == [7, 2, 8])
        #expect(try GRUCell.outputShape(input: [4], inputSize: 4, hiddenSize: 3) == [3])
    }

    @Test func checksThrowPyTorchsMessages() {
        func expectError(_ message: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: TensorError(message), sourceLocation: sourceLocation) { try body() }
        }
        expectError("input.size(-1) must be equal to input_size. Expected 4, got 3") {
            _ = try GRU.outputShape(input: [2, 5, 3], inputSize: 4, hiddenSize: 3)
        }
        expectError("GRU: Expected input to be 2D or 3D, got 4D instead") {
            _ = try GRU.outputShape(input: [2, 5, 4, 1], inputSize: 4, hiddenSize: 3)
        }
        expectError("Expected sequence length to be larger than 0 in RNN") {
            _ = try GRU.outputShape(input: [2, 0, 4], inputSize: 4, hiddenSize: 3, batchFirst: true)
        }
        expectError("GRUCell: Expected input to be 1D or 2D, got 3D instead") {
            _ = try GRUCell.outputShape(input: [2, 1, 4], inputSize: 4, hiddenSize: 3)
        }
        expectError("input has inconsistent input_size: got 3 expected 4") {
            _ = try GRUCell.outputShape(input: [2, 3], inputSize: 4, hiddenSize: 3)
        }
        let gru = GRU(4, 3, numLayers: 2, bidirectional: true)
        expectError("input.size(-1) must be equal to input_size. Expected 4, got 3") { try gru.check(Tensor.zeros([5, 2, 3])) }
        expectError("Expected hidden size (4, 2, 3), got [2, 2, 3]") { try gru.check(Tensor.zeros([5, 2, 4]), Tensor.zeros([2, 2, 3])) }
        expectError("For batched 3-D input, hx should also be 3-D but got 2-D tensor") {
            try gru.check(Tensor.zeros([5, 2, 4]), Tensor.zeros([2, 3]))
        }
        expectError("RNN input dtype (torch.float64) does not match weight dtype (torch.float32). Convert input: input.to(torch.float32), or convert model: model.to(torch.float64)") {
            try gru.check(Tensor.zeros([5, 2, 4], dtype: .float64))
        }
        expectError("Expected hidden size (2, 2, 3), got [1, 2, 3]") {
            try RNN(4, 3, bidirectional: true).check(Tensor.zeros([5, 2, 4]), Tensor.zeros([1, 2, 3]))
        }
        expectError("Expected hidden[0] size (2, 2, 3), got [1, 2, 3]") {
            try LSTM(4, 3, bidirectional: true).check(Tensor.zeros([5, 2, 4]), (Tensor.zeros([1, 2, 3]), Tensor.zeros([2, 2, 3])))
        }
        let cell = GRUCell(4, 3)
        expectError("GRUCell: Expected hidden to be 1D or 2D, got 3D instead") { try cell.check(Tensor.zeros([2, 4]), Tensor.zeros([2, 3, 1])) }
        expectError("Input batch size 2 doesn't match hidden0 batch size 5") { try cell.check(Tensor.zeros([2, 4]), Tensor.zeros([5, 3])) }
        expectError("hidden0 has inconsistent hidden_size: got 4, expected 3") { try cell.check(Tensor.zeros([2, 4]), Tensor.zeros([2, 4])) }
    }

    // MARK: - Finite differences

    /// Float64 weights of every layer and direction, drawn from `seed`.
    static func weights(layers: Int, directions: Int, gates: Int, bias: Bool, seed: UInt64) -> [Tensor] {
        (0..<(layers * directions)).flatMap { index -> [Tensor] in
            let rows = gates * 3, inputs = index < directions ? 2 : 3 * directions, s = seed + UInt64(10 * index)
            return [LayerTests.randomDouble([rows, inputs], seed: s, scale: 0.5),
                    LayerTests.randomDouble([rows, 3], seed: s + 1, scale: 0.5)]
                + (bias ? [LayerTests.randomDouble([rows], seed: s + 2, scale: 0.5),
                           LayerTests.randomDouble([rows], seed: s + 3, scale: 0.5)] : [])
        }
    }

    static func layerWeights(_ t: ArraySlice<Tensor>, count: Int, bias: Bool) -> [RecurrentLayerWeights] {
        let per = bias ? 4 : 2
        return (0..<count).map { l in
            let w = Array(t[(t.startIndex + per * l)...])
            return RecurrentLayerWeights(weightIH: w[0], weightHH: w[1], biasIH: bias ? w[2] : nil, biasHH: bias ? w[3] : nil)
        }
    }

    @Test func gruCellFiniteDifferences() {
        let x = LayerTests.randomDouble([4, 2], seed: 61), h = LayerTests.randomDouble([4, 3], seed: 62)
        let w = Self.weights(layers: 1, directions: 1, gates: 3, bias: true, seed: 63)
        LayerTests.expectFiniteDifferences([x, h] + w) { t in
            runGRUCell(t[0], t[1], weights: Self.layerWeights(t[2...], count: 1, bias: true)[0])
        }
        let plain = Self.weights(layers: 1, directions: 1, gates: 3, bias: false, seed: 64)
        LayerTests.expectFiniteDifferences([x] + plain) { t in
            runGRUCell(t[0], nil, weights: Self.layerWeights(t[1...], count: 1, bias: false)[0])
        }
    }

    @Test func gruAndBidirectionalFiniteDifferences() {
        let x = LayerTests.randomDouble([2, 4, 2], seed: 71)
        let h0 = LayerTests.randomDouble([4, 2, 3], seed: 72, scale: 0.5), c0 = LayerTests.randomDouble([4, 2, 3], seed: 73, scale: 0.5)
        func flat(_ tensors: [Tensor]) -> Tensor { Tensor.cat(tensors.map { $0.reshape([-1]) }) }
        let gru = Self.weights(layers: 2, directions: 2, gates: 3, bias: true, seed: 80)
        LayerTests.expectFiniteDifferences([x, h0] + gru) { t in
            let (output, hidden) = runGRU(t[0], t[1], layers: Self.layerWeights(t[2...], count: 4, bias: true), hiddenSize: 3,
                                          batchFirst: true, bidirectional: true)
            return flat([output, hidden])
        }
        let single = Self.weights(layers: 1, directions: 1, gates: 3, bias: false, seed: 120)
        LayerTests.expectFiniteDifferences([x] + single) { t in
            runGRU(t[0], nil, layers: Self.layerWeights(t[1...], count: 1, bias: false), hiddenSize: 3, batchFirst: false).output
        }
        let rnn = Self.weights(layers: 2, directions: 2, gates: 1, bias: true, seed: 130)
        LayerTests.expectFiniteDifferences([x, h0] + rnn) { t in
            let (output, hidden) = runRNN(t[0], t[1], layers: Self.layerWeights(t[2...], count: 4, bias: true), hiddenSize: 3,
                                          nonlinearity: .tanh, batchFirst: true, bidirectional: true)
            return flat([output, hidden])
        }
        let lstm = Self.weights(layers: 2, directions: 2, gates: 4, bias: true, seed: 170)
        LayerTests.expectFiniteDifferences([x, h0, c0] + lstm) { t in
            let (output, state) = runLSTM(t[0], (t[1], t[2]), layers: Self.layerWeights(t[3...], count: 4, bias: true),
                                          hiddenSize: 3, batchFirst: true, bidirectional: true)
            return flat([output, state.h, state.c])
        }
    }
}
