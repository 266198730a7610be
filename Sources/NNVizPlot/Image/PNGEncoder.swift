import Foundation

/// Encodes Cairo's ARGB32 pixels as PNG: RGB when every pixel is opaque, otherwise straight-alpha RGBA.
/// A row equal to the one above gets the Up filter (all zeros); other rows get Sub or Up, whichever leaves
/// smaller values; ``Deflate`` then compresses the result.
enum PNGEncoder {
    static func encode(width: Int, height: Int, stride: Int, pixels: UnsafeBufferPointer<UInt32>,
                       dpi: Double) -> [UInt8] {
        guard let base = pixels.baseAddress, width > 0, height > 0 else { return [] }
        var alphas: UInt32 = 0xffff_ffff
        for row in 0..<height {
            let line = base + row * stride
            for column in 0..<width { alphas &= line[column] }
        }
        let opaque = alphas >> 24 == 0xff
        let channels = opaque ? 3 : 4
        let rowBytes = width * channels
        var filtered = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        // One spare byte: RGB pixels are stored four bytes at a time, each overlapping the next.
        var previous = [UInt8](repeating: 0, count: rowBytes + 1)
        var current = [UInt8](repeating: 0, count: rowBytes + 1)
        filtered.withUnsafeMutableBufferPointer { output in
            let out = output.baseAddress!
            for row in 0..<height {
                let line = base + row * stride
                let target = out + row * (rowBytes + 1)
                if row > 0 && memcmp(line, line - stride, width * 4) == 0 {
                    target[0] = 2
                    continue
                }
                current.withUnsafeMutableBufferPointer { buffer in
                    let bytes = UnsafeMutableRawPointer(buffer.baseAddress!)
                    if opaque {
                        // 0xAARRGGBB byte-swapped and shifted is R, G, B in memory order.
                        for column in 0..<width {
                            bytes.storeBytes(of: (line[column].byteSwapped >> 8).littleEndian,
                                             toByteOffset: 3 * column, as: UInt32.self)
                        }
                    } else {
                        for column in 0..<width {
                            let p = line[column], a = p >> 24
                            var r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff
                            if a > 0 && a < 255 {
                                r = (r * 255 + a / 2) / a; g = (g * 255 + a / 2) / a; b = (b * 255 + a / 2) / a
                            }
                            bytes.storeBytes(of: (r | g << 8 | b << 16 | a << 24).littleEndian,
                                             toByteOffset: 4 * column, as: UInt32.self)
                        }
                    }
                    previous.withUnsafeBufferPointer { above in
                        filterRow(buffer.baseAddress!, above: above.baseAddress!, count: rowBytes, channels: channels,
                                  first: row == 0, into: target)
                    }
                }
                swap(&previous, &current)
            }
        }
        let compressed = filtered.withUnsafeBufferPointer { Deflate.zlib($0) }

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, opaque ? 2 : 6, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        var physical: [UInt8] = []
        let perMeter = UInt32((dpi / 0.0254).rounded())
        physical.appendBigEndian(perMeter)
        physical.appendBigEndian(perMeter)
        physical.append(1)
        appendChunk("pHYs", physical, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Writes the filter type and the filtered bytes of one row to `target`, sixteen bytes at a time.
    private static func filterRow(_ row: UnsafeMutablePointer<UInt8>, above: UnsafePointer<UInt8>, count: Int,
                                  channels: Int, first: Bool, into target: UnsafeMutablePointer<UInt8>) {
        typealias Bytes = SIMD16<UInt8>
        let current = UnsafeRawPointer(row), previous = UnsafeRawPointer(above)
        let vectorEnd = channels + (count - channels) / 16 * 16
        // |Int8(d)| for a wrapped byte difference d is min(d, 256 − d).
        var subCost = SIMD16<UInt16>(), upCost = SIMD16<UInt16>()
        var i = channels
        while i < vectorEnd {
            let c = current.loadUnaligned(fromByteOffset: i, as: Bytes.self)
            let sub = c &- current.loadUnaligned(fromByteOffset: i - channels, as: Bytes.self)
            let up = c &- previous.loadUnaligned(fromByteOffset: i, as: Bytes.self)
            subCost &+= SIMD16<UInt16>(truncatingIfNeeded: pointwiseMin(sub, 0 &- sub))
            upCost &+= SIMD16<UInt16>(truncatingIfNeeded: pointwiseMin(up, 0 &- up))
            i += 16
        }
        let useUp = !first && upCost.wrappedSum() < subCost.wrappedSum()
        target[0] = useUp ? 2 : 1
        let out = UnsafeMutableRawPointer(target + 1)
        if useUp {
            var j = 0
            while j + 16 <= count {
                let difference = current.loadUnaligned(fromByteOffset: j, as: Bytes.self)
                    &- previous.loadUnaligned(fromByteOffset: j, as: Bytes.self)
                out.storeBytes(of: difference, toByteOffset: j, as: Bytes.self)
                j += 16
            }
            while j < count { target[1 + j] = row[j] &- above[j]; j += 1 }
        } else {
            for j in 0..<min(channels, count) { target[1 + j] = row[j] }
            var j = channels
            while j + 16 <= count {
                let difference = current.loadUnaligned(fromByteOffset: j, as: Bytes.self)
                    &- current.loadUnaligned(fromByteOffset: j - channels, as: Bytes.self)
                out.storeBytes(of: difference, toByteOffset: j, as: Bytes.self)
                j += 16
            }
            while j < count { target[1 + j] = row[j] &- row[j - channels]; j += 1 }
        }
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        png.appendBigEndian(UInt32(data.count))
        let typed = Array(type.utf8) + data
        png += typed
        png.appendBigEndian(crc32(typed))
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xffffffff
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xffffffff
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)])
    }
}
