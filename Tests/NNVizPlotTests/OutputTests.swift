import Foundation
import Testing
@testable import NNVizPlot

@Suite struct OutputTests {
    private func lossFigure() -> Figure {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot((0..<1000).map { 30 * exp(-Double($0) / 150) + 0.01 }, label: "naive update")
        fig.axes.plot((0..<1000).map { 30 * exp(-Double($0) / 40) + 0.003 }, label: "SGD with Nesterov and momentum")
        fig.axes.legend(LegendLocation(code: 1)!)
        fig.axes.xlabel("epochs")
        fig.axes.ylabel("loss (log scale)")
        fig.axes.yscale = .log
        return fig
    }

    private func bigEndian(_ data: Data, at offset: Int) -> Int {
        data[data.startIndex + offset..<data.startIndex + offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }

    @Test func pngHasSignatureAndSize() throws {
        let png = try lossFigure().pngData()
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: png[png.startIndex + 12..<png.startIndex + 16], as: UTF8.self) == "IHDR")
        #expect(bigEndian(png, at: 16) == 1200 && bigEndian(png, at: 20) == 900)
        #expect(png.count > 20_000)
    }

    @Test func svgIsSizedInPoints() throws {
        let svg = String(decoding: try lossFigure().svgData(), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("width=\"576pt\"") && svg.contains("height=\"432pt\""))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test func pdfIsOnePage() throws {
        let pdf = try lossFigure().pdfData()
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/MediaBox [ 0 0 576 432 ]"))
        #expect(text.contains("%%EOF"))
    }

    @Test func saveChoosesTheFormatFromTheExtension() throws {
        let fig = lossFigure()
        for (ext, magic) in [("png", "\u{89}PNG"), ("svg", "<?xml"), ("pdf", "%PDF-"), ("PNG", "\u{89}PNG")] {
            let path = temporaryPlotPath("chart.\(ext)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try fig.save(to: path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(String(decoding: bytes.prefix(magic.utf8.count), as: UTF8.self) == magic
                    || Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        }
    }

    @Test func unknownFormatIsAClearError() {
        let path = temporaryPlotPath("chart.jpg")
        #expect(throws: PlotError.unknownFormat(path: path)) { try Figure().save(to: path) }
        #expect(throws: PlotError.unknownFormat(path: "chart")) { try Figure().save(to: "chart") }
        #expect(PlotError.unknownFormat(path: "a.jpg").description.contains(".png, .svg or .pdf"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unwritablePathThrowsAndLeavesNothing() throws {
        let missing = temporaryPlotPath("no-such-dir") + "/chart.png"
        do {
            try Figure().save(to: missing)
            Issue.record("saving into a missing directory succeeded")
        } catch let error as PlotError {
            guard case .cannotWrite(let path, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == missing && reason.contains("does not exist"))
        }
        let directory = temporaryPlotPath("dir.png")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: PlotError.self) { try Figure().save(to: directory) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix(".nnviz-plot-") }
        #expect(leftovers.isEmpty)
    }

    @Test func replacingAFileIsAtomic() throws {
        let path = temporaryPlotPath("chart.svg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try lossFigure().save(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("<?xml"))
    }

    @Test func oversizedImagesAreRefused() {
        let fig = Figure(width: 400, height: 1, dpi: 100)
        #expect(throws: PlotError.invalidImageSize(width: 40000, height: 100)) { try fig.pngData() }
    }

    @Test func formatFromPath() {
        #expect(ImageFormat(path: "a/b/loss.PDF") == .pdf)
        #expect(ImageFormat(path: "dir.png/loss") == nil)
        #expect(ImageFormat(path: ".png") == nil)
    }

    @Test func emptyAndNaNChartsRender() throws {
        var fig = Figure(rows: 1, cols: 2)
        fig[0, 1].plot([Double.nan, .nan], label: "loss")
        fig[0, 1].legend()
        let png = try fig.pngData()
        #expect(png.count > 1000)
        #expect(fig.warnings == ["axes [0, 1]: no finite data to plot"])
    }
}
