import Testing
@testable import NNVizCLI

/// Every kind of bad model file ends in one message naming file, line and column.
struct ModelSpecErrorTests {
    func error(_ yaml: String) -> ModelSpecError? {
        do { _ = try ModelSpec.parse(yaml, file: "m.yaml"); return nil } catch let e as ModelSpecError { return e } catch { return nil }
    }

    @Test func yamlSyntaxErrorsCarryLineAndColumn() {
        let e = error("model:\n  - linear: {in: 3, out: 2\ninput: [[1, 2, 3]]\n")
        #expect(e?.file == "m.yaml" && e?.line == 3)
        #expect(e?.message.hasPrefix("YAML syntax error") == true)
    }

    @Test func unknownLayerSuggestsTheNearestName() {
        let e = error("model:\n  - lineer: {in: 3, out: 2}\ninput: [[1, 2, 3]]\n")
        #expect(e?.description == "m.yaml:2:5: unknown layer 'lineer'; did you mean 'linear'?")
    }

    @Test func unknownKeysAndArguments() {
        #expect(error("model: []\ninptu: [[1]]\n")?.description.contains("unknown key 'inptu'; did you mean 'input'?") == true)
        let e = error("model:\n  - linear: {in: 3, ot: 2}\ninput: [[1, 2, 3]]\n")
        #expect(e?.description == "m.yaml:2:21: 'linear' has no argument 'ot'; did you mean 'out'?; it takes in_features, out_features, bias")
    }

