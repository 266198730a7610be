/// Draws a ``Figure`` on a ``Canvas``: layout first (pure), then paint in matplotlib's z-order.
struct FigureRenderer {
    let figure: Figure

    /// Draws every axes and returns the layouts used (tests inspect them).
    @discardableResult
    func render(on canvas: Canvas) -> [AxesLayout] {
        let page = Rect(x: 0, y: 0, width: canvas.size.width, height: canvas.size.height)
        var background = Path()
        background.addRect(page)
        canvas.fill(background, color: .white)

        let suptitle = figure.suptitle.flatMap { $0.isEmpty ? nil : $0 }.map {
            TextLayout.place(StyledText($0), font: Font(size: Theme.titleSize),
                             at: Point(x: page.midX, y: page.height * (1 - Theme.suptitleY)),
                             horizontal: .center, vertical: .top, measurer: canvas)
        }
        var arranged = figure
        if figure.tightLayout {
            arranged = FigureRenderer.tightened(arranged, layouts: FigureRenderer.layouts(arranged, canvas),
                                                suptitle: suptitle)
        }
        let layouts = FigureRenderer.layouts(arranged, canvas)
        for (axes, layout) in zip(arranged.subplots, layouts) {
            AxesRenderer(axes: axes, layout: layout, canvas: canvas).draw()
        }
        if let suptitle { AxesRenderer.draw(suptitle, on: canvas) }
        return layouts
    }

    private static func layouts(_ figure: Figure, _ measurer: TextMeasuring) -> [AxesLayout] {
        figure.subplots.indices.map {
            AxesLayout(axes: figure.subplots[$0], frame: figure.frame(ofSubplot: $0), measurer: measurer)
        }
    }

    /// `figure` with its subplot box and spacing set so the decorations of `layouts` fit (matplotlib's
    /// `tight_layout` with `pad = 1.08`).
    static func tightened(_ figure: Figure, layouts: [AxesLayout], suptitle: PlacedText?) -> Figure {
        let pad = 1.08 * Theme.fontSize
        let page = figure.pointSize
        // How far each axes' decorations reach beyond its frame on each side.
        let overhang = layouts.map { layout -> (left: Double, right: Double, top: Double, bottom: Double) in
            let tight = layout.tightBounds, outer = layout.outerFrame
            return (outer.minX - tight.minX, tight.maxX - outer.maxX, outer.minY - tight.minY, tight.maxY - outer.maxY)
        }
        func cells(row: Int? = nil, col: Int? = nil) -> [Int] {
            figure.subplots.indices.filter { (row == nil || $0 / figure.cols == row) && (col == nil || $0 % figure.cols == col) }
        }
        let left = cells(col: 0).map { overhang[$0].left }.max()! + pad
        let right = cells(col: figure.cols - 1).map { overhang[$0].right }.max()! + pad
        let top = cells(row: 0).map { overhang[$0].top }.max()! + pad + (suptitle.map { $0.bounds.maxY } ?? 0)
        let bottom = cells(row: figure.rows - 1).map { overhang[$0].bottom }.max()! + pad
        var gapX = 0.0, gapY = 0.0
        for col in 0..<max(figure.cols - 1, 0) {
            gapX = max(gapX, cells(col: col).map { overhang[$0].right }.max()! + cells(col: col + 1).map { overhang[$0].left }.max()! + pad)
        }
        for row in 0..<max(figure.rows - 1, 0) {
            gapY = max(gapY, cells(row: row).map { overhang[$0].bottom }.max()! + cells(row: row + 1).map { overhang[$0].top }.max()! + pad)
        }
        let width = page.width - left - right, height = page.height - top - bottom
        let cellWidth = (width - gapX * Double(figure.cols - 1)) / Double(figure.cols)
        let cellHeight = (height - gapY * Double(figure.rows - 1)) / Double(figure.rows)
        // Keep the default layout when the decorations leave no room for the axes.
        guard cellWidth > 0.1 * page.width / Double(figure.cols), cellHeight > 0.1 * page.height / Double(figure.rows) else {
            return figure
        }
        var result = figure
        result.subplotBox = (left / page.width, 1 - right / page.width, bottom / page.height, 1 - top / page.height)
        result.spacing = (gapX / cellWidth, gapY / cellHeight)
        return result
    }
}
