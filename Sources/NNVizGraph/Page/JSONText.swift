/// A JSON value written with its keys in the order given, so the same value always gives the same
/// bytes; strings come out safe to embed in an HTML `<script>` element.
///
/// ```swift
/// let value: JSONText = .object([("name", .string("fc1.weight")), ("shape", .array([.int(2), .int(3)]))])
/// value.encoded   // {"name":"fc1.weight","shape":[2,3]}
/// ```
enum JSONText {
    case null
    case bool(Bool)
    case int(Int)
    /// A finite number in Swift's shortest round-trip form; NaN and ±Inf, which JSON cannot hold, are
    /// written as the strings `"nan"`, `"inf"` and `"-inf"`.
    case number(Double)
    case string(String)
    case array([JSONText])
    /// Members in order; `nil` values are left out.
    case object([(String, JSONText?)])

    /// The compact JSON text.
    var encoded: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends the text, iterating with an explicit stack (values nest only a few levels, but the
    /// house rule is no recursion over data).
    func write(to out: inout String) {
        enum Work { case value(JSONText), text(String) }
        var stack: [Work] = [.value(self)]
        while let work = stack.popLast() {
            switch work {
            case .text(let text): out += text
            case .value(let value):
                switch value {
                case .null: out += "null"
                case .bool(let flag): out += flag ? "true" : "false"
                case .int(let number): out += String(number)
                case .number(let number):
                    if number.isNaN { out += "\"nan\"" } else if number.isInfinite { out += number > 0 ? "\"inf\"" : "\"-inf\"" }
                    else if number == number.rounded(), abs(number) < 1e15 { out += String(Int64(number)) }
                    else { out += "\(number)" }
                case .string(let text): JSONText.quote(text, into: &out)
                case .array(let items):
                    var pending: [Work] = [.text("]")]
                    for (i, item) in items.enumerated().reversed() {
                        pending.append(.value(item))
                        if i > 0 { pending.append(.text(",")) }
                    }
                    out += "["
                    stack.append(contentsOf: pending)
                case .object(let members):
                    let present = members.compactMap { key, value in value.map { (key, $0) } }
                    var pending: [Work] = [.text("}")]
                    for (i, (key, item)) in present.enumerated().reversed() {
                        pending.append(.value(item))
                        var head = ""
                        if i > 0 { head += "," }
                        JSONText.quote(key, into: &head)
                        pending.append(.text(head + ":"))
                    }
                    out += "{"
                    stack.append(contentsOf: pending)
                }
            }
        }
    }

    /// A JSON string literal. Besides `"`, `\` and control characters, `<`, `>`, `&`, `'` and every
    /// character outside ASCII become `\uXXXX` escapes, so the text cannot end a `<script>` element,
    /// open a comment, or depend on the page's character set.
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x20..<0x7F where unit != 0x3C && unit != 0x3E && unit != 0x26 && unit != 0x27:
                out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}
