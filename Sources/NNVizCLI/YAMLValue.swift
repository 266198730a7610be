import Foundation
import NNVizSupport
import Yams

/// A YAML node that remembers where it stands in its file, with typed accessors that throw a
/// ``ModelSpecError`` pointing at the offending line and column.
struct YAMLValue {
    let node: Node
    let file: String

    var line: Int? { node.mark?.line }
    var column: Int? { node.mark?.column }

    func error(_ message: String) -> ModelSpecError {
        ModelSpecError(file: file, line: line, column: column, message)
    }

    /// Parses a whole document; syntax errors carry Yams' line and column.
    static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ModelSpecError(file: file, "the file is empty; a model file needs at least 'model' and 'input'")
            }
            return YAMLValue(node: node, file: file)
        } catch let error as YamlError {
            throw YAMLValue.describe(error, file: file)
        }
    }

    static func describe(_ error: YamlError, file: String) -> ModelSpecError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ModelSpecError(file: file, line: mark.line, column: mark.column, "YAML syntax error: \(detail)")
        case let .reader(problem, offset, _, _):
            return ModelSpecError(file: file, "cannot read the file as YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ModelSpecError(file: file, "cannot read the file as YAML: \(error)")
        }
    }

    // MARK: - Kinds

    var isNull: Bool {
        if case .scalar(let s) = node { return s.tag == .implicit && ["", "~", "null", "Null", "NULL"].contains(s.string) && s.style == .plain }
        return false
    }

    var kindName: String {
        switch node {
        case .scalar: return isNull ? "nothing" : "'\(node.string ?? "")'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// The keys and values of a mapping, in file order.
    func mapping(_ what: String) throws -> [(key: String, keyNode: YAMLValue, value: YAMLValue)] {
        guard case .mapping(let map) = node else { throw error("\(what) must be a mapping, found \(kindName)") }
        return try map.map { pair in
            guard case .scalar(let key) = pair.key else {
                throw YAMLValue(node: pair.key, file: file).error("\(what): keys must be plain names")
            }
            return (key.string, YAMLValue(node: pair.key, file: file), YAMLValue(node: pair.value, file: file))
        }
    }

    func sequence(_ what: String) throws -> [YAMLValue] {
        guard case .sequence(let seq) = node else { throw error("\(what) must be a list, found \(kindName)") }
        return seq.map { YAMLValue(node: $0, file: file) }
    }

    func string(_ what: String) throws -> String {
        guard case .scalar(let s) = node, !isNull else { throw error("\(what) must be a name, found \(kindName)") }
        return s.string
    }

    func int(_ what: String) throws -> Int {
        guard case .scalar(let s) = node, let value = Int(s.string.trimmingCharacters(in: .whitespaces)) else {
            throw error("\(what) must be a whole number, found \(kindName)")
        }
        return value
    }

    func double(_ what: String) throws -> Double {
        guard case .scalar(let s) = node, !isNull else { throw error("\(what) must be a number, found \(kindName)") }
        let text = s.string.trimmingCharacters(in: .whitespaces)
        if let value = Double(text) { return value }
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: throw error("\(what) must be a number, found \(kindName)")
        }
    }

    func bool(_ what: String) throws -> Bool {
        guard case .scalar(let s) = node else { throw error("\(what) must be true or false, found \(kindName)") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(what) must be true or false, found \(kindName)")
        }
    }

    /// A nested list of numbers: its shape, flat values, and whether every value is a whole number written without a point.
    func numbers(_ what: String) throws -> (shape: [Int], values: [Double], integral: Bool) {
        switch node {
        case .scalar(let s):
            let text = s.string.trimmingCharacters(in: .whitespaces)
            let value = try double(what)
            return ([], [value], Int(text) != nil)
        case .sequence:
            let items = try sequence(what)
            var shape: [Int]? = nil
            var values: [Double] = []
            var integral = true
            for item in items {
                let inner = try item.numbers(what)
                if let shape, shape != inner.shape {
                    throw item.error("\(what) is ragged: expected every row to have shape \(shape), this one has \(inner.shape)")
                }
                shape = inner.shape
                values += inner.values
                integral = integral && inner.integral
            }
            return ([items.count] + (shape ?? []), values, integral)
        default:
            throw error("\(what) must be a number or a nested list of numbers, found \(kindName)")
        }
    }
}

/// The closest of `candidates` to `word` by edit distance, when close enough to be a likely typo.
func nearest(_ word: String, in candidates: [String]) -> String? {
    EditDistance.nearest(to: word, among: candidates)
}

/// ` ; did you mean 'x'?` or nothing.
func suggestion(_ word: String, in candidates: [String]) -> String {
    nearest(word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
}
