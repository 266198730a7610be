import Foundation
import Testing
@testable import NNVizCore

@Suite struct StatisticsModeTests {
    @Test func valueStatisticsCountNonFiniteApartFromTheMoments() {
        let stats = ValueStatistics(Tensor([1.0, 3.0, .nan, -.infinity, 5.0]))
        #expect(stats.count == 5)
        #expect(stats.nanCount == 1)
        #expect(stats.infCount == 1)
        #expect(stats.min == 1)
        #expect(stats.max == 5)
        #expect(stats.mean == 3)
        // torch.tensor([1., 3., 5.]).std(unbiased=False) = sqrt(8/3)
        #expect(abs(stats.std! - (8.0 / 3).squareRoot()) < 1e-15)
        #expect(stats.dtype == .float32)
        let allBad = ValueStatistics(Tensor([Double.nan]))
        #expect(allBad.min == nil && allBad.mean == nil && allBad.std == nil && allBad.nanCount == 1)
    }

    @Test func nodesRecordTheirOutputOnlyInsideTheMode() {
        let x = Tensor([[1.0, -2.0], [0.5, 4.0]], requiresGrad: true)
        let plain = (x * 2).tanh()
        #expect(plain.gradFn!.outputStatistics == nil)
        #expect(!StatisticsMode.isEnabled)
        let (y, parts) = StatisticsMode.enabled { ((x * 2).tanh(), (x + 1).unbind(0)) }
        let tanhStats = y.gradFn!.outputStatistics!
        #expect(tanhStats.count == 4)
        #expect(abs(tanhStats.max! - Foundation.tanh(8.0)) < 1e-7)
        #expect(abs(tanhStats.min! - Foundation.tanh(-4.0)) < 1e-7)
        let mulStats = y.gradFn!.nextFunctions[0]!.outputStatistics!
        #expect(mulStats.mean == (2.0 - 4.0 + 1.0 + 8.0) / 4)
        // A multi-output node summarises its first output.
        #expect(parts[0].gradFn!.outputStatistics == ValueStatistics(Tensor([2.0, -1.0])))
        // Accumulators stand for leaves, not op outputs.
        #expect(mulStats.count == 4 && y.gradFn!.nextFunctions[0]!.nextFunctions[0]!.outputStatistics == nil)
    }
}
