import CCairo
import Foundation
import Testing
@testable import NNVizPlot

/// The PNG writer round-trips through libpng (Cairo's PNG reader) pixel for pixel.
@Suite struct PNGEncoderTests {
    private final class Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// Decodes `png` with Cairo's libpng-based reader into premultiplied ARGB32 words.
    private func decode(_ png: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt32]) {
        let reader = Reader(png)
        let read: cairo_read_func_t = { closure, data, length in
            let reader = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
            guard reader.offset + Int(length) <= reader.bytes.count, let data else { return CAIRO_STATUS_READ_ERROR }
            for i in 0..<Int(length) { data[i] = reader.bytes[reader.offset + i] }
            reader.offset += Int(length)
            return CAIRO_STATUS_SUCCESS
        }
        let surface = cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())!
        defer { cairo_surface_destroy(surface) }
        try checkCairo(cairo_surface_status(surface), "decoding the PNG")
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let data = cairo_image_surface_get_data(surface)!.withMemoryRebound(to: UInt32.self, capacity: stride * height) {
            Array(UnsafeBufferPointer(start: $0, count: stride * height))
        }
        var pixels: [UInt32] = []
        for row in 0..<height { pixels += data[row * stride..<row * stride + width] }
        return (width, height, pixels)
    }

    private func encode(_ pixels: [UInt32], width: Int, height: Int) -> [UInt8] {
        pixels.withUnsafeBufferPointer {
            PNGEncoder.encode(width: width, height: height, stride: width, pixels: $0, dpi: 72)
        }
    }

    @Test func chartRoundTrips() throws {
        var fig = Figure(width: 4, height: 3, dpi: 100)
        var rng = TestRandom(state: 5)
        fig.axes.plot((0..<5000).map { _ in rng.next() }, label: "noise")
        fig.axes.legend()
        fig.axes.title("round trip")
        let surface = try CairoSurface.image(width: 400, height: 300)
        let canvas = try CairoCanvas(surface: surface, size: fig.pointSize, scale: 100.0 / 72, pixelsPerPoint: 100.0 / 72)
        fig.draw(on: canvas)
        let image = surface.pixels()
        var pixels: [UInt32] = []
        for row in 0..<image.height { pixels += image.data[row * image.stride..<row * image.stride + image.width] }
        let png = encode(pixels, width: 400, height: 300)
        let decoded = try decode(png)
        #expect(decoded.width == 400 && decoded.height == 300)
        #expect(decoded.pixels == pixels)
        // RGB colour type for an opaque image.
        #expect(png[25] == 2)
    }

    @Test func translucentPixelsKeepTheirAlpha() throws {
        // Premultiplied: opaque red, half-transparent blue, fully transparent, half-transparent grey.
        let pixels: [UInt32] = [0xffff0000, 0x8000_0080, 0x0000_0000, 0x8040_4040]
        let decoded = try decode(encode(pixels, width: 2, height: 2))
        #expect(decoded.pixels == pixels)
    }

    @Test func longRunsAndRandomBytesRoundTrip() throws {
        var rng = TestRandom(state: 9)
        var pixels = [UInt32](repeating: 0xffffffff, count: 300 * 200)
        for i in 0..<5000 { pixels[i * 7 % pixels.count] = 0xff000000 | UInt32(rng.next() * 16_777_215) }
        let png = encode(pixels, width: 300, height: 200)
        #expect(try decode(png).pixels == pixels)
        #expect(png.count < pixels.count * 3 / 4)
    }

    @Test func crcMatchesTheStandard() {
        #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGEncoder.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

@Suite struct DeflateTests {
    /// Adler-32 one byte at a time, straight from RFC 1950.
    private func reference(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    @Test func adlerMatchesTheDefinition() {
        #expect([UInt8]("Wikipedia".utf8).withUnsafeBufferPointer { Deflate.adler32($0) } == 0x11E6_0398)
        var rng = TestRandom(state: 4)
        var bytes = [UInt8](repeating: 0, count: 100_003)
        for i in stride(from: 0, to: bytes.count, by: 13) { bytes[i] = UInt8(rng.next() * 256) }
        for i in 50_000..<50_100 { bytes[i] = 255 }
        #expect(bytes.withUnsafeBufferPointer { Deflate.adler32($0) } == reference(bytes))
        #expect([UInt8]().withUnsafeBufferPointer { Deflate.adler32($0) } == 1)
    }
}