    @Test func wrongTypesAndAbsurdSizes() {
        #expect(error("model:\n  - linear: {in: three, out: 2}\ninput: [[1]]\n")?.message == "'linear' argument 'in' must be a whole number, found 'three'")
        #expect(error("model:\n  - linear: {in: -3, out: 2}\ninput: [[1]]\n")?.message == "'linear' argument 'in' must be at least 1, found -3")
        #expect(error("model:\n  - conv2d: {in: 3, out: 2, kernel: 3, padding: 9223372036854775807}\ninput: [[1]]\n")?.message
                == "'conv2d' argument 'padding' must be at most 2147483647, found 9223372036854775807")
        let wide = error("model:\n  - conv2d: {in: 2147483647, out: 2147483647, kernel: 2147483647}\ninput: {zeros: [1, 2, 2, 2]}\n")
        #expect(wide?.message.contains("more than 67108864 parameters") == true)
        let huge = error("model:\n  - linear: {in: 100000, out: 100000}\ninput: {zeros: [1, 100000]}\n")
        #expect(huge?.message.contains("refusing to allocate") == true)
        #expect(huge?.line == 2)
        #expect(error("model: []\ninput: {randn: [100000, 100000]}\n")?.message.contains("refusing to allocate") == true)
        #expect(error("model: []\ninput: {randn: [-2, 3]}\n")?.message == "the shape of input has a negative size -2")
    }

    @Test func shapeMismatchBetweenLayersNamesBothLayers() {
        let e = error("""
            model:
              - linear: {in: 3, out: 2}
                name: fc1
              - relu
              - linear: {in: 4, out: 1}
                name: fc2
            input: [[1, 2, 3]]
            """)
        #expect(e?.line == 5)
        #expect(e?.message == "layer 'fc2' (linear, line 5) cannot take shape [1, 2] from layer '1' (relu, line 4): mat1 and mat2 shapes cannot be multiplied (1x2 and 4x1)")
    }

    @Test func suggestionsOnlyForCloseWords() {
        #expect(error("model:\n  - mlp: {input_size: 3, hidden_size: 2}\ninput: [[1, 2, 3]]\n")?.description == "m.yaml:2:5: unknown layer 'mlp'")
        #expect(error("model:\n  - lineer: {in: 3, out: 2}\ninput: [[1, 2, 3]]\n")?.message == "unknown layer 'lineer'; did you mean 'linear'?")
        #expect(error("model:\n  - linear: {in_featurs: 3, out_features: 2}\ninput: [[1, 2, 3]]\n")?.description
                == "m.yaml:2:14: 'linear' has no argument 'in_featurs'; did you mean 'in_features'?; it takes in_features, out_features, bias")
        #expect(nearest("relu", in: ["elu", "selu"]) == "elu")
        #expect(nearest("xyzw", in: ["elu", "selu"]) == nil)
    }

    @Test func pytorchNamesAndShortNamesAreTheSameArgument() throws {
        let long = try ModelSpec.parse("model:\n  - linear: {in_features: 3, out_features: 2, bias: false}\ninput: [[1, 2, 3]]\n", file: "m.yaml")
        let short = try ModelSpec.parse("model:\n  - linear: {in: 3, out: 2, bias: false}\ninput: [[1, 2, 3]]\n", file: "m.yaml")
        #expect(long.layers[0].arguments.values == short.layers[0].arguments.values)
        #expect(long.layers[0].arguments.int("in_features") == 3)
        let activations = try ModelSpec.parse("""
            model:
              - hardtanh: {min_val: -2, max: 3}
              - softshrink: {lambd: 0.25}
              - hardshrink: {lambda: 0.75}
              - leaky_relu: {negative_slope: 0.2}
            input: [[1.0, 2.0]]
            """, file: "m.yaml")
        #expect(activations.layers.map { $0.arguments.values } == [
            ["min_val": .double(-2), "max_val": .double(3)], ["lambd": .double(0.25)], ["lambd": .double(0.75)],
            ["negative_slope": .double(0.2)]])
        let both = error("model:\n  - linear: {in: 3, in_features: 3, out: 2}\ninput: [[1, 2, 3]]\n")
        #expect(both?.description == "m.yaml:2:21: 'linear' got 'in_features' and 'in', two names of the same argument; give 'in_features' once")
        #expect(error("model:\n  - linear: {out_features: 2}\ninput: [[1, 2, 3]]\n")?.description
                == "m.yaml:2:5: 'linear' needs 'in_features' (it takes in_features, out_features, bias)")
    }

    @Test func sizesTakeANumberOrAPair() throws {
        let spec = try ModelSpec.parse("""
            model:
              - conv2d: {in_channels: 1, out_channels: 2, kernel_size: [3, 1], stride: [1, 2], padding: [1, 0]}
              - maxpool2d: {kernel_size: 2}
              - batchnorm2d: {num_features: 2, eps: 0.001, momentum: null}
            input: {randn: [2, 1, 8, 8]}
            """, file: "m.yaml")
        #expect(try spec.layerShapes() == [[2, 2, 8, 4], [2, 2, 4, 2], [2, 2, 4, 2]])
        let run = try ModelRun(spec: spec)
        #expect(run.model.namedParameters().map(\.tensor.shape) == [[2, 1, 3, 1], [2], [2], [2]])
        #expect(run.output.shape == [2, 2, 4, 2])
        #expect(error("model:\n  - conv2d: {in: 1, out: 2, kernel: [3, 3, 3]}\ninput: [[1]]\n")?.description
                == "m.yaml:2:37: 'conv2d' argument 'kernel' must be one number or a pair [height, width], found 3 numbers")
        #expect(error("model:\n  - conv2d: {in: 1, out: 2, kernel: [3, 0]}\ninput: [[1]]\n")?.description
                == "m.yaml:2:41: 'conv2d' argument 'kernel' must be at least 1, found 0")
    }

    @Test func optionalArgumentsReachTheModules() throws {
        let spec = try ModelSpec.parse("""
            model:
              - embedding: {num_embeddings: 5, embedding_dim: 2, padding_idx: -1}
              - batchnorm1d: {num_features: 3, affine: true, bias: false}
            input: [[0, 4, 1]]
            """, file: "m.yaml")
        let run = try ModelRun(spec: spec)
        #expect(run.model.namedParameters().map(\.name) == ["0.weight", "1.weight"])
        #expect(run.model.namedParameters()[0].tensor[4].scalars == [0, 0])
        #expect(error("model:\n  - embedding: {num: 5, dim: 2, padding_idx: 5}\ninput: [[0]]\n")?.message
                == "layer '0' (embedding, line 2) cannot take shape [1, 1] from the input: Padding_idx must be within num_embeddings")
    }

    @Test func layerRulesComeFromTheModules() {
        let conv = error("model:\n  - conv2d: {in_channels: 3, out_channels: 8, kernel_size: 3}\ninput: {randn: [2, 4, 8, 8]}\n")
        #expect(conv?.description == "m.yaml:2:5: layer '0' (conv2d, line 2) cannot take shape [2, 4, 8, 8] from the input: Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 4, 8, 8] to have 3 channels, but got 4 channels instead")
        let norm = error("model:\n  - batchnorm1d: {num_features: 3}\ninput: {randn: [1, 3]}\n")
        #expect(norm?.message == "layer '0' (batchnorm1d, line 2) cannot take shape [1, 3] from the input: Expected more than 1 value per channel when training, got input size torch.Size([1, 3])")
        #expect(error("model:\n  - batchnorm1d: {num_features: 3}\ninput: {randn: [1, 3]}\nmode: eval\n") == nil)
        let rnn = error("model:\n  - lstm: {input_size: 4, hidden_size: 2}\ninput: {randn: [2, 5, 3]}\n")
        #expect(rnn?.message == "layer '0' (lstm, line 2) cannot take shape [2, 5, 3] from the input: input.size(-1) must be equal to input_size. Expected 4, got 3")
        #expect(error("model:\n  - dropout: {p: 1.5}\ninput: [[1.0]]\n")?.message == "dropout probability has to be between 0 and 1, but got 1.5")
    }

    @Test func targetsAndLosses() {
        #expect(error("model: []\ninput: [[1.0]]\ntarget: [[1.0, 2.0]]\n")?.message.contains("different to the input size") == true)
        #expect(error("model: []\ninput: [[0.2, 0.8]]\ntarget: [3]\nloss: cross_entropy\n")?.message == "Target 3 is out of bounds: the output has 2 classes")
        #expect(error("model: []\ninput: [[1.0]]\ntarget: [[1.0]]\nloss: mes\n")?.message.hasPrefix("unknown loss 'mes'; did you mean 'mse'?") == true)
        #expect(error("model: []\ninput: [[1.0]]\ntarget: [[1.0]]\nloss: {mse: {reduction: avg}}\n")?.message == "'mse' argument 'reduction' must be one of mean, sum, none, found 'avg'")
    }

    @Test func raggedLiteralsAndMissingKeys() {
        #expect(error("model: []\ninput: [[1, 2], [3]]\n")?.message.contains("ragged") == true)
        #expect(error("model: []\n")?.message.hasPrefix("missing 'input'") == true)
        #expect(error("input: [[1]]\n")?.message.hasPrefix("missing 'model'") == true)
        #expect(error("")?.message.hasPrefix("the file is empty") == true)
        #expect(error("- 1\n- 2\n")?.message == "a model file must be a mapping, found a list")
    }

    @Test func emptyModelPassesTheInputThrough() throws {
        let spec = try ModelSpec.parse("seed: 0\nmodel: []\ninput: {randn: [2, 3]}\n", file: "m.yaml")
        let run = try ModelRun(spec: spec)
        #expect(run.output.shape == [2, 3])
        #expect(run.output.floats[0] == Float(1.5409960746765137))
    }
}
