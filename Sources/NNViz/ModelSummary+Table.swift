import NNVizCore

/// The text table, laid out as torchinfo prints it: one row per module with tree lines, then totals.
extension ModelSummary {
    /// All modules, as ``table(depth:)`` with no depth limit.
    public var description: String { table(depth: nil) }

    /// The table with modules deeper than `depth` folded into their ancestor at `depth` (which then shows
    /// the totals of everything inside it), like torchinfo's `depth`.
    ///
    /// ```
    /// ================================================================
    /// Layer (type:depth-idx)   Output Shape   Param #   Trainable   Mult-Adds
    /// ================================================================
    /// Sequential               [1, 1]         --        True        --
    /// ├─fc1 (Linear): 1-1      [1, 2]         8         True        8
    /// ```
    public func table(depth: Int? = nil) -> String {
        let header = ["Layer (type:depth-idx)", "Output Shape", "Param #", "Trainable", "Mult-Adds"]
        var rows: [[String]] = []
        let shown = layers.indices.filter { depth == nil || layers[$0].depth <= depth! }
        let prefixes = treePrefixes(shown)
        var childIndex: [Int] = [0]
        for (position, index) in shown.enumerated() {
            let layer = layers[index]
            let folded = layer.isLeaf || layer.depth == depth
            if childIndex.count > layer.depth + 1 { childIndex.removeLast(childIndex.count - layer.depth - 1) }
            while childIndex.count <= layer.depth { childIndex.append(0) }
            childIndex[layer.depth] += 1
            let title = layer.name.isEmpty ? layer.type
                : "\(layer.name.split(separator: ".").last!) (\(layer.type)): \(layer.depth)-\(childIndex[layer.depth])"
            let parameters = folded ? layer.totalParameters : layer.parameters
            let parameterText = parameters > 0 ? ModelSummary.grouped(parameters)
                : layer.tiedParameters > 0 && layer.totalParameters == 0 ? "(tied)" : "--"
            let trainable: String
            switch (layer.totalParameters, layer.totalTrainableParameters) {
            case (0, _): trainable = "--"
            case (let all, let trained) where all == trained: trainable = "True"
            case (_, 0): trainable = "False"
            default: trainable = "Partial"
            }
            let macs = folded ? layer.totalMultiplyAdds : layer.multiplyAdds
            rows.append([prefixes[position] + title,
                         layer.outputShape.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" } ?? "--",
                         parameterText, trainable, macs > 0 ? ModelSummary.grouped(macs) : "--"])
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let line = { (cells: [String]) in
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
            }.joined()
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 3 * (widths.count - 1))
        var lines = [rule, line(header), rule] + rows.map(line) + [rule]
        lines += [
            "Total params: \(ModelSummary.grouped(totalParameters))",
            "Trainable params: \(ModelSummary.grouped(trainableParameters))",
            "Non-trainable params: \(ModelSummary.grouped(nonTrainableParameters))",
            "Total mult-adds: \(ModelSummary.grouped(multiplyAdds))",
            rule,
            "Input size: \(ModelSummary.bytes(inputBytes))",
            "Parameters: \(ModelSummary.bytes(parameterBytes))",
            "Gradients: \(ModelSummary.bytes(gradientBytes))",
            "Saved activations (autograd graph): \(ModelSummary.bytes(savedActivationBytes))",
            "Total for one training step: \(ModelSummary.bytes(totalBytes))",
            rule,
        ]
        return lines.joined(separator: "\n")
    }

    /// `├─`/`└─` lines for the shown rows, with `│ ` continuing where an ancestor has later siblings.
    private func treePrefixes(_ shown: [Int]) -> [String] {
        let depths = shown.map { layers[$0].depth }
        var prefixes = [String](repeating: "", count: depths.count)
        // Walking backwards: `later[level]` tells whether a row at `level` follows before the listing
        // climbs above `level`.
        var later = [Bool](repeating: false, count: (depths.max() ?? 0) + 1)
        for position in depths.indices.reversed() {
            let depth = depths[position]
            if depth > 0 {
                prefixes[position] = (1..<depth).map { later[$0] ? "│    " : "     " }.joined()
                    + (later[depth] ? "├─" : "└─")
            }
            later[depth] = true
            for level in (depth + 1)..<later.count { later[level] = false }
        }
        return prefixes
    }

    /// `1,234,567`, as torchinfo groups digits.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (i, character) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { result += "," }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// `812 B`, `3.2 KiB`, `1.5 MiB`.
    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(count) / 1024, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        let tenths = (value * 10).rounded() / 10
        return "\(tenths) \(units[unit])"
    }
}
