#if canImport(Glibc)
import CMalloc
#endif

/// Keeps glibc's malloc from handing tensor memory back to the system between training steps: an
/// explicit, process-wide setting that training executables opt into once, before their first step.
///
/// By default glibc gives the top of its heap back whenever more than twice its mmap threshold is
/// free there, and that threshold follows the largest block freed so far (a few hundred kilobytes for
/// a small RNN's activations). A training step frees and allocates the same buffers every time, so
/// every step faults the same pages back in; for the sine RNN that was half the run time. This sets
/// fixed values instead: blocks up to 32 MB (glibc's own ceiling for the dynamic threshold) come from
/// the heap, and up to 64 MB of free heap top is kept. It also raises the fast-bin limit to glibc's
/// maximum (160-byte blocks), the size of an autograd node: a graph of scalar ops allocates and frees
/// one per op, and fast bins reuse them without coalescing neighbours.
///
/// A library never changes this behind its user's back: nnviz's own executables, benchmarks and
/// samples call it; a training script decides for itself.
///
/// ```swift
/// import NNViz
/// HeapTuning.keepTrainingMemory()   // once, at the top of main.swift
/// ```
public enum HeapTuning {
    /// Largest block served from the heap instead of its own mapping.
    public static let mmapThreshold: Int32 = 32 << 20
    /// Free memory kept at the top of the heap instead of being returned to the system.
    public static let trimThreshold: Int32 = 64 << 20
    /// Largest request served from glibc's fast bins (`M_MXFAST`; 160 is its maximum on 64-bit).
    public static let fastBinLimit: Int32 = 160

    /// Sets the thresholds for the whole process. Returns false where the C library has no such
    /// controls (not glibc) or refuses them; calling it again is harmless.
    @discardableResult
    public static func keepTrainingMemory() -> Bool {
        #if canImport(Glibc)
        return mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1
            && mallopt(M_MXFAST, fastBinLimit) == 1
        #else
        return false
        #endif
    }
}
