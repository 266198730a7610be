import NNVizSupport

/// Writes a training run's scalars to a CSV file that ``LossLog`` reads, one flushed row per record.
///
/// The first record writes the header: `step`, then the value columns, either declared at creation (in that
/// order) or, if none were, the names of the first record's values, sorted. Later records may leave columns out
/// (their cells stay empty, as in Lightning's `metrics.csv`) but cannot add any: the header is already on disk,
/// so a name not in it throws ``CSVError/undeclaredColumn(file:name:suggestion:columns:)`` and writes nothing.
/// Each row is handed to the operating system as soon as it is recorded, so a crash of the training process
/// loses nothing already recorded. NaN is written `nan` (read back as a missing point), infinities `inf`/`-inf`.
///
/// ```swift
/// let log = try LossLogWriter(path: "run1.csv", columns: ["train_loss", "val_loss"])
/// for step in 0..<100 {
///     try log.record(step: step, values: ["train_loss": trainLoss])
///     if step % 10 == 9 { try log.record(step: step, values: ["val_loss": validationLoss]) }
/// }
/// ```
public final class LossLogWriter {
    /// The file written, as given.
    public let path: String
    /// The value columns after `step`: the declared ones, or those of the first record once it is written.
    public private(set) var columns: [String]?
    private let file: CSVFile
    private var headerWritten = false

    /// Creates (or empties) the file at `path`.
    ///
    /// - Parameter columns: The value columns in header order; `nil` takes them from the first record.
    /// - Throws: ``CSVError/unwritable(file:reason:)`` if the file cannot be created;
    ///   ``CSVError/invalidColumnName(file:name:reason:)`` for an empty, repeated or `step` column name.
    public init(path: String, columns: [String]? = nil) throws {
        self.path = path
        if let columns { try Self.validate(columns, file: path) }
        self.columns = columns
        self.file = try CSVFile(path: path, mode: "wb")
    }

    /// Fixes the value columns before the first record, when none were declared at creation: the header
    /// will be `step` and `columns` in this order.
    ///
    /// ```swift
    /// let log = try LossLogWriter(path: "run1.csv")
    /// try log.declare(["loss", "grad_norm/fc.weight"])
    /// ```
    /// - Throws: ``CSVError/invalidColumnName(file:name:reason:)``.
    public func declare(_ columns: [String]) throws {
        precondition(!headerWritten, "LossLogWriter.declare: the header of \(path) is already written")
        try Self.validate(columns, file: path)
        self.columns = columns
    }

    /// Appends the row `step, values…` (writing the header first if this is the first record) and flushes it.
    ///
    /// ```swift
    /// try log.record(step: 120, values: ["train_loss": 0.412, "val_loss": 0.455])
    /// ```
    public func record(step: Int, values: [String: Double]) throws {
        let columns: [String]
        if let declared = self.columns {
            columns = declared
        } else {
            columns = values.keys.sorted()
            try Self.validate(columns, file: path)
        }
        for name in values.keys.sorted() where !columns.contains(name) {
            if name.lowercased() == "step" { throw Self.reservedStep(name, file: path) }
            throw CSVError.undeclaredColumn(file: path, name: name,
                                            suggestion: EditDistance.nearest(to: name, among: columns),
                                            columns: ["step"] + columns)
        }
        var text = ""
        if !headerWritten {
            text = (["step"] + columns).map(Self.quoted).joined(separator: ",") + "\n"
        }
        text += ([String(step)] + columns.map { values[$0].map(Self.format) ?? "" }).joined(separator: ",") + "\n"
        try file.writeAndFlush(text)
        self.columns = columns
        headerWritten = true
    }

    // MARK: - Formatting

    /// The shortest text that reads back as exactly `value`.
    private static func format(_ value: Double) -> String {
        value.isNaN ? "nan" : value.description
    }

    /// `name`, quoted per RFC 4180 if it holds a comma, a quote, a line break or surrounding blanks.
    private static func quoted(_ name: String) -> String {
        let special: Set<UInt8> = [CSVScanner.ASCII.comma, CSVScanner.ASCII.quote, CSVScanner.ASCII.lf, CSVScanner.ASCII.cr]
        let blank: Set<UInt8> = [CSVScanner.ASCII.space, CSVScanner.ASCII.tab]
        let utf8 = name.utf8
        let needsQuotes = utf8.contains(where: special.contains)
            || utf8.first.map(blank.contains) == true || utf8.last.map(blank.contains) == true
        guard needsQuotes else { return name }
        return "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    private static func reservedStep(_ name: String, file: String) -> CSVError {
        .invalidColumnName(file: file, name: name, reason: "the first column is always step (pass it as `step:`)")
    }

    private static func validate(_ columns: [String], file: String) throws {
        var seen = Set<String>()
        for name in columns {
            if name.isEmpty {
                throw CSVError.invalidColumnName(file: file, name: name, reason: "names must not be empty")
            }
            if name.lowercased() == "step" { throw reservedStep(name, file: file) }
            if !seen.insert(name).inserted {
                throw CSVError.invalidColumnName(file: file, name: name, reason: "it is declared twice")
            }
        }
    }
}
