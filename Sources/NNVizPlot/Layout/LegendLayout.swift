/// What a legend entry shows next to its label.
enum LegendHandle {
    /// A short line (with its dash pattern) and, optionally, one marker in the middle.
    case line(StrokeStyle?, marker: Marker?, markerSize: Double)
    /// A filled box, for bars and bands.
    case patch(Color)
    /// One marker, for scatter.
    case marker(Marker, color: Color, size: Double)
}

/// Things the legend should not cover, in canvas points: matplotlib's `best` counts them.
struct LegendObstacles {
    var points: [Point] = []
    var rects: [Rect] = []
    var polylines: [[Point]] = []

    /// matplotlib's badness: vertices and markers inside, bars overlapping, lines crossing.
    func badness(of box: Rect) -> Int {
        var count = 0
        for p in points where box.contains(p) { count += 1 }
        for r in rects where r.intersects(box) { count += 1 }
        for line in polylines where LegendObstacles.crosses(line, box) { count += 1 }
        return count
    }

    static func crosses(_ line: [Point], _ box: Rect) -> Bool {
        if line.count == 1 { return box.contains(line[0]) }
        for i in 1..<max(line.count, 1) where Clipping.clipSegment(line[i - 1], line[i], to: box) != nil {
            return true
        }
        return false
    }
}

/// A legend laid out inside an axes: the frame and, per entry, the handle box and the placed label.
struct LegendLayout {
    struct Entry {
        var handle: LegendHandle
        /// The handle's box: `handlelength` wide, `handleheight` tall, standing on the label's baseline.
        var handleBox: Rect
        var label: PlacedText
    }

    var frame: Rect
    var entries: [Entry]

    /// Lays out the legend of `items` in `axesFrame` at `location`; nil when there is nothing to show.
    init?(items: [(label: String, handle: LegendHandle)], location: LegendLocation, axesFrame: Rect,
          obstacles: LegendObstacles, measurer: TextMeasuring) {
        guard !items.isEmpty else { return nil }
        let size = Theme.fontSize
        let font = Font(size: size)
        let pad = Theme.legendBorderPad * size
        let handleWidth = Theme.legendHandleLength * size, handleHeight = Theme.legendHandleHeight * size
        let textGap = Theme.legendHandleTextPad * size
        let rowGap = Theme.legendLabelSpacing * size

        // Measure each row: its label's ink box and how far the row reaches above and below the baseline.
        let origin = Point(x: 0, y: 0)
        let labels = items.map {
            TextLayout.place(StyledText($0.label), font: font, at: origin, horizontal: .left, vertical: .baseline,
                             measurer: measurer)
        }
        let rows = labels.map { label -> (above: Double, below: Double) in
            (max(handleHeight, -label.bounds.minY), max(0, label.bounds.maxY))
        }
        let textWidth = labels.map(\.bounds.width).max() ?? 0
        let width = 2 * pad + handleWidth + textGap + textWidth
        let height = 2 * pad + rows.reduce(0) { $0 + $1.above + $1.below } + rowGap * Double(items.count - 1)

        let container = axesFrame.insetBy(dx: Theme.legendBorderAxesPad * size, dy: Theme.legendBorderAxesPad * size)
        func frame(at location: LegendLocation) -> Rect {
            let anchor = location.anchor
            return Rect(x: container.minX + anchor.x * (container.width - width),
                        y: container.minY + anchor.y * (container.height - height), width: width, height: height)
        }
        var chosen = frame(at: location)
        if location == .best {
            var best: (badness: Int, frame: Rect)? = nil
            for candidate in LegendLocation.allCases.dropFirst() {
                let box = frame(at: candidate)
                let badness = obstacles.badness(of: box)
                if best == nil || badness < best!.badness { best = (badness, box) }
                if badness == 0 { break }
            }
            chosen = best!.frame
        }
        self.frame = chosen

        var entries: [Entry] = []
        var top = chosen.minY + pad
        for (i, item) in items.enumerated() {
            let baseline = top + rows[i].above
            let handleBox = Rect(x: chosen.minX + pad, y: baseline - handleHeight, width: handleWidth, height: handleHeight)
            let label = TextLayout.place(StyledText(item.label), font: font,
                                         at: Point(x: handleBox.maxX + textGap, y: baseline),
                                         horizontal: .left, vertical: .baseline, measurer: measurer)
            entries.append(Entry(handle: item.handle, handleBox: handleBox, label: label))
            top = baseline + rows[i].below + rowGap
        }
        self.entries = entries
    }
}
