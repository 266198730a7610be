import Testing
@testable import NNVizCore

@Suite struct HeapTuningTests {
    @Test func glibcAcceptsTheTrainingThresholds() {
        // Only the explicit call changes the process's allocator; calling it twice is harmless.
        #expect(HeapTuning.keepTrainingMemory())
        #expect(HeapTuning.keepTrainingMemory())
    }
}
