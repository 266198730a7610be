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

        var layouts: [AxesLayout] = []
        for (index, axes) in figure.subplots.enumerated() {
            let layout = AxesLayout(axes: axes, frame: figure.frame(ofSubplot: index), measurer: canvas)
            AxesRenderer(axes: axes, layout: layout, canvas: canvas).draw()
            layouts.append(layout)
        }
        if let suptitle = figure.suptitle, !suptitle.isEmpty {
            let placed = TextLayout.place(StyledText(suptitle), font: Font(size: Theme.titleSize),
                                          at: Point(x: page.midX, y: page.height * (1 - Theme.suptitleY)),
                                          horizontal: .center, vertical: .top, measurer: canvas)
            AxesRenderer.draw(placed, on: canvas)
        }
        return layouts
    }
}
