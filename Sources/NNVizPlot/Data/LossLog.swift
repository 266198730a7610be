/// The numeric series of one training run's CSV log, each against a common x: `step`, `epoch` or the row number.
///
/// Reads the layouts training code writes: a bare column of numbers, headed columns, PyTorch Lightning's
/// `metrics.csv` (sparse rows), Keras `CSVLogger` files (`NA` cells), TensorBoard's `Wall time,Step,Value`
/// export and Ultralytics' space-padded `results.csv`. Empty, `NA`, `N/A`, `NaN`, `null` and `None` cells
/// are missing points; `inf` and `-inf` are values. Each series keeps the rows where both it and x have a value.
///
/// ```swift
/// let log = try LossLog.parse("""
///     epoch,step,train_loss_step,val_loss
///     0,9,2.31,
///     0,9,,2.12
///     1,19,1.87,
///     """, name: "run1")
/// log.xLabel                  // "step"
/// log.series.map(\.name)      // ["train_loss_step", "val_loss"]
/// log.series[1].x             // [9.0]
/// log.series[1].y             // [2.12]
/// ```
public struct LossLog: Equatable, Sendable {
    /// The run's name: the file name without its extension, or the name given to `parse`.
    public let name: String
    /// What x counts: the x column's name as the file spells it (such as `step` or `Step`), or `row`.
    public let xLabel: String
    /// One series per numeric column, in the file's column order or in the order asked for.
    public let series: [Series]

    public init(name: String, xLabel: String, series: [Series]) {
        self.name = name
        self.xLabel = xLabel
        self.series = series
    }

    /// One column's values against x, over the rows where both have a value.
    public struct Series: Equatable, Sendable {
        /// The column's name from the header (trimmed), or `value`, `value1`, … in a file without one.
        public let name: String
        public let x: [Double]
        public let y: [Double]

        public init(name: String, x: [Double], y: [Double]) {
            precondition(x.count == y.count, "series \(name): \(x.count) x values for \(y.count) y values")
            self.name = name
            self.x = x
            self.y = y
        }
    }
}

// MARK: - Reading

extension LossLog {
    /// Reads the CSV log at `path`.
    ///
    /// - Parameters:
    ///   - x: The column to plot against. By default the first numeric column named `step`, else `epoch`
    ///     (ignoring case), else the row number (counting data rows from 0). `"row"` asks for the row number
    ///     when no column has that name.
    ///   - columns: The columns to plot, in this order. By default every numeric column but x, `step`, `epoch`
    ///     and wall-clock columns (`wall time`, `time`, `timestamp`); text columns are skipped.
    ///     Names match exactly, else ignoring case.
    /// - Throws: ``CSVError``, naming `path` and where it has one the line and column.
    ///
    /// ```swift
    /// let log = try LossLog.read(contentsOf: "lightning_logs/version_0/metrics.csv", columns: ["val_loss"])
    /// for series in log.series { print(series.name, series.y.last ?? .nan) }
    /// ```
    public static func read(contentsOf path: String, x: String? = nil, columns: [String]? = nil) throws -> LossLog {
        let bytes = try CSVFile.readAll(path: path)
        return try LossLog(table: CSVTable(file: path, bytes: bytes), name: stem(of: path), x: x, columns: columns)
    }

    /// Parses CSV text; `name` names the run and the source in error messages.
    ///
    /// ```swift
    /// let log = try LossLog.parse("loss\n0.9\n0.7\n", name: "bare")
    /// log.xLabel           // "row"
    /// log.series[0].x      // [0.0, 1.0]
    /// ```
    public static func parse(_ text: String, name: String, x: String? = nil, columns: [String]? = nil) throws -> LossLog {
        try parse(Array(text.utf8), name: name, x: x, columns: columns)
    }

    /// Parses the bytes of a CSV file, which must be UTF-8 (a byte order mark is allowed).
    ///
    /// ```swift
    /// let log = try LossLog.parse(Array("Wall time,Step,Value\n1.7e9,0,2.5\n".utf8), name: "tb")
    /// log.series.map(\.name)   // ["Value"]
    /// ```
    public static func parse(_ bytes: [UInt8], name: String, x: String? = nil, columns: [String]? = nil) throws -> LossLog {
        try LossLog(table: CSVTable(file: name, bytes: bytes), name: name, x: x, columns: columns)
    }

    /// `runs/a/metrics.csv` → `metrics`.
    static func stem(of path: String) -> String {
        let file = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
