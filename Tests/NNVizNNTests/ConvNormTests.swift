import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// Conv1d, dilated and grouped Conv2d, ConvTranspose2d, AvgPool2d, AdaptiveAvgPool2d, Upsample, Dropout2d,
/// GroupNorm and the batch norms' options against PyTorch (convnorm.json: initial parameters bit for bit,
/// outputs, gradients, running statistics, grad_fn names, the output node's saved attributes and the
/// module's repr), finite differences of every new backward in float64, and the static shape rules'
/// PyTorch messages.
struct ConvNormTests {
    typealias Case = LayerTests.Case

    static let file: [String: Any] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/convnorm.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()
    static let cases = LayerTests.loadCases("convnorm.json")

    /// The saved attributes and repr PyTorch recorded for each (case, seed).
    static func extras(_ c: Case) -> (saved: [SavedValue], repr: String) {
        let raw = (file["cases"] as! [[String: Any]]).first { $0["name"] as! String == c.name && UInt64($0["seed"] as! Int) == c.seed }!
        let saved = (raw["saved"] as! [[String: Any]]).map { entry -> SavedValue in
            let name = entry["name"] as! String
            if let shape = entry["shape"] as? [Int] { return SavedValue(name, .tensor(shape: shape)) }
            return SavedValue(name, .attribute(entry["value"] as! String))
        }
        return (saved, raw["repr"] as! String)
    }

