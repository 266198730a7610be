/// matplotlib's rc defaults that decide how a chart looks, in points.
enum Theme {
    static let fontSize = 10.0
    static let titleSize = 12.0

    static let spineWidth = 0.8
    static let majorTickLength = 3.5
    static let majorTickWidth = 0.8
    static let majorTickPad = 3.5
    static let minorTickLength = 2.0
    static let minorTickWidth = 0.6
    static let minorTickPad = 3.4
    static let labelPad = 4.0
    static let titlePad = 6.0
    static let offsetTextPad = 3.0
    static let suptitleY = 0.98

    static let gridColor = Color(hex: "#b0b0b0")!
    static let gridWidth = 0.8

    static let legendBorderPad = 0.4
    static let legendLabelSpacing = 0.5
    static let legendHandleLength = 2.0
    static let legendHandleHeight = 0.7
    static let legendHandleTextPad = 0.8
    static let legendBorderAxesPad = 0.5
    static let legendFrameColor = Color(gray: 0.8, alpha: 0.8)
    static let legendFaceColor = Color(gray: 1, alpha: 0.8)
    static let legendFrameWidth = 1.0
    static let legendCornerRadius = 0.2
    static let legendScatterYOffset = 0.375

    static let noteColor = Color(gray: 0.4)
    /// Opacity of the raw curve drawn under a smoothed one.
    static let rawCurveAlpha = 0.25
}
