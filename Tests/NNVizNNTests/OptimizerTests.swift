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