    /// Verifies every case named `name` on the module `make(seed)` builds: values, gradients, grad_fns,
    /// the output node's saved attributes and the repr.
    static func verify(_ name: String, sourceLocation: SourceLocation = #_sourceLocation, _ make: (UInt64) -> Module) {
        let found = cases.filter { $0.name == name }
        #expect(!found.isEmpty, "no fixture case \(name)", sourceLocation: sourceLocation)
        for c in found {
            let module = make(c.seed)
            let (saved, repr) = extras(c)
            #expect(module.description == repr, "\(name): repr", sourceLocation: sourceLocation)
            var recorded: [SavedValue] = []
            LayerTests.verify(c, module, forward: { x, _ in
                let y = module(x)
                recorded = y.gradFn?.saved ?? []
                return (y, [])
            }, sourceLocation: sourceLocation)
            #expect(recorded == saved, "\(name) seed \(c.seed): saved attributes", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Against PyTorch

    @Test func convolutionsMatchPyTorch() {
        Self.verify("conv1d") { Conv1d(4, 6, kernelSize: 3, stride: 2, padding: 1, dilation: 2, groups: 2, generator: Generator(seed: $0)) }
        Self.verify("conv1d_nobias") { Conv1d(2, 3, kernelSize: 2, bias: false, generator: Generator(seed: $0)) }
        Self.verify("conv2d_dilation_groups") {
            Conv2d(4, 6, kernelSize: 3, padding: 2, dilation: 2, groups: 2, generator: Generator(seed: $0))
        }
        Self.verify("conv2d_depthwise") { Conv2d(3, 3, kernelSize: 3, padding: 1, groups: 3, generator: Generator(seed: $0)) }
        Self.verify("conv_transpose2d") {
            ConvTranspose2d(3, 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, generator: Generator(seed: $0))
        }
        Self.verify("conv_transpose2d_groups") {
            ConvTranspose2d(4, 6, kernelSize: [2, 3], stride: [2, 1], groups: 2, bias: false, dilation: [1, 2],
                            generator: Generator(seed: $0))
        }
    }

    @Test func poolingAndUpsamplingMatchPyTorch() {
        Self.verify("avgpool2d_2") { _ in AvgPool2d(2) }
        Self.verify("avgpool2d_pad") { _ in AvgPool2d(3, stride: 2, padding: 1) }
        Self.verify("avgpool2d_exclude_pad") { _ in AvgPool2d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false) }
        Self.verify("adaptive_avg_pool2d_1") { _ in AdaptiveAvgPool2d(1) }
        Self.verify("adaptive_avg_pool2d_2x3") { _ in AdaptiveAvgPool2d([2, 3]) }
        Self.verify("adaptive_avg_pool2d_3") { _ in AdaptiveAvgPool2d(3) }
        Self.verify("upsample_2") { _ in Upsample(scaleFactor: 2) }
        Self.verify("upsample_1_5") { _ in Upsample(scaleFactor: 1.5) }
    }

    @Test func dropout2dMatchesPyTorch() {
        Self.verify("dropout2d_train") { Dropout2d(0.5, generator: Generator(seed: $0)) }
        Self.verify("dropout2d_eval") { Dropout2d(0.5, generator: Generator(seed: $0)) }
    }

    @Test func normalisationsMatchPyTorch() {
        Self.verify("group_norm") { _ in GroupNorm(2, 4) }
        Self.verify("group_norm_noaffine") { _ in GroupNorm(3, 6, affine: false) }
        Self.verify("group_norm_eps") { _ in GroupNorm(1, 3, eps: 0.001) }
        Self.verify("batchnorm2d_noaffine") { _ in BatchNorm2d(3, affine: false) }
        Self.verify("batchnorm2d_nostats") { _ in BatchNorm2d(3, trackRunningStats: false) }
        Self.verify("batchnorm2d_nostats_eval") { _ in BatchNorm2d(3, trackRunningStats: false) }
        Self.verify("batchnorm2d_eps_momentum") { _ in BatchNorm2d(2, eps: 0.001, momentum: 0.3) }
        Self.verify("batchnorm1d_cumulative") { _ in BatchNorm1d(3, momentum: nil) }
        Self.verify("batchnorm1d_bare") { _ in BatchNorm1d(4, affine: false, trackRunningStats: false) }
    }

    // MARK: - Finite differences

    @Test func convolutionGradientsMatchFiniteDifferences() {
        let x1 = LayerTests.randomDouble([2, 4, 7], seed: 1), w1 = LayerTests.randomDouble([6, 2, 3], seed: 2)
        let b1 = LayerTests.randomDouble([6], seed: 3)
        LayerTests.expectFiniteDifferences([x1, w1, b1]) { conv1d($0[0], $0[1], $0[2], stride: 2, padding: 1, dilation: 2, groups: 2) }
        let x2 = LayerTests.randomDouble([2, 4, 5, 6], seed: 4), w2 = LayerTests.randomDouble([6, 2, 3, 2], seed: 5)
        LayerTests.expectFiniteDifferences([x2, w2, b1]) {
            conv2d($0[0], $0[1], $0[2], stride: [2, 1], padding: [2, 1], dilation: [2, 1], groups: 2)
        }
        let x3 = LayerTests.randomDouble([2, 4, 3, 4], seed: 6), w3 = LayerTests.randomDouble([4, 3, 3, 2], seed: 7)
        LayerTests.expectFiniteDifferences([x3, w3, b1]) {
            convTranspose2d($0[0], $0[1], $0[2], stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: [1, 2])
        }
    }

    @Test func poolingAndNormalisationGradientsMatchFiniteDifferences() {
        let x = LayerTests.randomDouble([2, 3, 7, 6], seed: 11)
        LayerTests.expectFiniteDifferences([x]) { avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
        LayerTests.expectFiniteDifferences([x]) {
            avgPool2d($0[0], kernelSize: [3, 2], stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
        }
        LayerTests.expectFiniteDifferences([x]) { adaptiveAvgPool2d($0[0], outputSize: [3, 4]) }
        LayerTests.expectFiniteDifferences([x]) { adaptiveAvgPool2d($0[0], outputSize: 1) }
        LayerTests.expectFiniteDifferences([x]) { upsampleNearest2d($0[0], scaleFactor: 2) }
        LayerTests.expectFiniteDifferences([x]) { upsampleNearest2d($0[0], scaleFactor: 1.5) }
        let gamma = LayerTests.randomDouble([3], seed: 12), beta = LayerTests.randomDouble([3], seed: 13)
        LayerTests.expectFiniteDifferences([LayerTests.randomDouble([2, 3, 4, 5], seed: 14), gamma, beta]) {
            groupNorm($0[0], numGroups: 3, weight: $0[1], bias: $0[2])
        }
        LayerTests.expectFiniteDifferences([LayerTests.randomDouble([3, 6, 5], seed: 15)]) { groupNorm($0[0], numGroups: 2) }
        let mask = LayerTests.randomDouble([2, 3, 4, 5], seed: 16)
        LayerTests.expectFiniteDifferences([mask]) { dropout2d($0[0], p: 0.4, generator: Generator(seed: 17)) }
    }

    // MARK: - Shapes and messages

    @Test func staticShapeRules() throws {
        #expect(try Conv2d.outputShape(input: [2, 3, 16, 16], inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1) == [2, 8, 16, 16])
        #expect(try Conv2d.outputShape(input: [4, 9, 9], inChannels: 4, outChannels: 4, kernelSize: 3, dilation: 2, groups: 4) == [4, 5, 5])
        #expect(try Conv1d.outputShape(input: [2, 4, 10], inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, padding: 1,
                                       dilation: 2, groups: 2) == [2, 6, 4])
        #expect(try ConvTranspose2d.outputShape(input: [2, 8, 8, 8], inChannels: 8, outChannels: 4, kernelSize: 3, stride: 2,
                                                padding: 1, outputPadding: 1) == [2, 4, 16, 16])
        #expect(try AvgPool2d.outputShape(input: [1, 2, 9, 9], kernelSize: 3, stride: 2, padding: 1) == [1, 2, 5, 5])
        #expect(try AdaptiveAvgPool2d.outputShape(input: [2, 16, 7, 7], outputSize: 1) == [2, 16, 1, 1])
        #expect(try Upsample.outputShape(input: [1, 3, 8, 8], scaleFactor: 2) == [1, 3, 16, 16])
        #expect(try GroupNorm.outputShape(input: [2, 6, 3, 3], numGroups: 3, numChannels: 6) == [2, 6, 3, 3])
    }

    @Test func shapeRulesThrowPyTorchsMessages() {
        #expect(throws: TensorError("Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 4, 16, 16] to have 3 channels, but got 4 channels instead")) {
            try Conv2d.outputShape(input: [2, 4, 16, 16], inChannels: 3, outChannels: 8, kernelSize: 3)
        }
        #expect(throws: TensorError("Given groups=2, weight of size [8, 2, 3, 3], expected input[2, 6, 16, 16] to have 4 channels, but got 6 channels instead")) {
            try Conv2d(4, 8, kernelSize: 3, groups: 2).check(Tensor.zeros([2, 6, 16, 16]))
        }
        #expect(throws: TensorError("Calculated padded input size per channel: (5 x 5). Kernel size: (7 x 7). Kernel size can't be greater than actual input size")) {
            try Conv2d.outputShape(input: [2, 4, 5, 5], inChannels: 4, outChannels: 8, kernelSize: 3, dilation: 3)
        }
        #expect(throws: TensorError("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [2, 4, 5, 5]")) {
            try Conv1d(4, 8, kernelSize: 3).check(Tensor.zeros([2, 4, 5, 5]))
        }
        #expect(throws: TensorError("Calculated padded input size per channel: (5). Kernel size: (7). Kernel size can't be greater than actual input size")) {
            try Conv1d.outputShape(input: [2, 4, 5], inChannels: 4, outChannels: 8, kernelSize: 3, dilation: 3)
        }
        #expect(throws: TensorError("Given groups=1, weight of size [8, 4, 3], expected input[2, 3, 5] to have 4 channels, but got 3 channels instead")) {
            try checkConv1d(Tensor.zeros([2, 3, 5]), Tensor.zeros([8, 4, 3]))
        }
        #expect(throws: TensorError("Given transposed=1, weight of size [4, 4, 3, 3], expected input[2, 3, 5, 5] to have 4 channels, but got 3 channels instead")) {
            try ConvTranspose2d(4, 8, kernelSize: 3, groups: 2).check(Tensor.zeros([2, 3, 5, 5]))
        }
        #expect(throws: TensorError("output padding must be smaller than either stride or dilation, but got output_padding_height: 2 output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1")) {
            try ConvTranspose2d.outputShape(input: [1, 4, 3, 3], inChannels: 4, outChannels: 8, kernelSize: 3, stride: 2, outputPadding: 2)
        }
        #expect(throws: TensorError("Given input size: (4x2x2). Calculated output size: (4x0x0). Output size is too small")) {
            try AvgPool2d(3).check(Tensor.zeros([2, 4, 2, 2]))
        }
        #expect(throws: TensorError("pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1")) {
            try AvgPool2d.outputShape(input: [2, 4, 5, 5], kernelSize: 3, padding: 2)
        }
        #expect(throws: TensorError("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [4, 5]")) {
            try AdaptiveAvgPool2d(3).check(Tensor.zeros([4, 5]))
        }
        #expect(throws: TensorError("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 4, 0, 5] with dimension 2 being empty")) {
            try AdaptiveAvgPool2d.outputShape(input: [1, 4, 0, 5], outputSize: 3)
        }
        #expect(throws: TensorError("Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got nearest)")) {
            try Upsample(scaleFactor: 2).check(Tensor.zeros([4, 5]))
        }
        #expect(throws: TensorError("Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [4] and input of shape [2, 6, 3, 3]")) {
            try GroupNorm(2, 4).check(Tensor.zeros([2, 6, 3, 3]))
        }
        #expect(throws: TensorError("Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6, 3, 3] and num_groups=4")) {
            try checkGroupNorm(Tensor.zeros([2, 6, 3, 3]), numGroups: 4)
        }
        #expect(throws: TensorError("Expected at least 2 dimensions for input tensor but received 1")) {
            try GroupNorm.outputShape(input: [4], numGroups: 2, numChannels: 4)
        }
    }

    @Test func transposedConvolutionInitialisesWithPyTorchsFanIn() {
        // fan_in of a transposed weight (in × out/groups × kh × kw) is out/groups·kh·kw = 3·9: bounds ±1/√27.
        let conv = ConvTranspose2d(4, 6, kernelSize: 3, groups: 2, generator: Generator(seed: 0))
        #expect(conv.weight!.shape == [4, 3, 3, 3])
        let bound = 1 / 27.0.squareRoot()
        #expect(conv.weight!.scalars.allSatisfy { abs($0) <= bound } && conv.weight!.scalars.contains { abs($0) > 0.9 * bound })
        #expect(conv.bias!.scalars.allSatisfy { abs($0) <= bound })
    }

    @Test func integerAveragePoolingTruncatesAsPyTorch() {
        let x = Tensor(shape: [1, 1, 2, 4], values: [1, 2, 3, 4, -5, -6, 7, 9], dtype: .int64)
        let y = avgPool2d(x, kernelSize: 2)
        #expect(y.dtype == .int64)
        #expect(y.scalars == [-2, 5])    // (1 + 2 − 5 − 6) / 4 = −2, (3 + 4 + 7 + 9) / 4 = 5 (truncated)
    }
}
