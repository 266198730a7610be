import Dispatch
import Foundation
import Synchronization

/// nnviz's intra-op parallelism: one operation's work split into contiguous ranges over a few threads
/// (matrix products and layers in NNVizCore and NNVizNN, CSV reading in NNVizPlot). Its thread count is
/// NNVizCore's `setNumThreads`/`getNumThreads`.
package enum Parallel {
    /// How many threads one operation may use (NNVizCore's `setNumThreads` sets it).
    package static let threads = Atomic<Int>(defaultThreads(ProcessInfo.processInfo.environment["OMP_NUM_THREADS"],
                                                            processors: ProcessInfo.processInfo.activeProcessorCount))

    /// `OMP_NUM_THREADS` when it is a positive number (as PyTorch reads it), else the active processors.
    package static func defaultThreads(_ environment: String?, processors: Int) -> Int {
        if let environment, let count = Int(environment.trimmingCharacters(in: .whitespaces)), count > 0 { return count }
        return max(1, processors)
    }

    /// Held while a split runs on several threads: a split started meanwhile from another thread runs its
    /// parts one after another on its caller's thread instead of oversubscribing the cores.
    private static let gate = NSLock()

    /// Marks the threads running a part: work split inside a part (a matrix product inside a convolution's
    /// per-sample work) is not split again, whether the outer parts run in parallel or one after another.
    private static let partKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// The least work worth a thread of its own, in rough nanoseconds (about 33 µs: waking a pool thread
    /// costs several microseconds). Callers state their cost per index in the same unit: an elementwise
    /// step is about 1, a BLAS multiply-add about 1/8 (``multiplyAdds(_:)``).
    package static let grain = 1 << 15

    /// The cost, in ``grain``'s unit, of `count` multiply-adds inside BLAS (eight per nanosecond, near an
    /// AVX2 core's rate), so that products under about a quarter of a million multiply-adds stay whole.
    package static func multiplyAdds(_ count: Int) -> Int { count / 8 }

    /// Runs `body(part, range)` for each of ``partCount(_:cost:)`` contiguous ranges covering `0..<count`
    /// (`cost`: the work of one index, in ``grain``'s unit), on up to ``threads`` threads at once — or on
    /// the caller's thread one after another when the work is small or another thread's split is running.
    /// The parts depend only on `count`, `cost`, the thread count and whether the caller is itself inside a
    /// part, so results that combine per-part partial values (indexed by `part`) are the same every run.
    ///
    /// ```swift
    /// let parts = Parallel.partCount(batch, cost: work)
    /// Parallel.forEachPart(batch, cost: work) { part, samples in for n in samples { … } }
    /// ```
    package static func forEachPart(_ count: Int, cost: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        let parts = partCount(count, cost: cost)
        guard parts > 1 else {
            if count > 0 { body(0, 0..<count) }
            return
        }
        guard gate.try() else {
            for part in 0..<parts { insidePart { body(part, range(part, of: parts, count: count)) } }
            return
        }
        defer { gate.unlock() }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                insidePart { shared.value(part, range(part, of: parts, count: count)) }
            }
        }
    }

    /// Runs `body` marked as a part (see ``partKey``), restoring the thread's previous mark.
    private static func insidePart(_ body: () -> Void) {
        let previous = pthread_getspecific(partKey)
        precondition(pthread_setspecific(partKey, UnsafeRawPointer(bitPattern: 1)) == 0, "pthread_setspecific failed")
        body()
        precondition(pthread_setspecific(partKey, previous) == 0, "pthread_setspecific failed")
    }

    /// How many parts ``forEachPart(_:cost:_:)`` splits `count` indices of `cost` each into.
    package static func partCount(_ count: Int, cost: Int) -> Int {
        if pthread_getspecific(partKey) != nil { return 1 }
        let work = count.multipliedReportingOverflow(by: max(cost, 1))
        let byWork = work.overflow ? Int.max : work.partialValue / grain
        return max(1, min(threads.load(ordering: .relaxed), count, byWork))
    }

    /// The `part`-th of `parts` contiguous, nearly equal ranges covering `0..<count`.
    package static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }
}

/// A closure handed to the pool's threads. The ranges they receive are disjoint and the caller waits for
/// all of them, so the closure's captures are never touched by two threads at once.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
