import Testing
@testable import NNVizGraph

@Suite struct DotEncoderTests {
    // MARK: - Golden text

    /// Each statement is byte for byte the line torchviz writes in torchviz_seed000_loss.dot;
    /// only the order differs (nodes first, then edges). dotcompare.py reports "same graph".
    @Test func seed000MatchesTorchvizStatements() {
        let expected = """
            digraph {
            \tgraph [size="12,12"]
            \tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]
            \t140515202263360 [label="
             ()" fillcolor=darkolivegreen1]
            \t140515202352896 [label=MseLossBackward0]
            \t140515202353040 [label=AddmmBackward0]
            \t140515202353184 [label=AccumulateGrad]
            \t140515207853104 [label="fc2.bias
             (1)" fillcolor=lightblue]
            \t140515202352992 [label=ReluBackward0]
            \t140515202353232 [label=AddmmBackward0]
            \t140515202353424 [label=AccumulateGrad]
            \t140515207544688 [label="fc1.bias
             (2)" fillcolor=lightblue]
            \t140515202353376 [label=TBackward0]
            \t140515202353472 [label=AccumulateGrad]
            \t140515207732176 [label="fc1.weight
             (2, 3)" fillcolor=lightblue]
            \t140515202353136 [label=TBackward0]
            \t140515202353520 [label=AccumulateGrad]
            \t140515207810496 [label="fc2.weight
             (1, 2)" fillcolor=lightblue]
            \t140515202353040 -> 140515202352896
            \t140515202353184 -> 140515202353040
            \t140515207853104 -> 140515202353184
            \t140515202352992 -> 140515202353040
            \t140515202353232 -> 140515202352992
            \t140515202353424 -> 140515202353232
            \t140515207544688 -> 140515202353424
            \t140515202353376 -> 140515202353232
            \t140515202353472 -> 140515202353376
            \t140515207732176 -> 140515202353472
            \t140515202353136 -> 140515202353040
            \t140515202353520 -> 140515202353136
            \t140515207810496 -> 140515202353520
            \t140515202352896 -> 140515202263360
            }

            """
        #expect(TorchvizReference.seed000Loss().dotSource == expected)
    }

    @Test func savedAndViewEdgesAreWrittenLikeTorchviz() {
        var graph = DotGraph.torchviz()
        graph.add(DotNode(id: "1", label: "MseLossBackward0", kind: .function))
        graph.add(DotNode(id: "2", label: "self\n (1, 1)", kind: .saved))
        graph.add(DotNode(id: "3", label: "\n (2)", kind: .viewBase))
        graph.add(DotEdge(from: "1", to: "2", direction: DotEdge.Direction.none))
        graph.add(DotEdge(from: "3", to: "1", style: .dotted))
        let text = graph.dotSource
        #expect(text.contains("\t2 [label=\"self\n (1, 1)\" fillcolor=orange]\n"))
        #expect(text.contains("\t3 [label=\"\n (2)\" fillcolor=darkolivegreen3]\n"))
        #expect(text.contains("\t1 -> 2 [dir=none]\n"))
        #expect(text.contains("\t3 -> 1 [style=dotted]\n"))
    }

    // MARK: - Size rule

    @Test func torchvizSizeRule() {
        #expect(DotEncoder.sizeText(.torchviz, statements: 29) == "12,12")
        #expect(DotEncoder.sizeText(.torchviz, statements: 80) == "12,12")
        // Python: str(max(12, 81 * 0.15)) == "12.15"; 1627 statements give 244.04999999999998.
        #expect(DotEncoder.sizeText(.torchviz, statements: 81) == "12.15,12.15")
        #expect(DotEncoder.sizeText(.torchviz, statements: 1627) == "244.04999999999998,244.04999999999998")
        #expect(DotEncoder.sizeText(.inches(width: 7.5, height: 10), statements: 5) == "7.5,10")
        #expect(DotEncoder.sizeText(.unbounded, statements: 5) == nil)
    }

    @Test func sizeFollowsTheStatementCount() {
        let graph = SyntheticRNN.graph(steps: 100)
        #expect(graph.statementCount == 616 + 1011)
        #expect(graph.dotSource.contains("\tgraph [size=\"244.04999999999998,244.04999999999998\"]\n"))
    }

    // MARK: - Escaping

    @Test func identifiersAreBareOnlyWhenDotAllowsIt() {
        #expect(DotEncoder.identifier("AddmmBackward0") == "AddmmBackward0")
        #expect(DotEncoder.identifier("_x1") == "_x1")
        #expect(DotEncoder.identifier("140515202263360") == "140515202263360")
        #expect(DotEncoder.identifier("0.2") == "0.2")
        #expect(DotEncoder.identifier("-.5") == "-.5")
        #expect(DotEncoder.identifier("1.2.3") == "\"1.2.3\"")
        #expect(DotEncoder.identifier("fc1.weight") == "\"fc1.weight\"")
        #expect(DotEncoder.identifier("12,12") == "\"12,12\"")
        #expect(DotEncoder.identifier("#add8e6") == "\"#add8e6\"")
        #expect(DotEncoder.identifier("") == "\"\"")
        #expect(DotEncoder.identifier("Node") == "\"Node\"")
        #expect(DotEncoder.identifier("subgraph") == "\"subgraph\"")
        #expect(DotEncoder.identifier("größe") == "\"größe\"")
    }

