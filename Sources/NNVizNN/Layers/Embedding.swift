import NNVizCore

/// A lookup table of `numEmbeddings` vectors of size `embeddingDim`, like
/// `nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)`: int64 indices of any shape select rows.
///
/// The weight is drawn as PyTorch draws it, `normal_(0, 1)` from the generator, with the `paddingIdx` row
/// (if any) then zeroed; that row gets no gradient. Records `EmbeddingBackward0`.
///
/// ```swift
/// manualSeed(0)
/// let table = Embedding(10, 3)
/// let vectors = table(Tensor([[1, 2, 4, 5], [4, 3, 2, 9]]))     // (2, 4, 3)
/// ```
public final class Embedding: Module {
    public let numEmbeddings: Int
    public let embeddingDim: Int
    /// The row that stays zero and gets no gradient, counted from the start.
    public let paddingIdx: Int?
    @Param public var weight: Tensor?

    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil, generator: Generator = defaultGenerator) {
        precondition(numEmbeddings > 0 && embeddingDim > 0, "Embedding: sizes must be positive, got (\(numEmbeddings), \(embeddingDim))")
        if let paddingIdx {
            precondition(paddingIdx < numEmbeddings && paddingIdx >= -numEmbeddings, "Padding_idx must be within num_embeddings")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIdx = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        super.init()
        let w = Tensor.zeros([numEmbeddings, embeddingDim])
        w.normal_(0, 1, generator: generator)
        if let row = self.paddingIdx { w[row] = Tensor(0.0) }
        weight = w
    }

    public override func forward(_ indices: Tensor) -> Tensor {
        embedding(indices, weight!, paddingIdx: paddingIdx)
    }

    /// Throws PyTorch's error for indices that are not int64 or fall outside the table.
    public override func check(_ indices: Tensor) throws {
        try checkEmbedding(indices, weight!)
    }

    /// The shape of the looked-up vectors for indices of shape `input`: `input + [embeddingDim]`.
    /// (Whether the indices are int64 and in range depends on their values; ``check(_:)`` checks those.)
    ///
    /// ```swift
    /// try Embedding.outputShape(input: [2, 4], numEmbeddings: 10, embeddingDim: 3)    // [2, 4, 3]
    /// ```
    public static func outputShape(input: [Int], numEmbeddings: Int, embeddingDim: Int) throws -> [Int] {
        input + [embeddingDim]
    }

    public override var extraDescription: String {
        "\(numEmbeddings), \(embeddingDim)" + (paddingIdx.map { ", padding_idx=\($0)" } ?? "")
    }
}
