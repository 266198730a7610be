/// A Graphviz colour: an X11 name such as `lightblue` or an RGB value `#add8e6`.
///
/// ```swift
/// let blue: DotColor = .lightblue                 // written as lightblue, like torchviz
/// let tint = DotColor(red: 0xca, green: 0xff, blue: 0x70)   // "#caff70"
/// let mixed = DotColor.lightblue.mixed(with: .white, amount: 0.5)
/// ```
public struct DotColor: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The text Graphviz reads: a colour name or `#rrggbb`.
    public var name: String

    /// A colour by its Graphviz name or `#rrggbb` text.
    public init(_ name: String) { self.name = name }

    public init(stringLiteral value: String) { self.name = value }

    /// An RGB colour, each component clamped to 0…255.
    public init(red: Int, green: Int, blue: Int) {
        func hex(_ value: Int) -> String {
            let clamped = min(255, max(0, value))
            let digits = String(clamped, radix: 16)
            return clamped < 16 ? "0" + digits : digits
        }
        name = "#" + hex(red) + hex(green) + hex(blue)
    }

    // MARK: - Colours torchviz and nnviz use

    /// Leaf tensors that require grad (parameters): torchviz's `lightblue`.
    public static let lightblue = DotColor("lightblue")
    /// Backward functions: Graphviz's default fill for `style=filled`.
    public static let lightgrey = DotColor("lightgrey")
    /// Outputs: torchviz's `darkolivegreen1`.
    public static let darkolivegreen1 = DotColor("darkolivegreen1")
    /// Bases of outputs that are views: torchviz's `darkolivegreen3`.
    public static let darkolivegreen3 = DotColor("darkolivegreen3")
    /// Saved tensors: torchviz's `orange`.
    public static let orange = DotColor("orange")
    public static let white = DotColor("white")
    /// Nodes flagged as anomalies (NaN or infinite values).
    public static let anomaly = DotColor("#ff6b6b")
    /// Border of anomalous nodes.
    public static let anomalyBorder = DotColor("#c00000")
    /// Blocks standing for folded repeats.
    public static let folded = DotColor("#e6e0f4")

    // MARK: - Components

    /// Red, green and blue (0…255) for `#rrggbb` and for the named colours above; `nil` otherwise.
    public var rgb: (red: Int, green: Int, blue: Int)? {
        if name.hasPrefix("#"), name.count == 7, let value = Int(name.dropFirst(), radix: 16) {
            return ((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff)
        }
        return DotColor.knownNames[name.lowercased()]
    }

    /// This colour moved toward `other` by `amount` (0 keeps this colour, 1 gives `other`);
    /// `nil` when either colour has no known components.
    public func mixed(with other: DotColor, amount: Double) -> DotColor? {
        guard let a = rgb, let b = other.rgb else { return nil }
        let t = min(1, max(0, amount))
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return DotColor(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }

    private static let knownNames: [String: (Int, Int, Int)] = [
        "lightblue": (0xad, 0xd8, 0xe6), "lightgrey": (0xd3, 0xd3, 0xd3), "lightgray": (0xd3, 0xd3, 0xd3),
        "darkolivegreen1": (0xca, 0xff, 0x70), "darkolivegreen3": (0xa2, 0xcd, 0x5a),
        "orange": (0xff, 0xa5, 0x00), "white": (0xff, 0xff, 0xff), "black": (0, 0, 0),
        "red": (0xff, 0, 0), "grey": (0xbe, 0xbe, 0xbe), "gray": (0xbe, 0xbe, 0xbe),
    ]
}