    @Test func quotesBackslashesAndLineBreaksAreEscaped() {
        #expect(DotEncoder.quoted(#"say "hi""#) == #""say \"hi\"""#)
        #expect(DotEncoder.quoted(#"C:\temp\n"#) == #""C:\\temp\\n""#)
        #expect(DotEncoder.quoted("a\nb") == "\"a\nb\"")
        #expect(DotEncoder.quoted("a\r\nb\rc") == "\"a\nb\nc\"")
        #expect(DotEncoder.quoted("nul\0byte") == "\"nulbyte\"")
        #expect(DotEncoder.quoted("×4 ‖g‖") == "\"×4 ‖g‖\"")
    }

    @Test func awkwardLabelsSurviveGraphviz() throws {
        var graph = DotGraph.torchviz()
        graph.add(DotNode(id: "a\"b", label: "quote \" backslash \\ brace } bracket ]\n second line", kind: .function))
        graph.add(DotNode(id: "graph", label: .table(DotTable(rows: [[.init("<b> & \"c\"")]])), kind: .function))
        graph.add(DotEdge(from: "a\"b", to: "graph", label: "x\"y"))
        let svg = String(decoding: try graph.render(format: .svg), as: UTF8.self)
        #expect(svg.contains("quote &quot; backslash \\ brace } bracket ]"))
        #expect(svg.contains("second line"))
        #expect(svg.contains("&lt;b&gt; &amp; &quot;c&quot;"))
        #expect(svg.contains("x&quot;y"))
    }

    @Test func tableMarkupEscapesTextAndBreaksLines() {
        let table = DotTable(rows: [[DotTable.Cell("a<b>&c\nd", alignment: .left, bold: true, fontColor: "#ff0000",
                                                   background: .lightblue, columnSpan: 2)]])
        #expect(table.markup == "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">"
            + "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" COLSPAN=\"2\" BGCOLOR=\"lightblue\">"
            + "<FONT COLOR=\"#ff0000\"><B>a&lt;b&gt;&amp;c<BR/>d</B></FONT></TD></TR></TABLE>")
        var graph = DotGraph()
        graph.add(DotNode(id: "t", label: .table(table)))
        #expect(graph.dotSource.contains("\tt [label=<<TABLE BORDER=\"0\""))
    }

    // MARK: - Determinism

    @Test func sameGraphGivesSameBytes() {
        let first = SyntheticRNN.graph(steps: 20).prepared(for: RenderOptions(collapse: .always, clusterModules: true,
                                                                               legend: true)).dotSource
        let second = SyntheticRNN.graph(steps: 20).prepared(for: RenderOptions(collapse: .always, clusterModules: true,
                                                                                legend: true)).dotSource
        #expect(first == second)
        #expect(first.utf8.count > 1000)
    }

    // MARK: - Clusters

    @Test func clustersNestAndKeepNodeOrder() {
        var graph = DotGraph()
        graph.add(DotCluster(id: "enc", label: "encoder"))
        graph.add(DotCluster(id: "enc.l1", label: "layer1", parent: "enc"))
        graph.add(DotNode(id: "a", label: "A"))
        var b = DotNode(id: "b", label: "B")
        b.cluster = "enc.l1"
        graph.add(b)
        var c = DotNode(id: "c", label: "C")
        c.cluster = "enc"
        graph.add(c)
        graph.add(DotEdge(from: "a", to: "b"))
        let expected = """
            digraph {
            \ta [label=A]
            \tsubgraph cluster_enc {
            \t\tgraph [label=encoder style=rounded color="#808080"]
            \t\tsubgraph "cluster_enc.l1" {
            \t\t\tgraph [label=layer1 style=rounded color="#808080"]
            \t\t\tb [label=B]
            \t\t}
            \t\tc [label=C]
            \t}
            \ta -> b
            }

            """
        #expect(graph.dotSource == expected)
    }

    @Test func edgeCountsBecomeLabels() {
        var graph = DotGraph()
        graph.add(DotEdge(from: "p", to: "f", count: 97))
        graph.add(DotEdge(from: "q", to: "f", label: "own", count: 3))
        #expect(graph.dotSource.contains("\tp -> f [label=\"×97\"]\n"))
        #expect(graph.dotSource.contains("\tq -> f [label=own]\n"))
    }
}
