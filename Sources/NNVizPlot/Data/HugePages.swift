#if canImport(Glibc)
import Glibc
#endif

/// Asks Linux for transparent huge pages (2 MB) behind a large buffer about to be filled, so that writing
/// it takes one page fault per 2 MB instead of one per 4 KB: reading a 25 MB log into memory took 6,700
/// faults and most of the read's time. With THP in the kernel's `madvise` mode (the usual default) only
/// regions advised so get them.
///
/// Advice only: where the kernel has no THP, or the buffer holds no whole aligned 2 MB, nothing changes
/// and nothing is reported. The memory must be the caller's own (a `malloc`ed block, an array's storage).
///
/// ```swift
/// let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
///     HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
///     count = fread(buffer.baseAddress!, 1, size, stream)
/// }
/// ```
enum HugePages {
    /// The huge page size on x86-64 and most arm64 kernels.
    static let size = 2 << 20

    /// Advises the whole 2 MB pages inside `region`.
    static func advise(_ region: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = region.baseAddress, region.count >= size else { return }
        let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: base) + region.count) & ~(size - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
