/// A problem reading or writing a loss-log CSV file.
///
/// Every case names the file (the path as given, or the name passed to ``LossLog/parse(_:name:x:columns:)``);
/// cases about one place in the file also name its line (1-based, counting physical lines, so a quoted cell
/// spanning lines moves the count on) and its column (the 1-based cell number, with the column's name when the
/// file has one).
///
/// ```swift
/// do {
///     let log = try LossLog.read(contentsOf: "runs/a/metrics.csv")
/// } catch let error as CSVError {
///     print(error)   // runs/a/metrics.csv: line 7, column 3 ("val_loss"): "oops" is not a number …
/// }
/// ```
public enum CSVError: Error, Equatable, Sendable {
    /// The file could not be opened or read; `reason` is the system's explanation.
    case unreadable(file: String, reason: String)
    /// The file could not be created or written; `reason` is the system's explanation.
    case unwritable(file: String, reason: String)
    /// The file holds no bytes, or only blank lines.
    case empty(file: String)
    /// The file has a header line but no data rows.
    case noDataRows(file: String)
    /// A byte sequence that is not UTF-8: `byte` is its 1-based position within `line`, `offset` its 0-based
    /// position in the file, `value` the first offending byte.
    case invalidUTF8(file: String, line: Int, byte: Int, offset: Int, value: UInt8)
    /// A quoted cell, opened on `line` in cell number `column`, whose closing quote never comes.
    case unterminatedQuote(file: String, line: Int, column: Int)
    /// Characters other than spaces between a closing quote and the next comma or line end.
    case textAfterQuote(file: String, line: Int, column: Int)
    /// A row with `cells` cells where the first row (the header, or the first data row without one) has `expected`.
    case raggedRow(file: String, line: Int, cells: Int, expected: Int)
    /// A word in a column that is otherwise numbers: the first such cell.
    case strayText(file: String, line: Int, column: Int, name: String, value: String)
    /// A column asked for by name (as a series or as x) that holds no numbers. `line` and `value` show its
    /// first non-missing cell, if it has one.
    case notNumeric(file: String, column: Int, name: String, line: Int?, value: String?)
    /// No column holds numbers to plot; `columns` lists the file's column names.
    case noNumericColumn(file: String, columns: [String])
    /// A column name asked for that the file does not have; `suggestion` is the nearest name by edit distance.
    case unknownColumn(file: String, name: String, suggestion: String?, columns: [String])
    /// A value recorded under a name the writer's header does not have.
    case undeclaredColumn(file: String, name: String, suggestion: String?, columns: [String])
    /// A column name a writer cannot use: empty, repeated, or the reserved `step`.
    case invalidColumnName(file: String, name: String, reason: String)
}

// MARK: - Messages

extension CSVError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file: \(reason)"
        case let .unwritable(file, reason):
            return "\(file): cannot write the file: \(reason)"
        case let .empty(file):
            return "\(file): the file is empty"
        case let .noDataRows(file):
            return "\(file): the file has a header but no data rows"
        case let .invalidUTF8(file, line, byte, offset, value):
            let hex = String(value, radix: 16, uppercase: true)
            return "\(file): line \(line), byte \(byte): invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex) "
                + "at file offset \(offset)); save the file as UTF-8"
        case let .unterminatedQuote(file, line, column):
            return "\(file): line \(line), column \(column): a quoted cell is never closed (missing '\"')"
        case let .textAfterQuote(file, line, column):
            return "\(file): line \(line), column \(column): text after the closing quote of a quoted cell "
                + "(write a quote inside quotes as \"\")"
        case let .raggedRow(file, line, cells, expected):
            return "\(file): line \(line) has \(cells) \(cells == 1 ? "cell" : "cells"), "
                + "but the first row has \(expected)"
        case let .strayText(file, line, column, name, value):
            return "\(file): line \(line), column \(column) (\"\(name)\"): \"\(value)\" is not a number, "
                + "but the rest of the column is numeric"
        case let .notNumeric(file, column, name, line, value):
            if let line, let value {
                return "\(file): line \(line), column \(column) (\"\(name)\"): \"\(value)\" is not a number; "
                    + "the column holds no numbers"
            }
            return "\(file): column \(column) (\"\(name)\") holds no values"
        case let .noNumericColumn(file, columns):
            return "\(file): no numeric column to plot (columns: \(columns.joined(separator: ", ")))"
        case let .unknownColumn(file, name, suggestion, columns):
            return "\(file): no column named \"\(name)\"" + Self.hint(suggestion, columns)
        case let .undeclaredColumn(file, name, suggestion, columns):
            return "\(file): \"\(name)\" is not one of the log's columns" + Self.hint(suggestion, columns)
        case let .invalidColumnName(file, name, reason):
            return "\(file): cannot use \"\(name)\" as a column name: \(reason)"
        }
    }

    private static func hint(_ suggestion: String?, _ columns: [String]) -> String {
        let listed = "columns: " + columns.joined(separator: ", ")
        guard let suggestion else { return " (\(listed))" }
        return "; did you mean \"\(suggestion)\"? (\(listed))"
    }
}
