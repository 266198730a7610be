import Testing
@testable import NNVizNN
import NNVizCore

/// The static shape rules give the shapes the modules produce and the errors their checks throw.
struct ShapeRuleTests {
    func message(_ body: () throws -> [Int]) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test func rulesAgreeWithTheModules() throws {
        manualSeed(0)
        let cases: [(Module, [Int], [Int])] = [
            (Linear(3, 2), [4, 5, 3], try Linear.outputShape(input: [4, 5, 3], inFeatures: 3, outFeatures: 2)),
            (Conv2d(2, 4, kernelSize: [3, 1], stride: [2, 1], padding: 1, dilation: [1, 2]), [2, 2, 9, 7],
             try Conv2d.outputShape(input: [2, 2, 9, 7], inChannels: 2, outChannels: 4, kernelSize: [3, 1], stride: [2, 1],
                                    padding: 1, dilation: [1, 2])),
            (MaxPool2d(3, stride: 2, padding: 1, ceilMode: true), [1, 2, 8, 7],
             try MaxPool2d.outputShape(input: [1, 2, 8, 7], kernelSize: 3, stride: 2, padding: 1, ceilMode: true)),
            (Flatten(startDim: 1, endDim: 2), [2, 3, 4, 5], try Flatten.outputShape(input: [2, 3, 4, 5], startDim: 1, endDim: 2)),
            (RNN(3, 5, batchFirst: true), [4, 7, 3], try RNN.outputShape(input: [4, 7, 3], inputSize: 3, hiddenSize: 5, batchFirst: true)),
            (LSTM(3, 5), [7, 3], try LSTM.outputShape(input: [7, 3], inputSize: 3, hiddenSize: 5)),
            (BatchNorm2d(2), [2, 2, 3, 3], try BatchNorm2d.outputShape(input: [2, 2, 3, 3], numFeatures: 2, training: true)),
            (Softmax2d(), [3, 2, 2], try Softmax2d.outputShape(input: [3, 2, 2])),
        ]
        for (module, input, shape) in cases {
            let output = module is RNN ? (module as! RNN).forward(Tensor.randn(input)) : module(Tensor.randn(input))
            #expect(output.shape == shape, "\(module)")
        }
        #expect(try Linear.outputShape(input: [4, 5, 3], inFeatures: 3, outFeatures: 2) == [4, 5, 2])
        #expect(try Conv2d.outputShape(input: [2, 2, 9, 7], inChannels: 2, outChannels: 4, kernelSize: [3, 1], stride: [2, 1],
                                       padding: 1, dilation: [1, 2]) == [2, 4, 5, 9])
        #expect(try Embedding.outputShape(input: [2, 4], numEmbeddings: 10, embeddingDim: 3) == [2, 4, 3])
    }

    @Test func rulesThrowPyTorchsMessages() {
        #expect(message { try Linear.outputShape(input: [2, 4], inFeatures: 3, outFeatures: 2) }
                == "mat1 and mat2 shapes cannot be multiplied (2x4 and 3x2)")
        #expect(message { try Conv2d.outputShape(input: [1, 3, 2, 2], inChannels: 3, outChannels: 1, kernelSize: 3) }
                == "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size")
        #expect(message { try MaxPool2d.outputShape(input: [1, 1, 4, 4], kernelSize: 2, padding: 2) }
                == "pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1")
        #expect(message { try BatchNorm1d.outputShape(input: [4, 3, 2, 1], numFeatures: 3, training: true) }
                == "expected 2D or 3D input (got 4D input)")
        #expect(message { try BatchNorm2d.outputShape(input: [4, 3, 2, 2], numFeatures: 2, training: false) }
                == "running_mean should contain 3 elements not 2")
        #expect(message { try RNN.outputShape(input: [2, 3, 4, 5], inputSize: 5, hiddenSize: 2) }
                == "RNN: Expected input to be 2D or 3D, got 4D tensor instead")
        #expect(message { try Softmax.outputShape(input: [2, 3], dim: 2) }
                == "Dimension out of range (expected to be in range of [-2, 1], but got 2)")
        #expect(message { try PReLU.outputShape(input: [2, 4], numParameters: 3) }
                == "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4.")
        #expect(message { try Flatten.outputShape(input: [2, 3], startDim: 1, endDim: 0) }
                == "flatten() has invalid args: start_dim cannot come after end_dim")
    }
}
