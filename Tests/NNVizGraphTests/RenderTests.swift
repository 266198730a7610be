import Foundation
import Testing
@testable import NNVizGraph

/// Width and height from a PNG's IHDR chunk.
func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    guard bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
    func int(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (int(16), int(20))
}

/// A fresh empty directory under the system's temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnviz-graph-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct RenderTests {
    let graph = TorchvizReference.seed000Loss()

    // MARK: - Formats

    @Test func pngHasSignatureAndSize() throws {
        let png = try graph.render(format: .png)
        let size = try #require(pngSize(png))
        // 15 boxes in 7 ranks at 96 dpi: a few hundred pixels each way.
        #expect((200...1500).contains(size.width))
        #expect((300...1500).contains(size.height))
        #expect(png.count > 5_000)
    }

    @Test func dpiScalesTheBitmap() throws {
        let small = try #require(pngSize(try graph.render(format: .png, options: RenderOptions(dpi: 48))))
        let large = try #require(pngSize(try graph.render(format: .png, options: RenderOptions(dpi: 192))))
        #expect(abs(Double(large.width) / Double(small.width) - 4) < 0.1)
        #expect(abs(Double(large.height) / Double(small.height) - 4) < 0.1)
    }

    @Test func svgHasLabelsAndSize() throws {
        let svg = String(decoding: try graph.render(format: .svg), as: UTF8.self)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("fc1.weight"))
        #expect(svg.contains("MseLossBackward0"))
        let width = try #require(svg.firstMatch(of: #/<svg width="(\d+)pt"/#)).1
        #expect((150...1200).contains(Int(width)!))
    }

    @Test func pdfHasSignature() throws {
        let pdf = try graph.render(format: .pdf)
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        #expect(String(decoding: pdf.suffix(8), as: UTF8.self).contains("%%EOF"))
    }

    @Test func dotFormatGivesThePreparedSource() throws {
        let dot = String(decoding: try graph.render(format: .dot), as: UTF8.self)
        #expect(dot == graph.prepared(for: RenderOptions()).dotSource)
        #expect(dot.contains("group=main"))
        #expect(dot.hasPrefix("digraph {\n\tgraph [size=\"12,12\"]\n"))
    }

    @Test func leftToRightSetsRankdir() throws {
        let options = RenderOptions(rankDirection: .leftToRight)
        #expect(graph.prepared(for: options).dotSource.contains("\tgraph [size=\"12,12\" rankdir=LR]\n"))
        let tall = try #require(pngSize(try graph.render(format: .png)))
        let wide = try #require(pngSize(try graph.render(format: .png, options: options)))
        #expect(tall.height > tall.width)
        #expect(wide.width > wide.height)
    }

    // MARK: - Errors

    @Test func unknownFormatThrowsGraphvizMessage() throws {
        let error = try #require(throws: GraphvizError.self) { try graph.render(format: GraphFormat("bogus")) }
        guard case .render(let format, let message) = error else {
            Issue.record("expected a render error, got \(error)")
            return
        }
        #expect(format == "bogus")
        #expect(message.contains("renderer for bogus is unavailable"))
        #expect(message.contains("formats this Graphviz knows: "))
        #expect(message.contains(" png "))
        #expect(message.contains(" svg "))
        #expect(error.description.hasPrefix("Graphviz cannot render format 'bogus': "))
    }

    @Test func syntaxErrorThrowsGraphvizMessage() throws {
        let error = try #require(throws: GraphvizError.self) {
            try Graphviz.render(dot: "digraph {\n a -> \n}", format: .svg)
        }
        guard case .syntax(let message) = error else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        // libcgraph's lexer keeps its line counter (and look-ahead) between parses, so the line number it
        // reports depends on what was parsed before in the process; the message itself does not.
        #expect(message.contains("syntax error in line") && message.hasSuffix("near '}'"), "\(message)")
        // The library keeps working after an error.
        #expect(try Graphviz.render(dot: "digraph { a -> b }", format: .svg).count > 100)
    }

    @Test func badOptionsThrow() {
        #expect(throws: GraphvizError.invalidOption("dpi must be a positive number, got 0.0")) {
            try graph.render(format: .png, options: RenderOptions(dpi: 0))
        }
        #expect(throws: GraphvizError.invalidOption("dpi must be a positive number, got nan")) {
            try graph.render(format: .svg, options: RenderOptions(dpi: .nan))
        }
        #expect(throws: GraphvizError.invalidOption("the pixel budget must be positive, got -1")) {
            try graph.render(format: .png, options: RenderOptions(pixelBudget: -1))
        }
    }

    @Test func emptyTextIsNotAGraph() throws {
        #expect(throws: GraphvizError.syntax(message: "no graph found in the text")) {
            try Graphviz.render(dot: "", format: .svg)
        }
    }

    // MARK: - Files

    @Test func renderToFileTakesTheFormatFromTheExtension() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, prefix) in [("g.png", [UInt8](arrayLiteral: 0x89, 0x50, 0x4E, 0x47)), ("g.SVG", Array("<?xml".utf8)),
                               ("g.pdf", Array("%PDF".utf8)), ("g.dot", Array("digraph".utf8))]
        {
            let path = directory.appendingPathComponent(name).path
            try graph.render(to: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(bytes.starts(with: prefix), "\(name)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["g.SVG", "g.dot", "g.pdf", "g.png"])
    }

    @Test func renderToFileReplacesWholeFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("g.dot").path
        try Data(repeating: 0x41, count: 100_000).write(to: URL(fileURLWithPath: path))
        try graph.render(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == graph.prepared(for: RenderOptions()).dotSource)
    }

    @Test func missingDirectoryIsAClearError() throws {
        let path = "/nonexistent-nnviz-dir/sub/g.png"
        #expect(throws: GraphvizError.missingDirectory(path: path, directory: "/nonexistent-nnviz-dir/sub")) {
            try graph.render(to: path)
        }
        #expect(GraphvizError.missingDirectory(path: path, directory: "/nonexistent-nnviz-dir/sub").description
            == "cannot write '/nonexistent-nnviz-dir/sub/g.png': directory '/nonexistent-nnviz-dir/sub' does not exist")
    }

    @Test func unwritableDirectoryIsAClearError() throws {
        let directory = try temporaryDirectory()
        defer {
            chmod(directory.path, 0o755)
            try? FileManager.default.removeItem(at: directory)
        }
        chmod(directory.path, 0o555)
        let path = directory.appendingPathComponent("g.png").path
        guard access(directory.path, W_OK) != 0 else { return }  // root may write anyway
        let error = try #require(throws: GraphvizError.self) { try graph.render(to: path) }
        #expect(error == .writeFailed(path: path, reason: "Permission denied"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func unknownExtensionIsAClearError() throws {
        #expect(throws: GraphvizError.unknownExtension(path: "model.txt")) { try graph.render(to: "model.txt") }
        #expect(throws: GraphvizError.unknownExtension(path: "model")) { try graph.render(to: "model") }
    }

    @Test func formatsFromExtensions() {
        #expect(GraphFormat(pathExtension: "PNG") == .png)
        #expect(GraphFormat(pathExtension: "gv") == .dot)
        #expect(GraphFormat(pathExtension: "jpeg") == GraphFormat("jpg"))
        #expect(GraphFormat(pathExtension: "txt") == nil)
        #expect(GraphFormat("png:cairo").isBitmap)
        #expect(!GraphFormat.svg.isBitmap)
    }

    // MARK: - Threads

    @Test func concurrentRendersTakeTurns() async throws {
        let small = graph
        let big = SyntheticRNN.graph(steps: 8)
        let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<24 {
                group.addTask {
                    let format: GraphFormat = [.png, .svg, .pdf][index % 3]
                    if index % 5 == 4 {
                        _ = try? Graphviz.render(dot: "digraph { broken -> }", format: format)
                    }
                    return try (index.isMultiple(of: 2) ? small : big).render(format: format).count
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sizes.count == 24)
        #expect(sizes.allSatisfy { $0 > 1_000 })
    }
}
