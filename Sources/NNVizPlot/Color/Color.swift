import Foundation

/// An sRGB colour with straight (not premultiplied) alpha, each component in 0…1.
///
/// ```swift
/// ax.plot(losses, color: .tab(1))              // matplotlib's "C1", orange
/// ax.plot(losses, color: Color(hex: "#2ca02c")!)
/// ax.plot(losses, color: Color("tab:red")!)
/// ```
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A grey level: 0 is black, 1 white (matplotlib's `"0.8"`).
    public init(gray: Double, alpha: Double = 1) {
        self.init(red: gray, green: gray, blue: gray, alpha: alpha)
    }

    /// Parses `#rgb`, `#rrggbb` or `#rrggbbaa`; nil when `hex` is not one of these.
    public init?(hex: String) {
        var digits = Substring(hex)
        if digits.hasPrefix("#") { digits = digits.dropFirst() }
        if digits.count == 3 { digits = Substring(digits.flatMap { [$0, $0] }) }
        guard digits.count == 6 || digits.count == 8,
              let value = UInt64(digits, radix: 16) else { return nil }
        let bytes = digits.count == 6 ? (value << 8) | 0xff : value
        self.init(red: Double((bytes >> 24) & 0xff) / 255, green: Double((bytes >> 16) & 0xff) / 255,
                  blue: Double((bytes >> 8) & 0xff) / 255, alpha: Double(bytes & 0xff) / 255)
    }

    /// Parses the colour names matplotlib accepts most often: `#rrggbb`, `C0`…`C9`, `tab:blue`…,
    /// the one-letter `b g r c m y k w`, a grey level such as `"0.8"`, and common names (`black`, `gray`, …).
    /// Returns nil for anything else.
    public init?(_ name: String) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        if key.hasPrefix("#") {
            self.init(hex: key)
        } else if key.count == 2, key.first == "c", let index = Int(key.dropFirst()) {
            self = Color.tab(index)
        } else if let color = Color.named[key] {
            self = color
        } else if let level = Double(key), (0...1).contains(level) {
            self.init(gray: level)
        } else {
            return nil
        }
    }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    public var description: String {
        func byte(_ v: Double) -> String {
            let b = Int((min(max(v, 0), 1) * 255).rounded())
            return String(b, radix: 16).leftPadded(to: 2)
        }
        return "#" + byte(red) + byte(green) + byte(blue) + (alpha < 1 ? byte(alpha) : "")
    }
}

// MARK: - Palettes

extension Color {
    /// matplotlib's default colour cycle, "tab10" (`C0`…`C9`).
    public static let tab10: [Color] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ].map { Color(hex: $0)! }

    /// The `index`-th colour of the default cycle, wrapping around (matplotlib's `"C\(index)"`).
    public static func tab(_ index: Int) -> Color {
        tab10[((index % tab10.count) + tab10.count) % tab10.count]
    }

    public static let black = Color(gray: 0)
    public static let white = Color(gray: 1)
    public static let gray = Color(hex: "#808080")!
    public static let red = Color(red: 1, green: 0, blue: 0)
    public static let green = Color(hex: "#008000")!
    public static let blue = Color(red: 0, green: 0, blue: 1)
    public static let tabBlue = tab10[0]
    public static let tabOrange = tab10[1]
    public static let tabGreen = tab10[2]
    public static let tabRed = tab10[3]
    public static let tabPurple = tab10[4]
    public static let tabBrown = tab10[5]
    public static let tabPink = tab10[6]
    public static let tabGray = tab10[7]
    public static let tabOlive = tab10[8]
    public static let tabCyan = tab10[9]

    static let named: [String: Color] = {
        var table: [String: Color] = [
            "b": Color(red: 0, green: 0, blue: 1), "g": Color(red: 0, green: 0.5, blue: 0),
            "r": Color(red: 1, green: 0, blue: 0), "c": Color(red: 0, green: 0.75, blue: 0.75),
            "m": Color(red: 0.75, green: 0, blue: 0.75), "y": Color(red: 0.75, green: 0.75, blue: 0),
            "k": .black, "w": .white,
            "black": .black, "white": .white, "gray": .gray, "grey": .gray,
            "red": .red, "green": .green, "blue": .blue,
            "orange": Color(hex: "#ffa500")!, "purple": Color(hex: "#800080")!,
            "brown": Color(hex: "#a52a2a")!, "pink": Color(hex: "#ffc0cb")!,
            "cyan": Color(hex: "#00ffff")!, "magenta": Color(hex: "#ff00ff")!,
            "yellow": Color(hex: "#ffff00")!, "lightgray": Color(hex: "#d3d3d3")!,
            "darkgray": Color(hex: "#a9a9a9")!, "navy": Color(hex: "#000080")!,
        ]
        let tabNames = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"]
        for (name, color) in zip(tabNames, tab10) { table["tab:" + name] = color }
        return table
    }()
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
