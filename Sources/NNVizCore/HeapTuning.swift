#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc's malloc from returning tensor memory to the system between training steps.
///
/// By default glibc gives the top of its heap back whenever more than twice its mmap threshold is
/// free there, and that threshold follows the largest block freed so far (a few hundred kilobytes for
/// a small RNN's activations). A training step frees and allocates the same such buffers every time,
/// so every step faults the same pages back in; for the sine RNN that was half the run time. The first
/// tensor of ``largeCount`` elements or more sets fixed values instead, once per process: blocks up to
/// 32 MB (glibc's own ceiling for the dynamic threshold) come from the heap, and up to 64 MB of free
/// heap top is kept. Smaller tensors skip even the one-time check.
///
/// `mallopt` is declared in `<malloc.h>`, which the Glibc module does not export, so it is looked up
/// by name; elsewhere (or if the lookup fails) nothing changes.
enum HeapTuning {
    /// Element count from which a new tensor makes sure the thresholds are set (32 KB of float32, a
    /// quarter of glibc's initial mmap threshold).
    static let largeCount = 8192

    static let applied: Bool = {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }  // nil handle: RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, 64 << 20) == 1
        #else
        return false
        #endif
    }()
}
