import Foundation
import Testing
@testable import NNVizCore

/// Every op of Tests/NNVizCoreTests/Fixtures/ops.json, rebuilt in Swift: forward values, input
/// gradients, the grad_fn names along the graph and the saved attributes torchviz would show.
struct OpsFixtureTests {
    typealias Inputs = [String: Tensor]

    static let ops: [String: (Inputs) -> Tensor] = [
        "add_broadcast": { $0["A"]! + $0["b"]! },
        "add_scalar_right": { $0["A"]! + 2.5 },
        "add_scalar_left": { 2.5 + $0["A"]! },
        "sub_broadcast": { $0["A"]! - $0["b"]! },
        "sub_scalar_right": { $0["A"]! - 2.5 },
        "sub_scalar_left": { 2.5 - $0["A"]! },
        "mul_outer_broadcast": { $0["c"]! * $0["d"]! },
        "mul_same_shape": { $0["A"]! * $0["A2"]! },
        "mul_scalar_right": { $0["A"]! * 3.0 },
        "mul_scalar_left": { 3.0 * $0["A"]! },
        "div_broadcast": { $0["A"]! / $0["b"]! },
        "div_scalar_right": { $0["A"]! / 2.0 },
        "div_scalar_left": { 2.0 / $0["P"]! },
        "neg": { -$0["A"]! },
        "pow_2": { $0["A"]!.pow(2) },
        "pow_0.5": { $0["P"]!.pow(0.5) },
        "pow_m1": { $0["P"]!.pow(-1) },
        "pow_tensor": { $0["P"]!.pow($0["E"]!) },
        "pow_scalar_base": { Tensor.pow(base: 2.0, $0["A"]!) },
        "exp": { $0["A"]!.exp() },
        "log": { $0["P"]!.log() },
        "sqrt": { $0["P"]!.sqrt() },
        "abs": { $0["A"]!.abs() },
        "sin": { $0["A"]!.sin() },
        "cos": { $0["A"]!.cos() },
        "tanh": { $0["A"]!.tanh() },
        "sigmoid": { $0["A"]!.sigmoid() },
        "relu": { $0["A"]!.relu() },
        "clamp": { $0["A"]!.clamp(min: -0.5, max: 1.0) },
        "clamp_min": { $0["A"]!.clamp(min: 0.4) },
        "matmul_2d": { $0["A"]!.matmul($0["M"]!) },
        "matmul_1d_2d": { $0["b"]!.matmul($0["M"]!) },
        "matmul_2d_1d": { $0["M"]!.matmul($0["v"]!) },
        "matmul_batched": { $0["B"]!.matmul($0["C"]!) },
        "mm": { $0["A"]!.mm($0["M"]!) },
        "addmm": { addmm($0["bias4"]!, $0["A"]!, $0["M"]!) },
        "t": { $0["A"]!.t() },
        "transpose": { $0["B"]!.transpose(0, 2) },
        "permute": { $0["B"]!.permute([2, 0, 1]) },
        "view": { $0["A"]!.view([3, -1]) },
        "reshape": { $0["B"]!.reshape([-1, 4]) },
        "reshape_flat": { $0["A"]!.reshape([-1]) },
        "squeeze": { $0["S"]!.squeeze() },
        "squeeze_dim": { $0["S"]!.squeeze(0) },
        "unsqueeze": { $0["A"]!.unsqueeze(1) },
        "cat_dim0": { Tensor.cat([$0["A"]!, $0["A2"]!], dim: 0) },
        "cat_dim1": { Tensor.cat([$0["A"]!, $0["A2"]!], dim: 1) },
        "stack_dim0": { Tensor.stack([$0["A"]!, $0["A2"]!]) },
        "stack_dim1": { Tensor.stack([$0["A"]!, $0["A2"]!], dim: 1) },
        "sum": { $0["A"]!.sum() },
        "sum_dim1": { $0["A"]!.sum(dim: 1) },
        "sum_dim0_keepdim": { $0["A"]!.sum(dim: 0, keepdim: true) },
        "mean": { $0["A"]!.mean() },
        "mean_dim1": { $0["A"]!.mean(dim: 1) },
        "mean_dim0_keepdim": { $0["A"]!.mean(dim: 0, keepdim: true) },
        "max": { $0["A"]!.max() },
        "max_dim1": { $0["A"]!.max(dim: 1).values },
        "max_dim0_keepdim": { $0["A"]!.max(dim: 0, keepdim: true).values },
        "min": { $0["A"]!.min() },
        "min_dim1": { $0["A"]!.min(dim: 1).values },
        "min_dim0_keepdim": { $0["A"]!.min(dim: 0, keepdim: true).values },
        "argmax": { $0["X"]!.argmax() },
        "argmax_dim1": { $0["X"]!.argmax(dim: 1) },
        "index_row": { $0["X"]![0] },
        "index_element": { $0["X"]![0, 2] },
        "index_column": { $0["X"]![TensorIndex.all, 0] },
        "index_slice_column": { $0["X"]![1..<3, 0] },
        "masked_fill": { $0["X"]!.maskedFill($0["X"]! > 0.5, -1.0) },
        "index_put_mask": { inputs in
            let y = inputs["X"]! * 1.0
            y[mask: y > 0.5] = Tensor(7.0)
            return y
        },
        "sum_of_square_parallel": { $0["x1"]! * $0["x1"]! },
    ]

    static let cases: [[String: Any]] = (try? fixture("ops")["cases"] as? [[String: Any]]) ?? []

    @Test func everyFixtureCaseHasASwiftTwin() {
        #expect(Self.cases.count == 70)
        let missing = Self.cases.map { $0["name"] as! String }.filter { Self.ops[$0] == nil }
        #expect(missing.isEmpty, "no Swift op for \(missing)")
    }

    @Test(arguments: cases.map { $0["name"] as! String })
    func matchesPyTorch(_ name: String) throws {
        let spec = Self.cases.first { $0["name"] as! String == name }!
        guard let op = Self.ops[name] else { return }
        var inputs: Inputs = [:]
        var order: [String] = []
        for input in spec["inputs"] as! [[String: Any]] {
            let inputName = input["name"] as! String
            inputs[inputName] = fixtureTensor(input, requiresGrad: spec["grad_fns"] != nil)
            order.append(inputName)
        }
        let out = op(inputs)
        let expected = spec["output"] as! [String: Any]
        #expect(out.shape == expected["shape"] as! [Int])
        #expect(maxRelativeError(out.scalars, doubles(expected["data"])) < 2e-6, "\(name) forward")

        guard let names = spec["grad_fns"] as? [String] else { return }
        #expect(GraphWalk.nodes(from: [out.gradFn!]).map(\.name) == names)
        let saved = (spec["saved"] as! [[String: Any]]).map { "\($0["name"]!)=\($0["value"]!)" }
        #expect(out.gradFn!.saved.map { "\($0.name)=\(torchvizText($0.value))" } == saved)

        if let upstream = spec["upstream_grad"] as? [String: Any] {
            out.backward(gradient: fixtureTensor(upstream))
        } else {
            out.backward()
        }
        for grad in spec["input_grads"] as? [[String: Any]] ?? [] {
            let inputName = grad["name"] as! String
            let actual = try #require(inputs[inputName]?.grad, "\(name): no grad for \(inputName)")
            #expect(actual.shape == grad["shape"] as! [Int])
            #expect(maxRelativeError(actual.scalars, doubles(grad["data"])) < 2e-6, "\(name) grad of \(inputName)")
        }
    }
}
