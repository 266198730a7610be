import Testing
@testable import NNVizPlot

@Suite struct SmoothingTests {
    @Test func matchesTensorBoard() {
        let smoothed = Smoothing.exponentialMovingAverage([1, 2, 3], weight: 0.6)
        // last: 0.4, 0.4*0.6+0.8 = 1.04, 1.04*0.6+1.2 = 1.824; debias 0.4, 0.64, 0.784.
        #expect(close(smoothed, [1, 1.625, 1.824 / 0.784], 1e-12))
    }

    @Test func nonFiniteValuesPassThroughUncounted() {
        let smoothed = Smoothing.exponentialMovingAverage([1, .nan, 2, .infinity, 3], weight: 0.6)
        #expect(smoothed[1].isNaN && smoothed[3] == .infinity)
        #expect(close([smoothed[0], smoothed[2], smoothed[4]], [1, 1.625, 1.824 / 0.784], 1e-12))
    }

    @Test func weightZeroIsIdentityAndConstantIsKept() {
        #expect(Smoothing.exponentialMovingAverage([3, 1, 2], weight: 0) == [3, 1, 2])
        #expect(Smoothing.exponentialMovingAverage([0.1, 0.1, 0.1], weight: 0.9) == [0.1, 0.1, 0.1])
        #expect(Smoothing.exponentialMovingAverage([], weight: 0.5).isEmpty)
    }

    @Test func smoothingStaysWithinTheData() {
        var rng = TestRandom(state: 3)
        let noisy = (0..<1000).map { _ in rng.next() }
        let smoothed = Smoothing.exponentialMovingAverage(noisy, weight: 0.95)
        #expect(smoothed.allSatisfy { $0 >= noisy.min()! && $0 <= noisy.max()! })
        let spread = { (v: [Double]) in v.max()! - v.min()! }
        #expect(spread(Array(smoothed[100...])) < spread(noisy) / 3)
    }
}
