/// How a line is dashed, with matplotlib's patterns (scaled by the line width as matplotlib does).
///
/// ```swift
/// ax.plot(validation, label: "val", lineStyle: .dashed)
/// ```
public enum LineStyle: String, Hashable, Sendable, CaseIterable {
    /// `"-"`
    case solid
    /// `"--"`
    case dashed
    /// `"-."`
    case dashDot
    /// `":"`
    case dotted
    /// `""` or `"none"`: no line, only markers.
    case none

    /// matplotlib's short spelling (`"-"`, `"--"`, `"-."`, `":"`, `"none"` or `""`); nil for anything else.
    public init?(matplotlib spec: String) {
        switch spec {
        case "-", "solid": self = .solid
        case "--", "dashed": self = .dashed
        case "-.", "dashdot": self = .dashDot
        case ":", "dotted": self = .dotted
        case "", " ", "none", "None": self = .none
        default: return nil
        }
    }

    /// On/off lengths in points for a line `width` points wide (`lines.scale_dashes`).
    func dashes(width: Double) -> [Double] {
        let unit = max(width, 1)
        switch self {
        case .solid, .none: return []
        case .dashed: return [3.7, 1.6].map { $0 * unit }
        case .dashDot: return [6.4, 1.6, 1, 1.6].map { $0 * unit }
        case .dotted: return [1, 1.65].map { $0 * unit }
        }
    }
}
