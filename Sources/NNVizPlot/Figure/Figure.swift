/// A chart: a page of `width`×`height` inches holding a grid of ``Axes``, saved as PNG, SVG or PDF.
///
/// ```swift
/// var fig = Figure(width: 8, height: 6, dpi: 150)          // 1200×900 px
/// fig.axes.plot(losses, label: "naive update")
/// fig.axes.yscale = .log
/// fig.axes.legend(.best)
/// try fig.save(to: "loss.png")
///
/// var grid = Figure(rows: 1, cols: 2)
/// grid[0, 0].plot(train)
/// grid[0, 1].bar(meanGrads, categories: layers)
/// ```
public struct Figure {
    /// Width in inches.
    public var width: Double
    /// Height in inches.
    public var height: Double
    /// Pixels per inch of the PNG; vector output is thinned at the same resolution.
    public var dpi: Double
    public let rows: Int
    public let cols: Int
    /// The axes in row-major order.
    public var subplots: [Axes]
    /// A title centred above all axes (matplotlib's `suptitle`).
    public var suptitle: String?
    /// Where the grid of axes sits, as fractions of the figure (matplotlib's `subplotpars`).
    public var subplotBox: (left: Double, right: Double, bottom: Double, top: Double) = (0.125, 0.9, 0.11, 0.88)
    /// Space between columns and rows, as a fraction of the average axes width and height.
    public var spacing: (horizontal: Double, vertical: Double) = (0.2, 0.2)
    /// matplotlib's `tight_layout()`: when drawn, ``subplotBox`` and ``spacing`` are chosen so every title,
    /// label and tick label fits, 1.08 font sizes from the page edge and from each other.
    ///
    /// ```swift
    /// fig.axes.xTickRotation = 90      // long layer names
    /// fig.tightLayout = true
    /// ```
    public var tightLayout = false

    /// A figure with a `rows`×`cols` grid of empty axes. Defaults are matplotlib's: 6.4×4.8 in at 100 dpi.
    public init(width: Double = 6.4, height: Double = 4.8, dpi: Double = 100, rows: Int = 1, cols: Int = 1) {
        precondition(width > 0 && height > 0 && width.isFinite && height.isFinite,
                     "Figure: size \(width)×\(height) in must be positive")
        precondition(dpi > 0 && dpi.isFinite, "Figure: dpi \(dpi) must be positive")
        precondition(rows >= 1 && cols >= 1, "Figure: a \(rows)×\(cols) grid needs at least one axes")
        self.width = width
        self.height = height
        self.dpi = dpi
        self.rows = rows
        self.cols = cols
        subplots = Array(repeating: Axes(), count: rows * cols)
    }

    /// The axes in `row`, `col` (both from 0, row 0 at the top).
    public subscript(row: Int, col: Int) -> Axes {
        get {
            precondition((0..<rows).contains(row) && (0..<cols).contains(col),
                         "Figure: no axes at [\(row), \(col)] in a \(rows)×\(cols) grid")
            return subplots[row * cols + col]
        }
        set {
            precondition((0..<rows).contains(row) && (0..<cols).contains(col),
                         "Figure: no axes at [\(row), \(col)] in a \(rows)×\(cols) grid")
            subplots[row * cols + col] = newValue
        }
    }

    /// The first axes (top left), the only one of a 1×1 figure.
    public var axes: Axes {
        get { subplots[0] }
        set { subplots[0] = newValue }
    }

    /// The size of the PNG in pixels: inches × dpi, rounded as matplotlib does.
    public var pixelSize: (width: Int, height: Int) {
        (Int((width * dpi).rounded()), Int((height * dpi).rounded()))
    }

    /// The page in points (1/72 in).
    var pointSize: Size { Size(width: width * 72, height: height * 72) }

    /// The box of the axes at `index` in points from the top-left corner.
    func frame(ofSubplot index: Int) -> Rect {
        let page = pointSize
        let row = index / cols, col = index % cols
        let left = subplotBox.left * page.width, right = subplotBox.right * page.width
        let top = (1 - subplotBox.top) * page.height, bottom = (1 - subplotBox.bottom) * page.height
        let cellWidth = (right - left) / (Double(cols) + spacing.horizontal * Double(cols - 1))
        let cellHeight = (bottom - top) / (Double(rows) + spacing.vertical * Double(rows - 1))
        return Rect(x: left + Double(col) * cellWidth * (1 + spacing.horizontal),
                    y: top + Double(row) * cellHeight * (1 + spacing.vertical),
                    width: cellWidth, height: cellHeight)
    }
}
