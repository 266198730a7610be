/// Copies between contiguous arrays and strided views of them: the kernel behind transposes,
/// permutations, select/slice and their backward, broadcasting expansions and reduction gradients.
///
/// A view is `offset` plus, for each dimension, a size and a stride (0 for a broadcast dimension).
/// Dimensions of size 1 are dropped and neighbours that are contiguous in the view are merged, so most
/// views come down to runs of whole rows (a plain copy per row), rows of a repeated element (a fill),
/// or, for a transpose, one 2-D block copied tile by tile.
enum StridedCopy {
    struct Dimension {
        var size: Int
        var stride: Int
    }

    /// `shape`/`strides` without size-1 dimensions, with neighbours merged where the outer stride is the
    /// inner stride times the inner size.
    static func coalesced(_ shape: [Int], _ strides: [Int]) -> [Dimension] {
        var dims: [Dimension] = []
        dims.reserveCapacity(shape.count)
        for (size, stride) in zip(shape, strides) where size != 1 {
            if let last = dims.last, last.stride == stride * size {
                dims[dims.count - 1] = Dimension(size: last.size * size, stride: stride)
            } else {
                dims.append(Dimension(size: size, stride: stride))
            }
        }
        return dims
    }

    /// Calls `body(viewOffset, contiguousOffset)` for every index of `outer` (row-major): the view's
    /// element offset of that index and its position counted in blocks of `blockSize`.
    @inline(__always)
    private static func forEachBlock(_ outer: ArraySlice<Dimension>, offset: Int, blockSize: Int,
                                     _ body: (Int, Int) -> Void) {
        let dims = Array(outer)
        let blocks = dims.reduce(1) { $0 * $1.size }
        if dims.count <= 1 {
            let stride = dims.first?.stride ?? 0
            for b in 0..<blocks { body(offset + b * stride, b * blockSize) }
            return
        }
        var index = [Int](repeating: 0, count: dims.count)
        var viewOffset = offset
        for b in 0..<blocks {
            body(viewOffset, b * blockSize)
            var d = dims.count - 1
            while d >= 0 {
                index[d] += 1
                viewOffset += dims[d].stride
                if index[d] < dims[d].size { break }
                viewOffset -= dims[d].stride * dims[d].size
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Writes the view of `source` (`offset`, `shape`, `strides`) into `destination` in row-major order.
    static func gather<T>(_ source: UnsafePointer<T>, offset: Int, shape: [Int], strides: [Int],
                          into destination: UnsafeMutablePointer<T>) {
        let dims = coalesced(shape, strides)
        guard let inner = dims.last else {
            if shape.allSatisfy({ $0 != 0 }) { destination.initialize(to: source[offset]) }
            return
        }
        if inner.stride == 1 {
            forEachBlock(dims.dropLast(), offset: offset, blockSize: inner.size) { from, to in
                (destination + to).initialize(from: source + from, count: inner.size)
            }
        } else if inner.stride == 0 {
            forEachBlock(dims.dropLast(), offset: offset, blockSize: inner.size) { from, to in
                (destination + to).initialize(repeating: source[from], count: inner.size)
            }
        } else if dims.count >= 2 && dims[dims.count - 2].stride != 0 {
            let rows = dims[dims.count - 2]
            forEachBlock(dims.dropLast(2), offset: offset, blockSize: rows.size * inner.size) { from, to in
                transposeTiles(source + from, rows: rows, columns: inner, into: destination + to)
            }
        } else {
            forEachBlock(dims.dropLast(), offset: offset, blockSize: inner.size) { from, to in
                for j in 0..<inner.size { (destination + to + j).initialize(to: source[from + j * inner.stride]) }
            }
        }
    }

    /// The 2-D block `source[r · rows.stride + c · columns.stride]` written row-major into `destination`,
    /// 32 × 32 tiles at a time so both sides stay in cache.
    @inline(__always)
    private static func transposeTiles<T>(_ source: UnsafePointer<T>, rows: Dimension, columns: Dimension,
                                          into destination: UnsafeMutablePointer<T>) {
        let tile = 32
        for r0 in stride(from: 0, to: rows.size, by: tile) {
            let r1 = Swift.min(r0 + tile, rows.size)
            for c0 in stride(from: 0, to: columns.size, by: tile) {
                let c1 = Swift.min(c0 + tile, columns.size)
                for r in r0..<r1 {
                    let from = source + r * rows.stride, to = destination + r * columns.size
                    for c in c0..<c1 { (to + c).initialize(to: from[c * columns.stride]) }
                }
            }
        }
    }

    /// Writes the contiguous `source` (row-major over `shape`) into the view of `destination`
    /// (`offset`, `shape`, `strides`); the view must not repeat elements (no zero strides).
    static func scatter<T>(_ source: UnsafePointer<T>, into destination: UnsafeMutablePointer<T>, offset: Int,
                           shape: [Int], strides: [Int]) {
        let dims = coalesced(shape, strides)
        guard let inner = dims.last else {
            if shape.allSatisfy({ $0 != 0 }) { destination[offset] = source[0] }
            return
        }
        forEachBlock(dims.dropLast(), offset: offset, blockSize: inner.size) { to, from in
            if inner.stride == 1 {
                (destination + to).update(from: source + from, count: inner.size)
            } else {
                for j in 0..<inner.size { destination[to + j * inner.stride] = source[from + j] }
            }
        }
    }
}

// MARK: - Storage

extension Storage {
    /// A contiguous copy of the view (`offset`, `shape`, `strides`) of these elements.
    func strided(offset: Int = 0, shape: [Int], strides: [Int]) -> Storage {
        let count = shape.reduce(1, *)
        func copy<T>(_ values: [T]) -> [T] {
            values.withUnsafeBufferPointer { source in
                [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 {
                        StridedCopy.gather(source.baseAddress!, offset: offset, shape: shape, strides: strides,
                                           into: buffer.baseAddress!)
                    }
                    initialized = count
                }
            }
        }
        switch self {
        case .float32(let a): return .float32(copy(a))
        case .float64(let a): return .float64(copy(a))
        case .int64(let a): return .int64(copy(a))
        case .bool(let a): return .bool(copy(a))
        }
    }

    /// Zeros of `total` elements with these elements (row-major over `shape`) written into the view
    /// (`offset`, `shape`, `strides`): the gradient of a select or slice.
    func embedded(inZerosOf total: Int, offset: Int, shape: [Int], strides: [Int]) -> Storage {
        func place<T>(_ values: [T], _ zero: T) -> [T] {
            var result = [T](repeating: zero, count: total)
            values.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { destination in
                    if let from = source.baseAddress, let to = destination.baseAddress {
                        StridedCopy.scatter(from, into: to, offset: offset, shape: shape, strides: strides)
                    }
                }
            }
            return result
        }
        switch self {
        case .float32(let a): return .float32(place(a, 0))
        case .float64(let a): return .float64(place(a, 0))
        case .int64(let a): return .int64(place(a, 0))
        case .bool(let a): return .bool(place(a, false))
        }
    }
}
