import NNVizSupport

/// Sets how many threads one operation may use, like `torch.set_num_threads` (PyTorch's intra-op
/// threads). The default is `OMP_NUM_THREADS` when set, else the number of active processors. nnviz
/// splits its large operations itself — matrix products by rows or columns, convolutions by samples,
/// norms by channels or rows, CSV logs by blocks of lines — and runs each BLAS call on the thread that
/// makes it (see ``getNumThreads()``).
///
/// OpenBLAS starts worker threads of its own when it is loaded and they spin for a while before they
/// sleep; this call (or the first matrix product) puts OpenBLAS in single-threaded mode and ends them, so
/// a short-lived program that multiplies no matrices (nnviz's `plot`) sets its count once at the start.
///
/// ```swift
/// setNumThreads(1)                // every operation on the calling thread, as torch.set_num_threads(1)
/// setNumThreads(getNumThreads())  // the default, with OpenBLAS's idle threads ended now
/// ```
public func setNumThreads(_ count: Int) {
    precondition(count > 0, "Expected positive number of threads")
    Parallel.threads.store(count, ordering: .relaxed)
    BLAS.runSingleThreaded()
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
