import NNVizCore

/// Batches of a dataset, optionally shuffled each epoch, like `torch.utils.data.DataLoader` with
/// `num_workers=0` and the default collation.
///
/// Iterating is one epoch. Each epoch draws from the random stream exactly as PyTorch does, so a seeded
/// run shuffles identically and leaves the generator in the same state: making the iterator draws one
/// 64-bit value (PyTorch's worker base seed, unused here); with `shuffle`, the first batch draws a second
/// one that seeds a fresh ``NNVizCore/Generator`` (low 32 bits), whose `randperm(count)` is the epoch's order.
/// Given an explicit `generator`, both the first draw and the permutation come from it directly, as in
/// PyTorch's `DataLoader(..., generator=g)`, and running the sampler to its end draws one more (unused)
/// permutation from it, as PyTorch's `RandomSampler` does. Batches are consecutive slices of the order;
/// `dropLast` drops a final partial batch. Targets keep their dtype (int64 class labels stay int64).
///
/// ```swift
/// manualSeed(0)
/// let loader = DataLoader(TensorDataset(x, labels), batchSize: 32, shuffle: true)
/// for epoch in 0..<10 {
///     for (xb, yb) in loader { train(xb, yb) }
/// }
/// ```
public struct DataLoader: Sequence {
    /// The samples.
    public let dataset: any Dataset
    /// Samples per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a new random order.
    public let shuffle: Bool
    /// Whether to drop the last batch when it is smaller than `batchSize`.
    public let dropLast: Bool
    /// The generator to draw from, or nil for the default generator with a fresh sampler seed per epoch.
    public let generator: NNVizCore.Generator?
    /// The stream standing for PyTorch's global generator when `generator` is nil (``defaultGenerator``).
    let globalGenerator: NNVizCore.Generator

    /// A loader over `dataset`.
    public init(_ dataset: any Dataset, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
                generator: NNVizCore.Generator? = nil) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  globalGenerator: defaultGenerator)
    }

    /// A loader whose default-generator draws come from `globalGenerator` (tests use a private stream).
    init(_ dataset: any Dataset, batchSize: Int, shuffle: Bool, dropLast: Bool, generator: NNVizCore.Generator?,
         globalGenerator: NNVizCore.Generator) {
        precondition(batchSize > 0, "batch_size should be a positive integer value, but got batch_size=\(batchSize)")
        precondition(!shuffle || dataset.count > 0,
                     "num_samples should be a positive integer value, but got num_samples=\(dataset.count)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.globalGenerator = globalGenerator
    }

    /// The number of batches in an epoch, like `len(loader)`.
    public var count: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The number of batches, so `Array(loader)` reserves exactly.
    public var underestimatedCount: Int { count }

    /// Starts an epoch (drawing PyTorch's base seed from the generator).
    public func makeIterator() -> Iterator {
        _ = (generator ?? globalGenerator).randomInt64()
        return Iterator(loader: self)
    }

    /// One epoch of batches.
    public struct Iterator: IteratorProtocol {
        let loader: DataLoader
        private var order: [Int]?
        private var position = 0
        private var exhausted = false

        init(loader: DataLoader) {
            self.loader = loader
        }

        /// The sample order of this epoch (drawn with the first batch, as PyTorch's sampler does).
        private func drawOrder() -> [Int] {
            let n = loader.dataset.count
            guard loader.shuffle else { return Array(0..<n) }
            if let generator = loader.generator { return generator.randperm(n) }
            let seed = loader.globalGenerator.randomInt64()
            return NNVizCore.Generator(seed: UInt64(seed)).randperm(n)
        }

        /// Runs PyTorch's sampler past its last index: its generator's trailing `randperm(n)[:0]`.
        private mutating func exhaustSampler() {
            guard !exhausted else { return }
            exhausted = true
            if loader.shuffle, let generator = loader.generator { _ = generator.randperm(loader.dataset.count) }
        }

        public mutating func next() -> (Tensor, Tensor)? {
            if order == nil { order = drawOrder() }
            let all = order!
            if position + loader.batchSize > all.count { exhaustSampler() }
            let end = Swift.min(position + loader.batchSize, all.count)
            guard end > position, !(loader.dropLast && end - position < loader.batchSize) else { return nil }
            let indices = Array(all[position..<end])
            position = end
            return loader.dataset.batch(indices)
        }
    }
}
