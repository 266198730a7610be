/// One self-contained HTML page showing a laid-out graph: the SVG inlined, the data as one JSON
/// object, and a small inlined script and style (no network, no external file), so the file opens from
/// disk in any current browser.
///
/// The page pans and zooms (wheel, drag, the Fit button or `F`), searches nodes by label, operation,
/// name or module (`/` to focus, Enter and Shift+Enter or `n`/`N` through the matches), shows a node's
/// data in a side panel on hover or click, highlights on click everything that feeds the node (blue)
/// and everything it feeds (green), and expands folded `×N` blocks in place.
///
/// Any drawing fits if its nodes and edges follow the conventions of ``DotGraph/page(options:title:)``:
/// node `g` elements with `id="node_<id>"`, edge `g` elements with `id="edge_<index>"` (the index into
/// the data's drawn edges), and one `<template id="nnviz-fold-<block id>">` per fold holding the SVG of
/// one step, with the data following the schema of ``DotGraph/pageData``.
///
/// ```swift
/// let page = try makeDot(loss).page(title: "sine RNN")
/// try page.write(to: "output/sine_rnn_graph.html")
/// ```
public struct GraphPage: Sendable {
    /// Shown as the page's title and in its top bar.
    public var title: String
    /// The drawing: Graphviz's SVG output.
    public var svg: String
    /// The JSON object of ``DotGraph/pageData``.
    public var data: String
    /// One step's SVG per folded block, by the block's node id.
    public var foldTemplates: [(id: String, svg: String)]

    public init(title: String, svg: String, data: String, foldTemplates: [(id: String, svg: String)] = []) {
        self.title = title
        self.svg = svg
        self.data = data
        self.foldTemplates = foldTemplates
    }

    /// The page's HTML text.
    public var html: String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"nnviz\">\n"
        out += "<title>" + GraphPage.escape(title) + " — nnviz</title>\n<style>\n" + GraphPage.style + "</style>\n</head>\n<body>\n"
        out += "<header id=\"nnviz-bar\"><h1 title=\"" + GraphPage.escape(title) + "\">" + GraphPage.escape(title) + "</h1>"
        out += "<input id=\"nnviz-search\" type=\"search\" placeholder=\"Search name or operation  ( / )\" autocomplete=\"off\" spellcheck=\"false\">"
        out += "<button id=\"nnviz-prev\" class=\"nnviz-button\" title=\"Previous match (Shift+Enter)\">↑</button>"
        out += "<button id=\"nnviz-next\" class=\"nnviz-button\" title=\"Next match (Enter)\">↓</button>"
        out += "<span id=\"nnviz-count\"></span>"
        out += "<button id=\"nnviz-fit\" class=\"nnviz-button\" title=\"Fit to window (F)\">Fit</button>"
        out += "<span id=\"nnviz-legend\"><span><i style=\"background:lightblue\"></i>parameter</span>"
        out += "<span><i style=\"background:lightgrey\"></i>function</span><span><i style=\"background:#caff70\"></i>output</span>"
        out += "<span><i style=\"background:orange\"></i>saved</span><span><i style=\"background:#e6e0f4\"></i>folded ×N</span>"
        out += "<span><i style=\"background:#ff6b6b\"></i>NaN/Inf</span></span></header>\n"
        out += "<main id=\"nnviz-view\">\n" + GraphPage.inlineSVG(svg) + "</main>\n"
        out += "<aside id=\"nnviz-panel\"></aside>\n"
        for (id, step) in foldTemplates {
            out += "<template id=\"nnviz-fold-" + GraphPage.escape(id) + "\">" + GraphPage.inlineSVG(step) + "</template>\n"
        }
        // Escaped by JSONText already; `<` never occurs outside a JSON string, so this is only a guard.
        let safeData = data.replacingOccurrences(of: "<", with: "\\u003c")
        out += "<script type=\"application/json\" id=\"nnviz-data\">" + safeData + "</script>\n"
        out += "<script>\n" + GraphPage.script + "</script>\n</body>\n</html>\n"
        return out
    }

    /// Graphviz's SVG document made fit to sit inside HTML: from `<svg` on (no XML declaration or
    /// doctype), without comments (Graphviz writes node and cluster names in them), and without the
    /// title of an unnamed graph (`%147`, a counter that changes from call to call).
    static func inlineSVG(_ document: String) -> String {
        guard let start = document.range(of: "<svg") else { return "" }
        var out = ""
        var rest = document[start.lowerBound...]
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            rest = rest[close.upperBound...]
        }
        out += rest
        if let title = out.range(of: "<title>%"), let end = out[title.upperBound...].range(of: "</title>") {
            out.removeSubrange(title.lowerBound..<end.upperBound)
        }
        return out
    }

    /// Text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
