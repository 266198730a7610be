import Foundation
import Testing
@testable import NNVizCore

/// The seed tutorials' numbers and the engine's guarantees.
struct AutogradTests {
    /// torch.manual_seed(1); fc1 = Linear(3, 2); fc2 = Linear(2, 1): initialised as PyTorch does
    /// (weight then bias, each uniform(±1/√fan_in)).
    func linear(_ inFeatures: Int, _ outFeatures: Int) -> (weight: Tensor, bias: Tensor) {
        let bound = 1 / Double(inFeatures).squareRoot()
        let w = Tensor.zeros([outFeatures, inFeatures]), b = Tensor.zeros([outFeatures])
        w.uniform_(-bound, bound)
        b.uniform_(-bound, bound)
        return (w.requiresGrad_(), b.requiresGrad_())
    }

    @Test func seedTutorialNetworkReproducesPyTorch() throws {
        let (fc1, fc2) = withManualSeed(1) { (linear(3, 2), linear(2, 1)) }
        #expect(maxRelativeError(fc1.weight.scalars, [0.2974873483181, -0.2548298239707947, -0.11192598193883896,
                                                     0.2709902822971344, -0.5435388088226318, 0.3462469279766083]) < 1e-7)
        #expect(maxRelativeError(fc1.bias.scalars, [-0.11877556145191193, 0.2937234044075012]) < 1e-7)
        let x = Tensor([[1.0, 2.0, 3.0]])
        let u = addmm(fc1.bias, x, fc1.weight.t())
        let z = u.relu()
        let y = addmm(fc2.bias, z, fc2.weight.t())
        let loss = (Tensor([[1.0]]) - y).pow(2).mean()
        #expect(abs(y.item() - 0.15141531825065613) < 1e-7)
        #expect(abs(loss.item() - 0.7200959324836731) < 1e-7)
        loss.backward()
        #expect(maxRelativeError(fc1.weight.grad!.scalars, [0, 0, 0, 0.14694276452064514, 0.2938855290412903, 0.4408282935619354]) < 1e-6)
        #expect(maxRelativeError(fc1.bias.grad!.scalars, [0, 0.14694276452064514]) < 1e-6)
        #expect(maxRelativeError(fc2.weight.grad!.scalars, [0, -0.8763788342475891]) < 1e-6)
        #expect(maxRelativeError(fc2.bias.grad!.scalars, [-1.697169303894043]) < 1e-6)
        #expect(y.description == "tensor([[0.1514]], grad_fn=<AddmmBackward0>)")
        #expect(u.gradFn!.nextFunctions.map { $0?.name } == ["AccumulateGrad", nil, "TBackward0"])
    }

    @Test func tanhNeuron() {
        let w = Tensor([[0.6, -0.2]], requiresGrad: true), b = Tensor([0.8], requiresGrad: true)
        let y = addmm(b, Tensor([[1.0, 2.0]]), w.t()).tanh()
        #expect(y.description == "tensor([[0.7616]], grad_fn=<TanhBackward0>)")
        let loss = (y - Tensor([[1.0]])).pow(2).mean()
        loss.backward()
        #expect(maxRelativeError(w.grad!.scalars, [-0.20024864375591278, -0.40049728751182556]) < 1e-6)
        #expect(maxRelativeError(b.grad!.scalars, [-0.20024864375591278]) < 1e-6)
    }

    @Test func derivativesOfTheTutorials() {
        let x = Tensor(1.0, requiresGrad: true)
        x.pow(2).backward()
        #expect(x.grad!.item() == 2)
        let x2 = Tensor(2.0, requiresGrad: true)
        (3 * x2.pow(2)).backward()
        #expect(x2.grad!.item() == 12)
        let x3 = Tensor(Double.pi, requiresGrad: true)
        x3.sin().backward()
        #expect(abs(x3.grad!.item() + 1) < 1e-7)
    }

    @Test func gradientsAccumulateAcrossCalls() {
        let x = Tensor([1.0, 2.0], requiresGrad: true)
        (x * x).sum().backward()
        (x * x).sum().backward()
        #expect(x.grad!.scalars == [4, 8])
    }

    @Test func retainGraphAllowsASecondBackward() {
        let x = Tensor([3.0], requiresGrad: true)
        let y = (x * x).sum()
        y.backward(retainGraph: true)
        y.backward()
        #expect(x.grad!.scalars == [12])
        #expect(y.gradFn!.isReleased)
        #expect(y.gradFn!.saved.map(\.name) == ["self_sym_sizes"])  // metadata survives release
    }

    @Test func backwardTwiceWithoutRetainingStops() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor([3.0], requiresGrad: true)
            let y = (x * x).sum()
            y.backward()
            y.backward()
        }
    }

    @Test func matmulShapeMismatchNamesBothShapes() throws {
        let a = Tensor.ones([2, 3]), b = Tensor.ones([2, 3])
        #expect(throws: TensorError("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)")) {
            try Tensor.checkMatmul(a, b)
        }
        #expect(throws: TensorError("mat1 and mat2 must have the same dtype, but got Long and Float")) {
            try Tensor.checkMatmul(Tensor([[1, 2, 3]]), Tensor.ones([3, 2]))
        }
    }

    @Test func noGradRecordsNothingAndAllowsInPlaceUpdates() {
        let w = Tensor([1.0, 2.0], requiresGrad: true)
        let y = noGrad { w * 2 }
        #expect(y.gradFn == nil && !y.requiresGrad)
        noGrad { w -= Tensor([0.5, 0.5]) }
        #expect(w.scalars == [0.5, 1.5])
        #expect(w.isLeaf && w.requiresGrad)
    }

    @Test func noGradIsScopedToItsTask() async {
        async let inside: Bool = noGrad { () -> Bool in
            Thread.sleep(forTimeInterval: 0.05)
            return isGradEnabled
        }
        async let outside: Bool = { () -> Bool in
            Thread.sleep(forTimeInterval: 0.02)
            return isGradEnabled
        }()
        let (a, b) = await (inside, outside)
        #expect(a == false && b == true)
    }

    @Test func detachCutsTheGraph() {
        let x = Tensor([1.0], requiresGrad: true)
        let y = (x * 2).detach()
        #expect(y.isLeaf && !y.requiresGrad)
    }

    @Test func aMillionOpChainRunsBackwardAndIsFreedWithoutDeepStack() {
        let x = Tensor(1.0, requiresGrad: true)
        var y = x
        for _ in 0..<1_000_000 { y = y * 1.0 }
        y.backward()
        #expect(x.grad!.item() == 1)
        y = x  // drops the whole chain: deinit must iterate
        #expect(GraphWalk.nodes(from: [(x * 2).gradFn!]).count == 2)
    }

    @Test func maskedAssignmentAsInTheCheatSheet() {
        let x = Tensor([100.0, 400.0, 250.0, 500.0])
        x[mask: x > 300] = Tensor(2.0)
        #expect(x.scalars == [100, 2, 250, 2])
    }

    @Test func anomalyModeFindsTheFirstNonFiniteNode() {
        let x = Tensor([1.0, -1.0], requiresGrad: true)
        let loss = AnomalyMode.enabled {
            AnomalyMode.trace("loss") { (x.log() * 2).sum() }
        }
        let bad = AnomalyMode.firstNonFinite(from: loss)
        #expect(bad?.name == "LogBackward0")
        #expect(bad?.creationSite?.hasPrefix("loss at NNVizCoreTests/AutogradTests.swift:") == true)
    }
}
