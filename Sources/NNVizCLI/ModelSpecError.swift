/// A problem in a model file, located by file, line and column where the file gives one.
///
/// Printed as compilers print errors: `samples/bad.yaml:4:5: unknown layer 'lineer'; did you mean 'linear'?`
public struct ModelSpecError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}
