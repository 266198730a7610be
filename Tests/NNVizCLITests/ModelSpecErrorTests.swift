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
        #expect(e?.description == "m.yaml:2:21: 'linear' has no argument 'ot'; did you mean 'out'?; it takes in, out, bias")
    }

    @Test func wrongTypesAndAbsurdSizes() {
        #expect(error("model:\n  - linear: {in: three, out: 2}\ninput: [[1]]\n")?.message == "'linear' argument 'in' must be a whole number, found 'three'")
        #expect(error("model:\n  - linear: {in: -3, out: 2}\ninput: [[1]]\n")?.message == "'linear' argument 'in' must be at least 1, found -3")
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
        #expect(e?.message == "layer 'fc2' (linear, line 5) expects 4 input features in the last dimension, but layer '1' (relu, line 4) gives shape [1, 2]")
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
