/// Text made of runs that may be smaller and raised, enough for `10` with a superscript exponent.
struct StyledText: Hashable {
    struct Run: Hashable {
        var text: String
        /// Font size relative to the text's font.
        var scale: Double = 1
        /// Baseline shift upwards, in em of the text's font.
        var rise: Double = 0
        /// Space before the run, in em of the text's font.
        var kern: Double = 0
    }

    var runs: [Run]

    init(runs: [Run]) { self.runs = runs }

    init(_ text: String) { runs = [Run(text: text)] }

    /// matplotlib mathtext's `mantissa 10^{exponent}` in DejaVu Sans: the exponent at 70 % size, raised by
    /// the digit height less 0.4 x-heights, after a kern of 0.05 x-heights.
    static func power(mantissa: String, exponent: String) -> StyledText {
        let digitHeight = 1493.0 / 2048, xHeight = 1120.0 / 2048
        return StyledText(runs: [
            Run(text: mantissa + "10"),
            Run(text: exponent, scale: 0.7, rise: digitHeight - 0.4 * xHeight, kern: 0.05 * xHeight),
        ])
    }

    /// The characters without styling, e.g. `10−2` for 10⁻².
    var plainText: String { runs.map(\.text).joined() }

    var isEmpty: Bool { runs.allSatisfy { $0.text.isEmpty } }
}
