import Foundation
import Testing
@testable import NNVizCLI
import NNViz

/// Graph-shaped model files (blocks:, from:, repeat:, add/mul/cat and the shape layers) against their
/// PyTorch twins (Tests/tools/fixtures_graphfiles.py), and every error they can make.
struct GraphFileTests {
    static let files = ["resnet_block", "transformer_classifier", "unet_small", "unet_cat", "gated_mul", "dropout_bce", "repeat_names"]

    static func path(_ name: String) -> String {
        ["resnet_block", "transformer_classifier", "unet_small"].contains(name) ? repositoryRoot.appendingPathComponent("samples/\(name).yaml").path
            : Bundle.module.resourceURL!.appendingPathComponent("Fixtures/graphfiles/\(name).yaml").path
    }

    func error(_ yaml: String) -> ModelSpecError? {
        do { _ = try ModelSpec.parse(yaml, file: "g.yaml"); return nil } catch let e as ModelSpecError { return e } catch { return nil }
    }

    func flat(_ any: Any?) -> [Double] {
        if let n = any as? NSNumber { return [n.doubleValue] }
        return (any as? [Any])?.flatMap { flat($0) } ?? []
    }

    func close(_ expected: Any?, _ actual: Tensor, tolerance: Double = 2e-4) -> Bool {
        let e = flat(expected), a = actual.scalars
        return e.count == a.count && zip(e, a).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
    }

