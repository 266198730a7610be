import CZlib

/// A zlib deflate stream (RFC 1950), ended in `deinit`; every status is checked.
///
/// PNG scanlines of a chart are mostly long runs of equal filtered bytes, so the stream uses level 1 with
/// the `Z_RLE` strategy (matches at distance 1 only): nearly the size of zlib's default level in a small
/// fraction of the time.
///
/// ```swift
/// let compressed = try ZlibStream().compress(bytes)
/// ```
final class ZlibStream {
    private var stream = z_stream()

    init(level: Int32 = 1, strategy: Int32 = Z_RLE) throws {
        let status = deflateInit2_(&stream, level, Z_DEFLATED, MAX_WBITS, 8, strategy, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size))
        try Self.check(status, "deflateInit2")
    }

    deinit { deflateEnd(&stream) }

    /// All of `input` as one zlib stream. The stream can be used once.
    func compress(_ input: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let produced: Int = try output.withUnsafeMutableBufferPointer { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            // deflateBound guarantees room for everything in one call.
            let status = deflate(&stream, Z_FINISH)
            guard status == Z_STREAM_END else {
                throw PlotError.zlib(operation: "deflate", message: Self.message(status, stream.msg))
            }
            return Int(stream.total_out)
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// zlib's CRC-32 of `bytes`, as PNG chunks need.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    private static func check(_ status: Int32, _ operation: String) throws {
        guard status == Z_OK else { throw PlotError.zlib(operation: operation, message: message(status, nil)) }
    }

    private static func message(_ status: Int32, _ detail: UnsafeMutablePointer<CChar>?) -> String {
        if let detail { return String(cString: detail) }
        switch status {
        case Z_MEM_ERROR: return "out of memory"
        case Z_STREAM_ERROR: return "invalid parameters"
        case Z_VERSION_ERROR: return "the zlib library is incompatible with the header nnviz was built with"
        case Z_BUF_ERROR: return "the output buffer was too small"
        default: return "status \(status)"
        }
    }
}
