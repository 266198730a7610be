import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// TensorDataset and DataLoader against PyTorch's shuffling (dataloader.json).
///
/// The loaders draw from a private generator standing in for PyTorch's global one, so these tests never
/// touch ``defaultGenerator`` while other suites run in parallel.
struct DataLoaderTests {
    struct Fixture: Decodable {
        struct Epoch: Decodable {
            let batches: [[Int]]
            let base_seed: Int64
            let sampler_seed: Int64
            let sampler_seed_low32: UInt32
            let order: [Int]
        }

        struct Run: Decodable {
            let seed: UInt64
            let n: Int
            let batch_size: Int
            let drop_last: Bool
            let epochs: [Epoch]
            let rand2_after: [Double]
        }

        let runs: [Run]
    }

    static let fixture: Fixture = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/dataloader.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    static func integers(_ n: Int, times factor: Int = 1) -> Tensor {
        Tensor(shape: [n], values: (0..<n).map { Double($0 * factor) }, dtype: .int64)
    }

    @Test func fixtureCoversEveryConfiguration() {
        #expect(Self.fixture.runs.count == 8)
    }

    @Test func shuffledEpochsMatchPyTorch() {
        for run in Self.fixture.runs {
            let global = Generator(seed: run.seed)
            let loader = DataLoader(TensorDataset(Self.integers(run.n), Self.integers(run.n, times: 10)),
                                    batchSize: run.batch_size, shuffle: true, dropLast: run.drop_last,
                                    generator: nil, globalGenerator: global)
            for epoch in run.epochs {
                #expect(loader.count == epoch.batches.count)
                var batches: [[Int]] = []
                for (x, y) in loader {
                    #expect(x.dtype == .int64 && y.dtype == .int64)
                    #expect(y.scalars == x.scalars.map { $0 * 10 })
                    batches.append(x.scalars.map { Int($0) })
                }
                #expect(batches == epoch.batches, "seed \(run.seed) n \(run.n) batch \(run.batch_size)")
            }
            #expect(Tensor.rand([2], generator: global).floats == run.rand2_after.map { Float($0) })
        }
    }

    @Test func eachEpochDrawsTheBaseSeedThenTheSamplerSeed() {
        for run in Self.fixture.runs {
            let global = Generator(seed: run.seed)
            for epoch in run.epochs {
                #expect(global.randomInt64() == epoch.base_seed)
                let samplerSeed = global.randomInt64()
                #expect(samplerSeed == epoch.sampler_seed)
                #expect(UInt32(truncatingIfNeeded: samplerSeed) == epoch.sampler_seed_low32)
                #expect(Generator(seed: UInt64(samplerSeed)).randperm(run.n) == epoch.order)
            }
        }
    }

    @Test func sequentialLoaderStillDrawsTheBaseSeed() {
        // PyTorch: an unshuffled epoch is 0..<n in order and consumes one int64 draw (the base seed).
        let global = Generator(seed: 0)
        let loader = DataLoader(TensorDataset(Self.integers(10), Self.integers(10, times: 10)), batchSize: 4,
                                shuffle: false, dropLast: false, generator: nil, globalGenerator: global)
        #expect(loader.map { $0.0.scalars } == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(global.randomInt64() == 3969543146641149120)
    }

    @Test func explicitGeneratorShufflesFromItselfOnly() {
        // PyTorch: g = torch.Generator().manual_seed(5); DataLoader(TensorDataset(arange(n), 10 * arange(n)),
        // batch_size=4, shuffle=True, generator=g, drop_last=...), two epochs. Each epoch draws the base seed and
        // randperm(n) from g, and one more randperm(n) when the sampler runs out.
        let cases: [(n: Int, dropLast: Bool, epochs: [[[Double]]])] = [
            (10, false, [[[7, 4, 8, 1], [2, 3, 6, 5], [9, 0]], [[2, 1, 6, 3], [5, 9, 4, 7], [8, 0]]]),
            (10, true, [[[7, 4, 8, 1], [2, 3, 6, 5]], [[2, 1, 6, 3], [5, 9, 4, 7]]]),
            (8, false, [[[7, 4, 1, 3], [2, 0, 6, 5]], [[7, 6, 5, 2], [4, 3, 1, 0]]]),
            (8, true, [[[7, 4, 1, 3], [2, 0, 6, 5]], [[7, 6, 5, 2], [4, 3, 1, 0]]]),
        ]
        for c in cases {
            // The global stream is left alone: its first draw after seed 0 is still 900450186894289455.
            let global = Generator(seed: 0)
            let loader = DataLoader(TensorDataset(Self.integers(c.n), Self.integers(c.n, times: 10)), batchSize: 4,
                                    shuffle: true, dropLast: c.dropLast, generator: Generator(seed: 5),
                                    globalGenerator: global)
            #expect(loader.map { $0.0.scalars } == c.epochs[0], "n \(c.n) dropLast \(c.dropLast)")
            #expect(loader.map { $0.0.scalars } == c.epochs[1], "n \(c.n) dropLast \(c.dropLast)")
            #expect(global.randomInt64() == 900450186894289455)
        }
    }

    @Test func stoppingAfterTheLastFullBatchSkipsTheTrailingPermutation() {
        // PyTorch: with n = 8, batch 4 and generator g seeded 5, taking two batches with next() and starting a
        // new epoch leaves the sampler unfinished, so the second epoch differs from a fully iterated one.
        let loader = DataLoader(TensorDataset(Self.integers(8), Self.integers(8)), batchSize: 4, shuffle: true,
                                generator: Generator(seed: 5))
        var first = loader.makeIterator()
        #expect([first.next()!.0.scalars, first.next()!.0.scalars] == [[7, 4, 1, 3], [2, 0, 6, 5]])
        var second = loader.makeIterator()
        #expect([second.next()!.0.scalars, second.next()!.0.scalars] == [[6, 5, 4, 0], [2, 1, 3, 7]])
    }

    @Test func batchesStackRowsAndKeepDtypes() {
        let x = Tensor(shape: [4, 2], floats: [0, 1, 10, 11, 20, 21, 30, 31])
        let y = Tensor(shape: [4], values: [3, 1, 4, 1], dtype: .int64)
        let data = TensorDataset(x, y)
        #expect(data.count == 4)
        let (x2, y2) = data[2]
        #expect(x2.shape == [2] && x2.floats == [20, 21])
        #expect(y2.shape == [] && y2.dtype == .int64 && y2.item() == 4)
        let batches = Array(DataLoader(data, batchSize: 3))
        #expect(batches.count == 2)
        #expect(batches[0].0.shape == [3, 2] && batches[0].0.floats == [0, 1, 10, 11, 20, 21])
        #expect(batches[1].0.shape == [1, 2] && batches[1].0.floats == [30, 31])
        #expect(batches[0].1.dtype == .int64 && batches[0].1.scalars == [3, 1, 4])
        let stacked = data.batch([3, 0])
        #expect(stacked.0.floats == [30, 31, 0, 1] && stacked.1.scalars == [1, 3])
    }

    @Test func countIsTheNumberOfBatches() {
        let data = TensorDataset(Tensor.zeros([10, 1]), Tensor.zeros([10]))
        #expect(DataLoader(data, batchSize: 3).count == 4)
        #expect(DataLoader(data, batchSize: 3, dropLast: true).count == 3)
        #expect(DataLoader(data, batchSize: 10, dropLast: true).count == 1)
        #expect(DataLoader(data, batchSize: 20, dropLast: true).count == 0)
        #expect(Array(DataLoader(data, batchSize: 20, dropLast: true)).isEmpty)
    }
}