    @Test(arguments: files)
    func numbersAndNamesMatchPyTorch(_ name: String) throws {
        let fixture = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name).json")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: Self.path(name)))
        run.backward()
        #expect(close(expected["output"], run.output), "output")
        let loss = (expected["loss"] as! NSNumber).doubleValue
        #expect(abs(run.loss!.item() - loss) <= 2e-4 * max(1, abs(loss)))
        let parameters = expected["parameters"] as! [String: [String: Any]]
        #expect(run.model.namedParameters().map(\.name) == expected["parameter_names"] as! [String])
        for (parameter, tensor) in run.model.namedParameters() {
            let value = try #require(parameters[parameter], "\(parameter)")
            #expect(value["shape"] as? [Int] == tensor.shape, "\(parameter) shape")
            #expect(close(value["value"], tensor, tolerance: 1e-6), "\(parameter) value")
            #expect(close(value["grad"], try #require(tensor.grad)), "\(parameter) grad")
        }
        #expect(run.model.namedModules().map(\.name) == expected["modules"] as! [String])
    }

    @Test func parametersAreNamedAsPyTorchNamesThemInFileOrder() throws {
        let run = try ModelRun(spec: ModelSpec.read(contentsOf: Self.path("repeat_names")))
        #expect(run.model.namedParameters().map(\.name) == [
            "a.fc.weight", "a.fc.bias", "b.0.fc.weight", "b.0.fc.bias", "b.1.fc.weight", "b.1.fc.bias",
            "mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "out.weight", "out.bias"])
        let resnet = try ModelRun(spec: ModelSpec.read(contentsOf: Self.path("resnet_block")))
        #expect(resnet.model.namedParameters().map(\.name).prefix(5) == [
            "stem.weight", "stem.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias"])
        #expect(resnet.model.description.hasPrefix("Model(\n  (stem): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (layer1): Sequential(\n    (0): basic(\n      (conv1): Conv2d(8, 8"))
        // A chain without from:, blocks or repeat still prints as the nn.Sequential it is.
        let chain = try ModelRun(spec: ModelSpec.read(contentsOf: Self.path("dropout_bce")))
        #expect(chain.model.description.hasPrefix("Sequential(\n  (0): Linear(in_features=4, out_features=6, bias=True)"))
    }

    @Test func bceIsCheckedByTheLossAfterOneForwardPass() throws {
        let spec = try ModelSpec.parse("model:\n  - linear: {in: 1, out: 1}\ninput: [[2.0]]\ntarget: [[1.0]]\nloss: bce\ninit: {0.weight: [[1.0]], 0.bias: [0.0]}\n", file: "g.yaml")
        #expect(throws: ModelSpecError(file: "g.yaml", line: 5, column: nil, "loss 'bce': all elements of input should be between 0 and 1 ('bce' needs outputs between 0 and 1: end the model with sigmoid, or use bce_with_logits)")) {
            try ModelRun(spec: spec)
        }
    }

    @Test func shapesThatDoNotFitNameBothLayersAndShapes() {
        let add = error("""
            blocks:
              basic:
                - conv2d: {in_channels: 8, out_channels: 4, kernel_size: 3, padding: 1}
                  name: conv
                - add: {}
                  from: [input, conv]
            model:
              - basic: {}
                name: layer1
            input: {randn: [2, 8, 16, 16]}
            """)
        #expect(add?.description == "g.yaml:5:7: layer 'layer1.1' (add, line 5) cannot take shapes [2, 8, 16, 16] from the input of block 'basic' at 'layer1' and [2, 4, 16, 16] from layer 'layer1.conv' (conv2d, line 3): The size of tensor a (8) must match the size of tensor b (4) at non-singleton dimension 1")
        let cat = error("model:\n  - linear: {in: 3, out: 2}\n    name: a\n  - cat: {dim: 0}\n    from: [input, a]\ninput: [[1.0, 2.0, 3.0]]\n")
        #expect(cat?.description == "g.yaml:4:5: layer '1' (cat, line 4) cannot take shapes [1, 3] from the input and [1, 2] from layer 'a' (linear, line 2): Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor number 1 in the list.")
        let reshape = error("model:\n  - reshape: {shape: [4, -1]}\ninput: [[1.0, 2.0, 3.0]]\n")
        #expect(reshape?.message == "layer '0' (reshape, line 2) cannot take shape [1, 3] from the input: shape '[4, -1]' is invalid for input of size 3")
        let repeated = error("model:\n  - linear: {in: 3, out: 2}\n    repeat: 2\n    name: mlp\ninput: [[1.0, 2.0, 3.0]]\n")
        #expect(repeated?.message == "layer 'mlp.1' (linear, line 2) cannot take shape [1, 2] from layer 'mlp.0' (linear, line 2): mat1 and mat2 shapes cannot be multiplied (1x2 and 3x2)")
        let indices = error("model:\n  - embedding: {num: 5, dim: 3}\n  - linear: {in: 3, out: 3}\n    from: input\ninput: [[1, 2, 3]]\n")
        #expect(indices?.description == "g.yaml:3:5: layer '1' (linear, line 3) reads the input, which holds whole-number indices for layer '0' (embedding, line 2); only embeddings can read it")
        // Broadcasting is fine.
        #expect(error("model:\n  - linear: {in: 3, out: 1}\n  - add: {}\n    from: [input, 0]\ninput: [[1.0, 2.0, 3.0]]\n") == nil)
    }

    @Test func fromMustNameAnEarlierLayer() {
        let later = error("model:\n  - relu: {}\n    from: fc\n  - linear: {in: 3, out: 3}\n    name: fc\ninput: [[1.0, 2.0, 3.0]]\n")
        #expect(later?.description == "g.yaml:3:11: layer '0' (relu) reads layer 'fc' (linear, line 4), which comes after it; a layer reads only layers before it")
        let unknown = error("model:\n  - linear: {in: 3, out: 3}\n    name: fc1\n  - relu: {}\n    from: fc2\ninput: [[1.0, 2.0, 3.0]]\n")
        #expect(unknown?.description == "g.yaml:5:11: layer '1' (relu) reads 'fc2', which is no layer of the model; did you mean 'fc1'?")
        let inBlock = error("blocks:\n  b:\n    - relu: {}\n      from: x\nmodel:\n  - b\ninput: [[1.0]]\n")
        #expect(inBlock?.description == "g.yaml:4:13: layer '0' (relu) reads 'x', which is no layer of block 'b'")
        #expect(error("model:\n  - add: {}\ninput: [[1.0]]\n")?.description
                == "g.yaml:2:5: layer '0' (add) takes 2 or more inputs; name them with 'from: [a, b]'")
        #expect(error("model:\n  - relu: {}\n    name: a\n  - relu: {}\n    from: [input, a]\ninput: [[1.0]]\n")?.description
                == "g.yaml:5:11: layer '1' (relu) takes one input, but 'from' names 2")
        #expect(error("model:\n  - relu: {}\n    name: input\ninput: [[1.0]]\n")?.description
                == "g.yaml:2:5: a layer cannot be named 'input': 'from: input' means the input of the model")
        #expect(error("model:\n  - relu: {}\n    name: a\n  - relu: {}\n    name: a\ninput: [[1.0]]\n")?.description
                == "g.yaml:4:5: two layers are named 'a'")
        #expect(error("model:\n  - relu: {}\n    name: a\n  - add: {}\n    from: [input, a]\n    repeat: 2\ninput: [[1.0]]\n")?.description
                == "g.yaml:4:5: layer '1' (add) takes several inputs, so it cannot be repeated")
        #expect(error("blocks:\n  b: [relu]\nmodel:\n  - b: {p: 1}\ninput: [[1.0]]\n")?.description
                == "g.yaml:4:8: block 'b' takes no arguments; write 'b: {}'")
        #expect(error("blocks:\n  relu: [tanh]\nmodel: []\ninput: [[1.0]]\n")?.description
                == "g.yaml:2:3: block 'relu' has the name of a layer kind; choose another name")
        #expect(error("model:\n  - relu: {}\n    repeat: 0\ninput: [[1.0]]\n")?.message == "'repeat' must be between 1 and 100000, found 0")
    }

    @Test func blockCyclesAreNamed() {
        let cycle = error("blocks:\n  a:\n    - b\n  b:\n    - relu\n    - a\nmodel:\n  - a\ninput: [[1.0]]\n")
        #expect(cycle?.description == "g.yaml:6:7: blocks use each other in a cycle: a → b → a")
        #expect(error("blocks:\n  a:\n    - a\nmodel: []\ninput: [[1.0]]\n")?.description == "g.yaml:3:7: blocks use each other in a cycle: a → a")
    }

    @Test func nestingIsBounded() {
        // 40 blocks each using the next: deeper than the 32 allowed.
        var text = "blocks:\n"
        for i in 0..<40 { text += "  b\(i):\n    - \(i == 39 ? "relu" : "b\(i + 1)")\n" }
        text += "model:\n  - b0\ninput: [[1.0]]\n"
        #expect(error(text)?.description == "g.yaml:16:3: block 'b7' nests blocks 33 deep, more than the 32 allowed")
        // Doubling blocks expand past the layer limit without running anything.
        var doubling = "blocks:\n"
        for i in 0..<20 { doubling += "  d\(i):\n    - \(i == 19 ? "relu" : "d\(i + 1)")\n    - \(i == 19 ? "relu" : "d\(i + 1)")\n" }
        doubling += "model:\n  - d0\ninput: [[1.0]]\n"
        #expect(error(doubling)?.description == "g.yaml:63:5: the model expands to 1048576 layers by layer '0' (d0, line 63) (blocks and repeats counted out), more than the 100000 allowed")
        // 20,000 nested lists stop with a message instead of overflowing the stack in the YAML composer.
        let deep = "model: []\ninput: " + String(repeating: "[", count: 20_000) + "1" + String(repeating: "]", count: 20_000) + "\n"
        #expect(error(deep)?.description == "g.yaml:2:263: lists and mappings nest more than 256 levels deep here; a model file needs far fewer")
        var block = "model: []\ninput:\n"
        for i in 1...300 { block += String(repeating: "  ", count: i) + "-\n" }
        // The 257th level's own "-" is named.
        #expect(error(block)?.description == "g.yaml:258:513: lists and mappings nest more than 256 levels deep here; a model file needs far fewer")
        // Quoted brackets and comments do not count.
        #expect(error("model: [] # [[[[\ninput: [[1.0]]\ntarget: [[1.0]]\nloss: {mse: {reduction: 'sum'}}\n") == nil)
        // An apostrophe inside a plain scalar opens no quote, and a quoted "#" no comment: the depth is still
        // counted after them (these files crashed the composer when a byte scan took them for quotes and comments).
        let deepList = String(repeating: "[", count: 20_000) + "1" + String(repeating: "]", count: 20_000)
        let tooDeep = "lists and mappings nest more than 256 levels deep here; a model file needs far fewer"
        #expect(error("name: don't stop\nmodel: []\ninput: \(deepList)\n")?.description == "g.yaml:3:263: \(tooDeep)")
        #expect(error("name: rock 'n roll\nmodel: []\ninput: \(deepList)\n")?.description == "g.yaml:3:263: \(tooDeep)")
        #expect(error("model: []\ninput: ['a #', \(deepList)]\n")?.description == "g.yaml:2:270: \(tooDeep)")
        // Brackets in a block scalar are text: the file gets past the depth check to the next error.
        #expect(error("name: |\n  \(deepList)\nmodel: []\ninput: [[1.0]]\n")?.description
                == "g.yaml:1:1: unknown key 'name'; a model file has seed, blocks, model, init, weights, input, target, loss, mode")
    }
}
