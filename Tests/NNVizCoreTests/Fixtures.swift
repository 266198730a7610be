import Foundation
@testable import NNVizCore

/// Reads a JSON fixture made by Tests/tools/make_fixtures.py from PyTorch.
func fixture(_ name: String) throws -> [String: Any] {
    let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name).json")
    let data = try Data(contentsOf: url)
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

func doubles(_ any: Any?) -> [Double] {
    if let n = any as? NSNumber { return [n.doubleValue] }
    guard let list = any as? [Any] else { return [] }
    return list.flatMap { doubles($0) }
}

/// A float32 tensor from a fixture's `{"shape": [...], "data": [...]}`.
func fixtureTensor(_ any: Any?, requiresGrad: Bool = false) -> Tensor {
    let dict = any as! [String: Any]
    return Tensor(shape: (dict["shape"] as! [Int]), values: doubles(dict["data"]), requiresGrad: requiresGrad)
}

/// Largest elementwise difference relative to max(1, |expected|).
func maxRelativeError(_ actual: [Double], _ expected: [Double]) -> Double {
    guard actual.count == expected.count else { return .infinity }
    return zip(actual, expected).map { a, e in
        if a.isNaN && e.isNaN { return 0 }
        if a == e { return 0 }
        return abs(a - e) / max(1, abs(e))
    }.max() ?? 0
}

/// How a saved value prints in torchviz's attribute table.
func torchvizText(_ value: SavedValue.Value) -> String {
    switch value {
    case .tensor: return "[saved tensor]"
    case .tensors: return "[saved tensors]"
    case .attribute(let text): return text
    }
}
