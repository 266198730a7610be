import Dispatch
import Foundation
import Synchronization

/// Sets how many threads one operation may use, like `torch.set_num_threads` (PyTorch's intra-op
/// threads). The default is the number of active processors. nnviz splits its large operations itself —
/// matrix products by rows or columns, convolutions and batch norms by samples or channels — and runs
/// each BLAS call on the thread that makes it (see ``getNumThreads()``).
///
/// ```swift
/// setNumThreads(1)   // every operation on the calling thread, as torch.set_num_threads(1)
/// ```
public func setNumThreads(_ count: Int) {
    precondition(count > 0, "Expected positive number of threads")
    Parallel.threads.store(count, ordering: .relaxed)
}

/// The number of threads one operation may use, like `torch.get_num_threads()`.
///
/// Results that sum partial values per thread (a convolution's weight gradient, a batch norm's
/// statistics) depend on this number in their last bits, as PyTorch's do; for a given number they are
/// the same on every run. OpenBLAS is set to one thread the first time nnviz calls it, so that its
/// own threads do not compete with these.
///
/// ```swift
/// print(getNumThreads())   // 2 on a two-core machine
/// ```
public func getNumThreads() -> Int {
    Parallel.threads.load(ordering: .relaxed)
}

/// nnviz's intra-op parallelism: one operation's work split into contiguous ranges over a few threads.
package enum Parallel {
    static let threads = Atomic<Int>(max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// Held while a split runs: a split started inside another (a matrix product inside a convolution's
    /// per-sample work) or from another thread meanwhile runs on its caller's thread instead of
    /// oversubscribing the cores.
    private static let gate = NSLock()

    /// The least work, in rough scalar operations, worth a thread of its own (a few microseconds).
    static let grain = 1 << 15

    /// Runs `body(part, range)` for each of ``partCount(_:cost:)`` contiguous ranges covering `0..<count`,
    /// on up to ``getNumThreads()`` threads at once — on the caller's thread one after another when the
    /// work is small, or inside another split (a matrix product inside a convolution's per-sample work),
    /// or while another thread's split runs. The parts depend only on `count`, `cost` and the thread
    /// count, so results that combine per-part partial values (indexed by `part`) are the same every run.
    ///
    /// ```swift
    /// let parts = Parallel.partCount(batch, cost: work)
    /// Parallel.forEachPart(batch, cost: work) { part, samples in for n in samples { … } }
    /// ```
    package static func forEachPart(_ count: Int, cost: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        let parts = partCount(count, cost: cost)
        guard parts > 1, gate.try() else {
            for part in 0..<parts where count > 0 { body(part, range(part, of: parts, count: count)) }
            return
        }
        defer { gate.unlock() }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                shared.value(part, range(part, of: parts, count: count))
            }
        }
    }

    /// How many parts ``forEachPart(_:cost:_:)`` splits `count` indices of `cost` each into.
    package static func partCount(_ count: Int, cost: Int) -> Int {
        let work = count.multipliedReportingOverflow(by: max(cost, 1))
        let byWork = work.overflow ? Int.max : work.partialValue / grain
        return max(1, min(getNumThreads(), count, byWork))
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
