import Foundation

/// Prints tensors the way PyTorch's `repr` does: `tensor([[0.7616]], grad_fn=<TanhBackward0>)`.
extension Tensor: CustomStringConvertible {
    public var description: String {
        var suffixes: [String] = []
        if dtype == .float64 { suffixes.append("dtype=torch.float64") }
        if dtype == .int64 && count == 0 { suffixes.append("dtype=torch.int64") }
        if let fn = gradFn { suffixes.append("grad_fn=<\(fn.name)>") }
        else if requiresGrad { suffixes.append("requires_grad=True") }
        let body = TensorFormatter(self).format(indent: 7)
        return "tensor(" + body + suffixes.map { ", " + $0 }.joined() + ")"
    }
}

/// PyTorch's `_tensor_str` rules: fixed 4 decimals, integer mode (`1.`), or scientific (`1.0000e+05`),
/// chosen from all printed values; right-aligned to a common width; lines wrapped at 80 columns;
/// more than 1000 elements summarised with `...` (3 at each edge).
struct TensorFormatter {
    let tensor: Tensor
    let summarize: Bool
    private var width = 0
    private var mode: Mode = .fixed

    private enum Mode { case fixed, integer, scientific, bool, long }

    init(_ tensor: Tensor) {
        self.tensor = tensor
        summarize = tensor.count > 1000
        setUp()
    }

    private mutating func setUp() {
        switch tensor.dtype {
        case .bool: mode = .bool
        case .int64: mode = .long
        case .float32, .float64:
            let finite = visibleValues().filter { $0.isFinite && $0 != 0 }.map(Swift.abs)
            if finite.isEmpty {
                mode = visibleValues().allSatisfy { $0 == $0.rounded() || !$0.isFinite } ? .integer : .fixed
            } else if finite.allSatisfy({ $0 == $0.rounded() }) {
                mode = (finite.max()! / finite.min()! > 1000 || finite.max()! > 1e8) ? .scientific : .integer
                if visibleValues().contains(where: { $0.isFinite && $0 != $0.rounded() }) { mode = .fixed }
            } else {
                let lo = finite.min()!, hi = finite.max()!
                mode = (hi / lo > 1000 || hi > 1e8 || lo < 1e-4) ? .scientific : .fixed
            }
        }
        width = visibleValues().map { format($0).count }.max() ?? 0
    }

    private func visibleValues() -> [Double] {
        guard summarize else { return tensor.scalars }
        // Only the edges are printed, and only they set the format.
        var picks = [Int]()
        let shape = tensor.shape
        func collect(_ dim: Int, _ offset: Int) {
            if dim == shape.count { picks.append(offset); return }
            let stride = shape[(dim + 1)...].reduce(1, *)
            let n = shape[dim]
            let idx = n > 6 ? Array(0..<3) + Array((n - 3)..<n) : Array(0..<n)
            for i in idx { collect(dim + 1, offset + i * stride) }
        }
        collect(0, 0)
        return picks.map { tensor.storage.double(at: $0) }
    }

    private func format(_ v: Double) -> String {
        switch mode {
        case .bool: return v != 0 ? "True" : "False"
        case .long: return String(Int64(v))
        case .integer:
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            return String(format: "%.0f", v) + "."
        case .fixed:
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            return String(format: "%.4f", v)
        case .scientific:
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            return String(format: "%.4e", v)
        }
    }

    private func padded(_ v: Double) -> String {
        let text = format(v)
        return String(repeating: " ", count: Swift.max(0, width - text.count)) + text
    }

    func format(indent: Int) -> String {
        if tensor.ndim == 0 { return format(tensor.storage.double(at: 0)) }
        if tensor.count == 0 { return "[]" }
        return block(dim: 0, offset: 0, indent: indent)
    }

    private func block(dim: Int, offset: Int, indent: Int) -> String {
        let shape = tensor.shape
        let n = shape[dim]
        let stride = shape[(dim + 1)...].reduce(1, *)
        let shown: [Int?] = summarize && n > 6 ? [0, 1, 2, nil, n - 3, n - 2, n - 1] : (0..<n).map { $0 }
        if dim == shape.count - 1 {
            let items = shown.map { i in i.map { padded(tensor.storage.double(at: offset + $0)) } ?? " ..." }
            // Wrap the last dimension at 80 columns as PyTorch does.
            let perLine = Swift.max(1, (80 - indent) / (width + 2))
            var lines: [String] = []
            var start = 0
            while start < items.count {
                lines.append(items[start..<Swift.min(start + perLine, items.count)].joined(separator: ", "))
                start += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let separator = "," + String(repeating: "\n", count: shape.count - dim - 1) + String(repeating: " ", count: indent + 1)
        let parts = shown.map { i in
            i.map { block(dim: dim + 1, offset: offset + $0 * stride, indent: indent + 1) } ?? "..."
        }
        return "[" + parts.joined(separator: separator) + "]"
    }
}
