/// The losses a model file can name, with their arguments.
enum LossCatalog {
    /// Loss names and whether their targets are class indices.
    static let losses: [String: Bool] = [
        "mse": false, "l1": false, "smooth_l1": false, "huber": false, "cross_entropy": true, "nll": true,
        "bce": false, "bce_with_logits": false,
    ]

    static let arguments: [String: [ArgumentSchema]] = [
        "mse": [], "l1": [], "cross_entropy": [], "nll": [], "bce": [], "bce_with_logits": [],
        "smooth_l1": [.optional("beta", .double, .double(1))],
        "huber": [.optional("delta", .double, .double(1))],
    ].mapValues { $0 + [.optional("reduction", .choice(["mean", "sum", "none"]), .text("mean"))] }
}
