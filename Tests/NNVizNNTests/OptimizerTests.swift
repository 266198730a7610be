import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// Optimizer trajectories and scheduler learning rates against PyTorch (optimizers.json).
struct OptimizerTests {
    // MARK: - Fixture

    struct Run {
        let name: String
        let optimizer: String
        let kwargs: [String: Any]
        let losses: [Float]
        let parametersAfterStep: [Int: [[Float]]]
        let finalParameters: [[Float]]
        let finalLoss: Float
        let lrChange: (beforeStep: Int, lr: Double)?
    }

    struct Fixture {
        let x: Tensor
        let y: Tensor
        let initialParameters: [Tensor]
        let runs: [String: Run]
        let schedulers: [[String: Any]]
    }

    static let fixture: Fixture = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/optimizers.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func tensor(_ object: Any) -> Tensor {
            let t = object as! [String: Any]
            return Tensor(shape: t["shape"] as! [Int], floats: floats(t["data"]!))
        }
        func floats(_ object: Any) -> [Float] { (object as! [Double]).map { Float($0) } }
        func parameters(_ object: Any) -> [[Float]] {
            (object as! [[String: Any]]).map { tensor($0["value"]!).floats }
        }
        let problem = root["problem"] as! [String: Any]
        var runs: [String: Run] = [:]
        for r in root["runs"] as! [[String: Any]] {
            let after = r["parameters_after_step"] as! [String: Any]
            let change = (r["lr_change"] as? [String: Any]).map { ($0["before_step"] as! Int, $0["lr"] as! Double) }
            let run = Run(name: r["name"] as! String, optimizer: r["optimizer"] as! String,
                          kwargs: r["kwargs"] as! [String: Any], losses: floats(r["losses"]!),
                          parametersAfterStep: Dictionary(uniqueKeysWithValues: after.map { (Int($0.key)!, parameters($0.value)) }),
                          finalParameters: parameters(r["final_parameters"]!),
                          finalLoss: Float(r["final_loss"] as! Double), lrChange: change)
            runs[run.name] = run
        }
        return Fixture(x: tensor(problem["x"]!), y: tensor(problem["y"]!),
                       initialParameters: (problem["initial_parameters"] as! [[String: Any]]).map { tensor($0["value"]!) },
                       runs: runs, schedulers: root["schedulers"] as! [[String: Any]])
    }()

    // MARK: - Helpers

    /// A Linear(3, 2) holding the fixture's initial parameters (initialised from a private generator so
    /// that suites seeding the default one in parallel are not disturbed).
    static func makeModel() -> Linear {
        let fc = Linear(3, 2, generator: Generator(seed: 0))
        fc.weight = Parameter(fixture.initialParameters[0].copy())
        fc.bias = Parameter(fixture.initialParameters[1].copy())
        return fc
    }

    static func loss(_ model: Linear) -> Tensor {
        (model(fixture.x) - fixture.y).pow(2).mean()
    }

    /// `|a − b| ≤ tolerance · max(|b|, 1e-3)` elementwise.
    static func close(_ a: [Float], _ b: [Float], relative tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(abs($1), 1e-3) }
    }

    /// Runs the fixture's 20 steps with `optimizer` built on the model and checks every recorded value.
    static func check(_ name: String, _ makeOptimizer: ([Tensor]) -> Optimizer) {
        let run = fixture.runs[name]!
        let model = makeModel()
        let weight = model.weight!, bias = model.bias!
        let opt = makeOptimizer(model.parameters())
        for step in 1...20 {
            if let change = run.lrChange, change.beforeStep == step { opt.lr = change.lr }
            opt.zeroGrad()
            let loss = loss(model)
            loss.backward()
            opt.step()
            #expect(close([loss.floats[0]], [run.losses[step - 1]]), "\(name) loss at step \(step)")
            if let expected = run.parametersAfterStep[step] {
                #expect(close(weight.floats, expected[0]), "\(name) weight after step \(step)")
                #expect(close(bias.floats, expected[1]), "\(name) bias after step \(step)")
            }
        }
        #expect(model.weight! === weight && model.bias! === bias)
        #expect(close(weight.floats, run.finalParameters[0]), "\(name) final weight")
        #expect(close(bias.floats, run.finalParameters[1]), "\(name) final bias")
        #expect(close([loss(model).floats[0]], [run.finalLoss]), "\(name) final loss")
    }

    // MARK: - SGD

    @Test func sgd() {
        Self.check("sgd") { SGD($0, lr: 0.05) }
        Self.check("sgd_momentum") { SGD($0, lr: 0.05, momentum: 0.9) }
        Self.check("sgd_momentum_dampening") { SGD($0, lr: 0.05, momentum: 0.9, dampening: 0.1) }
        Self.check("sgd_nesterov") { SGD($0, lr: 0.05, momentum: 0.8, nesterov: true) }
        Self.check("sgd_weight_decay") { SGD($0, lr: 0.05, weightDecay: 0.01) }
        Self.check("sgd_momentum_lr_change") { SGD($0, lr: 0.05, momentum: 0.9) }
    }

    // MARK: - Adam

    @Test func adam() {
        Self.check("adam") { Adam($0, lr: 0.1) }
        Self.check("adam_amsgrad") { Adam($0, lr: 0.1, amsgrad: true) }
        Self.check("adam_weight_decay") { Adam($0, lr: 0.1, weightDecay: 0.1) }
        Self.check("adamw") { AdamW($0, lr: 0.1) }
        Self.check("adamw_amsgrad") { AdamW($0, lr: 0.1, amsgrad: true) }
        Self.check("adam_lr_change") { Adam($0, lr: 0.1) }
    }

    // MARK: - RMSprop, Adagrad, Adadelta

    @Test func rmsprop() {
        Self.check("rmsprop") { RMSprop($0, lr: 0.01) }
        Self.check("rmsprop_centered") { RMSprop($0, lr: 0.01, centered: true) }
        Self.check("rmsprop_momentum") { RMSprop($0, lr: 0.01, momentum: 0.5) }
    }

    @Test func adagrad() {
        Self.check("adagrad") { Adagrad($0, lr: 0.1) }
        Self.check("adagrad_lr_decay") { Adagrad($0, lr: 0.1, lrDecay: 0.01) }
    }

    @Test func adadelta() {
        Self.check("adadelta") { Adadelta($0) }
        Self.check("adadelta_lr1") { Adadelta($0, lr: 1.0) }
        Self.check("adadelta_rho") { Adadelta($0, lr: 0.5, rho: 0.8, weightDecay: 0.01) }
    }

    // MARK: - One step from PyTorch's own gradient

    /// The gradient PyTorch computes at the initial parameters (`nn.MSELoss()(model(x), y).backward()`).
    static let pytorchWeightGrad: [Float] = [-1.037500023841858, -1.2937500476837158, 0.7437500953674316,
                                             0.6875, 2.500000238418579, -3.012500286102295].map { Float($0) }
    static let pytorchBiasGrad: [Float] = [-0.2499999850988388, -0.8999999761581421].map { Float($0) }

    /// Units in the last place between `a` and `b`, elementwise, largest.
    static func ulps(_ a: [Float], _ b: [Float]) -> Int {
        zip(a, b).map { abs(Int($0.bitPattern) - Int($1.bitPattern)) }.max() ?? 0
    }

    @Test func oneStepFromPyTorchsGradientMatchesBitForBit() {
        // Where PyTorch's sqrt (MKL, vectorised) is one ulp off the correctly rounded root, one ulp remains.
        let cases: [(String, Int, ([Tensor]) -> Optimizer)] = [
            ("sgd", 0, { SGD($0, lr: 0.05) }),
            ("sgd_momentum_dampening", 0, { SGD($0, lr: 0.05, momentum: 0.9, dampening: 0.1) }),
            ("sgd_nesterov", 0, { SGD($0, lr: 0.05, momentum: 0.8, nesterov: true) }),
            ("sgd_weight_decay", 0, { SGD($0, lr: 0.05, weightDecay: 0.01) }),
            ("adam", 0, { Adam($0, lr: 0.1) }),
            ("adam_amsgrad", 0, { Adam($0, lr: 0.1, amsgrad: true) }),
            ("adam_weight_decay", 1, { Adam($0, lr: 0.1, weightDecay: 0.1) }),
            ("adamw", 0, { AdamW($0, lr: 0.1) }),
            ("rmsprop", 1, { RMSprop($0, lr: 0.01) }),
            ("rmsprop_centered", 0, { RMSprop($0, lr: 0.01, centered: true) }),
            ("rmsprop_momentum", 1, { RMSprop($0, lr: 0.01, momentum: 0.5) }),
            ("adagrad", 0, { Adagrad($0, lr: 0.1) }),
            ("adagrad_lr_decay", 0, { Adagrad($0, lr: 0.1, lrDecay: 0.01) }),
            ("adadelta", 0, { Adadelta($0) }),
            ("adadelta_rho", 0, { Adadelta($0, lr: 0.5, rho: 0.8, weightDecay: 0.01) }),
        ]
        for (name, allowed, make) in cases {
            let weight = Parameter(Self.fixture.initialParameters[0].copy())
            let bias = Parameter(Self.fixture.initialParameters[1].copy())
            weight.grad = Tensor(shape: [2, 3], floats: Self.pytorchWeightGrad)
            bias.grad = Tensor(shape: [2], floats: Self.pytorchBiasGrad)
            make([weight, bias]).step()
            let expected = Self.fixture.runs[name]!.parametersAfterStep[1]!
            #expect(Self.ulps(weight.floats + bias.floats, expected[0] + expected[1]) <= allowed, "\(name)")
        }
    }

    // MARK: - API

    /// Two parameters with gradients [1, -2] and [0.5].
    static func twoParameters() -> (Tensor, Tensor) {
        let a = Parameter(Tensor([1.0, 2.0])), b = Parameter(Tensor([3.0]))
        a.grad = Tensor([1.0, -2.0])
        b.grad = Tensor([0.5])
        return (a, b)
    }

    @Test func stateUsesPyTorchsNames() {
        let (a, b) = Self.twoParameters()
        let sgd = SGD([a, b], lr: 0.1, momentum: 0.9)
        #expect(sgd.state(for: a).isEmpty)
        sgd.step()
        #expect(sgd.state(for: a)["momentum_buffer"]!.floats == [1, -2])
        #expect(Set(sgd.state(for: b).keys) == ["momentum_buffer"])

        let (c, d) = Self.twoParameters()
        let adam = Adam([c, d], lr: 0.1, amsgrad: true)
        adam.step()
        adam.step()
        let state = adam.state(for: c)
        #expect(Set(state.keys) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        #expect(state["step"]!.shape == [] && state["step"]!.item() == 2)
        // exp_avg = lerp(lerp(0, g, 0.1), g, 0.1) = 0.19·g, in float32.
        #expect(Self.close(state["exp_avg"]!.floats, [0.19, -0.38], relative: 1e-6))
        #expect(Self.close(state["max_exp_avg_sq"]!.floats, state["exp_avg_sq"]!.floats, relative: 0))

        let (e, f) = Self.twoParameters()
        let adagrad = Adagrad([e, f], initialAccumulatorValue: 0.25)
        #expect(adagrad.state(for: f)["sum"]!.floats == [0.25])
        #expect(adagrad.state(for: f)["step"]!.item() == 0)
        #expect(Set(RMSprop([e], momentum: 0.5, centered: true).stepped(e).keys) == ["step", "square_avg", "momentum_buffer", "grad_avg"])
        #expect(Set(Adadelta([e]).stepped(e).keys) == ["step", "square_avg", "acc_delta"])
    }

    @Test func parametersWithoutGradientsAreLeftAlone() {
        let (a, b) = Self.twoParameters()
        b.grad = nil
        let opt = Adam([a, b], lr: 0.1)
        opt.step()
        #expect(b.floats == [3])
        #expect(opt.state(for: b).isEmpty)
        #expect(a.floats != [1, 2] && opt.state(for: a)["step"]!.item() == 1)
    }

    @Test func stepKeepsIdentityAndRecordsNoGraph() {
        let (a, _) = Self.twoParameters()
        let opt = SGD([a], lr: 0.5)
        opt.step()
        #expect(opt.paramGroups[0].params[0] === a)
        #expect(a.floats == [0.5, 3])
        #expect(a.isLeaf && a.requiresGrad && a.gradFn == nil)
    }

    @Test func zeroGradClearsOrZeroesInPlace() {
        let (a, b) = Self.twoParameters()
        let opt = SGD([a, b])
        let grad = a.grad!
        opt.zeroGrad(setToNone: false)
        #expect(a.grad === grad && grad.floats == [0, 0] && b.grad!.floats == [0])
        opt.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
    }

    @Test func maximizeClimbsTheGradient() {
        let (a, _) = Self.twoParameters()
        SGD([a], lr: 0.5, maximize: true).step()
        #expect(a.floats == [1.5, 1])
    }

    @Test func groupsKeepTheirOwnLearningRates() {
        let (a, b) = Self.twoParameters()
        let opt = SGD([a], lr: 0.5)
        opt.addParamGroup([b], lr: 2)
        #expect(opt.parameters.count == 2 && opt.paramGroups.map(\.lr) == [0.5, 2])
        opt.step()
        #expect(a.floats == [0.5, 3] && b.floats == [2])
        opt.lr = 0.25
        #expect(opt.paramGroups.map(\.lr) == [0.25, 0.25])
        opt.step()
        #expect(a.floats == [0.25, 3.5] && b.floats == [1.875])
    }

    // MARK: - Schedulers

    @Test func schedulersFollowPyTorchsRecursion() {
        var checked = 0
        for case let entry in Self.fixture.schedulers {
            let kwargs = entry["kwargs"] as! [String: Any]
            let expected = entry["lrs"] as! [Double]
            let opt = SGD([Parameter(Tensor.zeros([1]))], lr: entry["initial_lr"] as! Double)
            let scheduler: LRScheduler
            switch entry["scheduler"] as! String {
            case "StepLR": scheduler = StepLR(opt, stepSize: kwargs["step_size"] as! Int, gamma: kwargs["gamma"] as! Double)
            case "ExponentialLR": scheduler = ExponentialLR(opt, gamma: kwargs["gamma"] as! Double)
            case "CosineAnnealingLR": scheduler = CosineAnnealingLR(opt, tMax: kwargs["T_max"] as! Int, etaMin: kwargs["eta_min"] as! Double)
            default: Issue.record("unknown scheduler \(entry["scheduler"]!)"); continue
            }
            var lrs = [opt.lr]
            for _ in 0..<(entry["epochs"] as! Int) {
                opt.step()
                scheduler.step()
                lrs.append(opt.lr)
                #expect(scheduler.lastLR == [opt.lr])
            }
            #expect(lrs.count == expected.count)
            for (lr, want) in zip(lrs, expected) {
                #expect(abs(lr - want) <= 1e-12 * abs(want), "\(entry["name"]!): \(lr) vs \(want)")
            }
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func cosineAnnealingDriftsAsPyTorchDoes() {
        let opt = SGD([Parameter(Tensor.zeros([1]))], lr: 0.1)
        let scheduler = CosineAnnealingLR(opt, tMax: 10, etaMin: 0.001)
        for _ in 0..<15 { scheduler.step() }
        #expect(opt.lr == 0.05050000000000022)
        #expect(scheduler.baseLRs == [0.1] && scheduler.lastEpoch == 15)
    }
}

extension Optimizer {
    /// The state of `parameter` after one step.
    fileprivate func stepped(_ parameter: Tensor) -> [String: Tensor] {
        step()
        return state(for: parameter)
    }
}
