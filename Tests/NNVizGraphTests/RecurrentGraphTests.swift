import Testing
import NNVizCore
import NNVizNN
@testable import NNVizGraph

/// makeDot of GRUCell, GRU and bidirectional RNN/LSTM/GRU against torchviz on the PyTorch twins
/// (fixtures made by Tests/tools/fixtures_recurrent.py), compared by structure as dotcompare.py does.
extension MakeDotTests {
    @Test(arguments: ["grucell_unrolled3_loss", "grucell_unrolled3_loss_attrs_saved"])
    func gruCellUnrolledEqualsTorchviz(_ name: String) throws {
        let fixture = try Fixture(name)
        let cell = GRUCell(2, 3), head = Linear(3, 1)
        try load(cell, fixture, prefix: "cell.")
        try load(head, fixture, prefix: "head.")
        let xs = fixture.tensors["xs"]!
        var h = cell(xs[0], nil)
        for t in 1..<3 { h = cell(xs[t], h) }
        let loss = MSELoss()(head(h), fixture.tensors["target"]!)
        let params = cell.namedParameters().map { ("cell." + $0.name, $0.tensor) } + named(head, "head")
        expectSame(name, makeDot(loss, params: params, showAttrs: fixture.showAttrs, showSaved: fixture.showSaved), fixture)
    }

    /// Saved attributes and tensors too, with an initial state that needs its gradient (unbound once,
    /// read by the first step's projection and difference).
    @Test func gruWithInitialStateEqualsTorchvizWithSavedValues() throws {
        let fixture = try Fixture("gru2_h0_attrs_saved")
        let gru = GRU(2, 3, numLayers: 2)
        try load(gru, fixture, prefix: "rnn.")
        let h0 = fixture.tensors["h0"]!.requiresGrad_()
        let (output, hidden) = gru(fixture.tensors["x"]!, h0)
        let params = gru.namedParameters().map { ("rnn." + $0.name, $0.tensor) } + [("h0", h0)]
        expectSame("gru2_h0_attrs_saved", makeDot(output.sum() + hidden.sum(), params: params, showAttrs: true, showSaved: true),
                   fixture)
    }

    @Test(arguments: ["rnn1", "lstm2", "gru2"])
    func bidirectionalLayersEqualTorchviz(_ kind: String) throws {
        let name = "\(kind)_bidirectional_loss"
        let fixture = try Fixture(name)
        let layers = Int(String(kind.last!))!
        let rnn: Module
        switch kind.dropLast() {
        case "rnn": rnn = RNN(2, 3, numLayers: layers, batchFirst: true, bidirectional: true)
        case "lstm": rnn = LSTM(2, 3, numLayers: layers, batchFirst: true, bidirectional: true)
        default: rnn = GRU(2, 3, numLayers: layers, batchFirst: true, bidirectional: true)
        }
        let head = Linear(6, 1)
        try load(rnn, fixture, prefix: "rnn.")
        try load(head, fixture, prefix: "head.")
        let output = rnn(fixture.tensors["x"]!)
        let loss = MSELoss()(head(output[TensorIndex.all, -1, TensorIndex.all]), fixture.tensors["target"]!)
        let params = rnn.namedParameters().map { ("rnn." + $0.name, $0.tensor) } + named(head, "head")
        expectSame(name, makeDot(loss, params: params), fixture)
    }
}
