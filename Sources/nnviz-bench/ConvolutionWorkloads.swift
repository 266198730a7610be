import NNViz

/// Convolutional training: two ResNet basic blocks, built and trained inside the timed body.
let convolutionWorkloads: [Workload] = [
    // 100 SGD steps (lr 0.01) of two basic blocks with 16 channels (conv3x3-bn-relu-conv3x3-bn + identity,
    // relu) on an 8 × 16 × 16 × 16 input, MSE against a fixed target. The PyTorch twin is
    // Tests/tools/bench_resnet_block.py.
    Workload(name: "resnet_block_train_100", repeats: 5) {
        manualSeed(0)
        let x = Tensor.randn([8, 16, 16, 16]), target = Tensor.randn([8, 16, 16, 16])
        return {
            let model = withManualSeed(1) { Sequential(BasicBlock(16), BasicBlock(16)) }
            let optimizer = SGD(model.parameters(), lr: 0.01)
            let criterion = MSELoss()
            var last = Double.nan
            for _ in 0..<100 {
                optimizer.zeroGrad()
                let loss = criterion(model(x), target)
                loss.backward()
                optimizer.step()
                last = loss.item()
            }
            precondition(last.isFinite && last < 2)
        }
    },
]

/// ResNet's basic block without downsampling: relu(bn2(conv2(relu(bn1(conv1(x))))) + x).
private final class BasicBlock: Module {
    let conv1: Conv2d, bn1: BatchNorm2d, relu = ReLU(), conv2: Conv2d, bn2: BatchNorm2d

    init(_ channels: Int) {
        conv1 = Conv2d(channels, channels, kernelSize: 3, padding: 1, bias: false)
        bn1 = BatchNorm2d(channels)
        conv2 = Conv2d(channels, channels, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2d(channels)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        relu(bn2(conv2(relu(bn1(conv1(x))))) + x)
    }
}
