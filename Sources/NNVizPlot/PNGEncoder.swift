import Foundation

/// Encodes Cairo's ARGB32 pixels as PNG: RGB when every pixel is opaque, otherwise straight-alpha RGBA.
/// A row equal to the one above gets the Up filter (all zeros); other rows get Sub or Up, whichever leaves
/// smaller values; ``Deflate`` then compresses the result.
enum PNGEncoder {
    static func encode(width: Int, height: Int, stride: Int, pixels: UnsafeBufferPointer<UInt32>,
                       dpi: Double) -> [UInt8] {
        guard let base = pixels.baseAddress, width > 0, height > 0 else { return [] }
        var opaque = true
        for row in 0..<height where opaque {
            let line = base + row * stride
            for column in 0..<width where line[column] >> 24 != 0xff {
                opaque = false
                break
            }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = width * channels
        var filtered = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var current = [UInt8](repeating: 0, count: rowBytes)
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
                    let rgb = buffer.baseAddress!
                    var o = 0
                    for column in 0..<width {
                        let p = line[column]
                        var r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff
                        if !opaque {
                            let a = p >> 24
                            if a > 0 && a < 255 {
                                r = (r * 255 + a / 2) / a; g = (g * 255 + a / 2) / a; b = (b * 255 + a / 2) / a
                            }
                            rgb[o + 3] = UInt8(truncatingIfNeeded: a)
                        }
                        rgb[o] = UInt8(truncatingIfNeeded: r)
                        rgb[o + 1] = UInt8(truncatingIfNeeded: g)
                        rgb[o + 2] = UInt8(truncatingIfNeeded: b)
                        o += channels
                    }
                    previous.withUnsafeBufferPointer { above in
                        filterRow(rgb, above: above.baseAddress!, count: rowBytes, channels: channels,
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

    /// Writes the filter type and the filtered bytes of one row to `target`.
    private static func filterRow(_ row: UnsafeMutablePointer<UInt8>, above: UnsafePointer<UInt8>, count: Int,
                                  channels: Int, first: Bool, into target: UnsafeMutablePointer<UInt8>) {
        var subCost = 0, upCost = 0
        for i in 0..<count {
            let left: UInt8 = i >= channels ? row[i - channels] : 0
            subCost &+= Int(Int8(bitPattern: row[i] &- left).magnitude)
            upCost &+= Int(Int8(bitPattern: row[i] &- above[i]).magnitude)
        }
        let useUp = !first && upCost < subCost
        target[0] = useUp ? 2 : 1
        if useUp {
            for i in 0..<count { target[1 + i] = row[i] &- above[i] }
        } else {
            for i in 0..<min(channels, count) { target[1 + i] = row[i] }
            for i in min(channels, count)..<count { target[1 + i] = row[i] &- row[i - channels] }
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
