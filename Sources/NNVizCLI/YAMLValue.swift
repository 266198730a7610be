import Foundation
import NNVizSupport
import CYaml
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
        try checkNesting(text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ModelSpecError(file: file, "the file is empty; a model file needs at least 'model' and 'input'")
            }
            return YAMLValue(node: node, file: file)
        } catch let error as YamlError {
            throw YAMLValue.describe(error, file: file)
        }
    }

    /// Deepest nesting of lists and mappings a model file may have.
    static let nestingLimit = 256

    /// Stops a file that nests deeper than ``nestingLimit`` before Yams composes it (its composer recurses
    /// once per level, so 20,000 levels would overflow the stack). Walks the events of libyaml — the parser
    /// Yams composes from, which keeps its own state on the heap — counting collections open, so it sees
    /// exactly the nesting Yams would build (quotes, comments and block scalars included). A syntax error
    /// ends the walk quietly: Yams reports it, with its line and column, when it parses the same text.
    static func checkNesting(_ text: String, file: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ModelSpecError(file: file, "cannot read the file as YAML: the parser could not be created")
        }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    guard depth <= nestingLimit else {
                        throw ModelSpecError(file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                                             "lists and mappings nest more than \(nestingLimit) levels deep here; a model file needs far fewer")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return
                default:
                    break
                }
            }
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
