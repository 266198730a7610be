import NNVizSupport

extension LossLog {
    /// Names (lowercased) of columns that are axes or clocks rather than something trained, left out of the
    /// default series.
    static let axisNames: Set<String> = ["step", "epoch", "wall time", "wall_time", "walltime", "time", "timestamp"]

    /// Chooses x and the series from `table`, as ``read(contentsOf:x:columns:)`` describes.
    init(table: CSVTable, name: String, x: String?, columns: [String]?) throws {
        let xIndex = try Self.xColumn(in: table, named: x)
        let indices: [Int]
        if let columns, !columns.isEmpty {
            indices = try Self.requestedColumns(in: table, named: columns)
        } else {
            indices = try Self.defaultColumns(in: table, x: xIndex)
        }
        let xValues = xIndex.map { table.columns[$0].values }
        let xComplete = xIndex.map { table.columns[$0].isComplete } ?? true
        let rowNumbers = xIndex == nil ? (0..<table.rowCount).map(Double.init) : []
        let series = indices.map { index -> Series in
            let column = table.columns[index]
            // No row to leave out: the series shares the table's arrays instead of copying them.
            if column.isComplete && xComplete {
                return Series(name: column.name, x: xValues ?? rowNumbers, y: column.values)
            }
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(table.rowCount)
            ys.reserveCapacity(table.rowCount)
            for row in 0..<table.rowCount {
                let y = column.values[row]
                let x = xValues?[row] ?? Double(row)
                guard !y.isNaN, !x.isNaN else { continue }
                xs.append(x)
                ys.append(y)
            }
            return Series(name: column.name, x: xs, y: ys)
        }
        self.init(name: name, xLabel: xIndex.map { table.columns[$0].name } ?? "row", series: series)
    }

    // MARK: - Choosing columns

    /// The x column's index, or `nil` for the row number.
    private static func xColumn(in table: CSVTable, named name: String?) throws -> Int? {
        if let name {
            if let index = table.index(of: name) {
                try requireNumeric(table, index)
                return index
            }
            if name.lowercased() == "row" { return nil }
            throw unknown(name, in: table, alsoAllowed: ["row"])
        }
        for candidate in ["step", "epoch"] {
            guard let index = table.index(of: candidate) else { continue }
            switch table.columns[index].kind {
            case .numeric:
                return index
            case .numericWithStrayText:
                try requireNumeric(table, index)
            case .text, .empty:
                continue
            }
        }
        return nil
    }

    private static func requestedColumns(in table: CSVTable, named names: [String]) throws -> [Int] {
        var indices: [Int] = []
        for name in names {
            guard let index = table.index(of: name) else { throw unknown(name, in: table) }
            try requireNumeric(table, index)
            if !indices.contains(index) { indices.append(index) }
        }
        return indices
    }

    private static func defaultColumns(in table: CSVTable, x: Int?) throws -> [Int] {
        var indices: [Int] = []
        for (index, column) in table.columns.enumerated()
        where index != x && !axisNames.contains(column.name.lowercased()) {
            switch column.kind {
            case .numeric:
                indices.append(index)
            case .numericWithStrayText:
                try requireNumeric(table, index)
            case .text, .empty:
                continue
            }
        }
        guard !indices.isEmpty else { throw CSVError.noNumericColumn(file: table.file, columns: table.names) }
        return indices
    }

    // MARK: - Errors

    private static func requireNumeric(_ table: CSVTable, _ index: Int) throws {
        let column = table.columns[index]
        switch column.kind {
        case .numeric:
            return
        case let .numericWithStrayText(line, value):
            throw CSVError.strayText(file: table.file, line: line, column: index + 1, name: column.name, value: value)
        case let .text(line, value):
            throw CSVError.notNumeric(file: table.file, column: index + 1, name: column.name, line: line, value: value)
        case .empty:
            throw CSVError.notNumeric(file: table.file, column: index + 1, name: column.name, line: nil, value: nil)
        }
    }

    private static func unknown(_ name: String, in table: CSVTable, alsoAllowed: [String] = []) -> CSVError {
        .unknownColumn(file: table.file, name: name,
                       suggestion: EditDistance.nearest(to: name, among: table.names + alsoAllowed),
                       columns: table.names)
    }
}
