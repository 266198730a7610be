@testable import NNVizGraph

/// Graphs equal to the torchviz reference files in /work/shared/reference, built by hand with
/// torchviz's node ids, in the order torchviz first names each node.
enum TorchvizReference {
    /// `torchviz_seed000_loss.dot`: MLP 3 → 2 → 1 with ReLU and an MSE loss.
    static func seed000Loss(modules: Bool = false) -> DotGraph {
        var graph = DotGraph.torchviz()
        func function(_ id: String, _ name: String, _ module: String? = nil) {
            graph.add(DotNode(id: id, label: .text(name), kind: .function, modulePath: modules ? module : nil))
        }
        func parameter(_ id: String, _ name: String, _ shape: String, _ module: String) {
            graph.add(DotNode(id: id, label: .text(name + "\n " + shape), kind: .parameter, groupKey: name,
                              modulePath: modules ? module : nil))
        }
        graph.add(DotNode(id: "140515202263360", label: "\n ()", kind: .output))
        function("140515202352896", "MseLossBackward0")
        function("140515202353040", "AddmmBackward0", "fc2")
        function("140515202353184", "AccumulateGrad", "fc2")
        parameter("140515207853104", "fc2.bias", "(1)", "fc2")
        function("140515202352992", "ReluBackward0")
        function("140515202353232", "AddmmBackward0", "fc1")
        function("140515202353424", "AccumulateGrad", "fc1")
        parameter("140515207544688", "fc1.bias", "(2)", "fc1")
        function("140515202353376", "TBackward0", "fc1")
        function("140515202353472", "AccumulateGrad", "fc1")
        parameter("140515207732176", "fc1.weight", "(2, 3)", "fc1")
        function("140515202353136", "TBackward0", "fc2")
        function("140515202353520", "AccumulateGrad", "fc2")
        parameter("140515207810496", "fc2.weight", "(1, 2)", "fc2")
        for (from, to) in [("140515202353040", "140515202352896"), ("140515202353184", "140515202353040"),
                           ("140515207853104", "140515202353184"), ("140515202352992", "140515202353040"),
                           ("140515202353232", "140515202352992"), ("140515202353424", "140515202353232"),
                           ("140515207544688", "140515202353424"), ("140515202353376", "140515202353232"),
                           ("140515202353472", "140515202353376"), ("140515207732176", "140515202353472"),
                           ("140515202353136", "140515202353040"), ("140515202353520", "140515202353136"),
                           ("140515207810496", "140515202353520"), ("140515202352896", "140515202263360")]
        {
            graph.add(DotEdge(from: from, to: to))
        }
        return graph
    }
}
