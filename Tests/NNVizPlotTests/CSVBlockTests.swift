import Foundation
import Testing
@testable import NNVizPlot
@testable import NNVizSupport

/// Large logs are read in blocks of lines on several threads: the table, its column kinds and every
/// error message must be the same as reading the file in one piece.
@Suite(.serialized)
struct CSVBlockTests {
    /// A log of `rows` data rows (about 26 bytes each), with `edit` applied to the lines (index 0 is the header).
    static func log(rows: Int, lineEnd: String = "\n", _ edit: (inout [String]) -> Void = { _ in }) -> [UInt8] {
        var lines = ["step,loss,accuracy"]
        for i in 0..<rows { lines.append("\(i),\(Double(i % 977) / 1000 + 0.0001),\(0.5 + Double(i % 13) / 100)") }
        edit(&lines)
        return Array((lines.joined(separator: lineEnd) + lineEnd).utf8)
    }

    /// The table read with `threads` threads (restoring the count after).
    static func table(_ bytes: [UInt8], threads: Int) throws -> CSVTable {
        let saved = Parallel.threads.load(ordering: .relaxed)
        Parallel.threads.store(threads, ordering: .relaxed)
        defer { Parallel.threads.store(saved, ordering: .relaxed) }
        return try CSVTable(file: "big.csv", bytes: bytes)
    }

    static func error(_ bytes: [UInt8], threads: Int) -> String? {
        do {
            _ = try table(bytes, threads: threads)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func blocksStartAfterLineFeedsAndCoverTheData() {
        let bytes = Self.log(rows: 60_000)
        let scanner = CSVScanner(file: "big.csv", bytes: bytes)
        let starts = scanner.blockStarts(parts: 3)
        #expect(starts.count == 3)
        #expect(starts.first == Array("step,loss,accuracy\n".utf8).count)
        #expect(starts == starts.sorted() && Set(starts).count == starts.count)
        #expect(starts.allSatisfy { bytes[$0 - 1] == 0x0A && $0 < bytes.count })
        // Small files, quotes anywhere and carriage-return-only line ends are read in one piece.
        #expect(CSVScanner(file: "s", bytes: Self.log(rows: 100)).blockStarts(parts: 2).isEmpty)
        #expect(CSVScanner(file: "q", bytes: Self.log(rows: 60_000) { $0[5] = "4,\"0.5\",0.5" }).blockStarts(parts: 2).isEmpty)
        #expect(CSVScanner(file: "r", bytes: Self.log(rows: 60_000, lineEnd: "\r")).blockStarts(parts: 2).isEmpty)
        #expect(scanner.blockStarts(parts: 1).isEmpty)
    }

    @Test func blocksGiveTheSameTableAsOnePiece() throws {
        // Blank lines, a missing value and words in the second half, CRLF line ends.
        let bytes = Self.log(rows: 80_000, lineEnd: "\r\n") { lines in
            lines[70_001] = "70000,NA,0.5"
            lines[75_001] = "75000,0.25,n/a"
            lines[60_000] += "\r\n"
            lines[79_001] = "79000,diverged,0.5"
        }
        let whole = try Self.table(bytes, threads: 1), blocks = try Self.table(bytes, threads: 2)
        #expect(CSVScanner(file: "big.csv", bytes: bytes).blockStarts(parts: 2).count == 2)
        #expect(blocks.rowCount == 80_000 && whole.rowCount == 80_000)
        #expect(blocks.names == whole.names && blocks.hasHeader)
        for (a, b) in zip(whole.columns, blocks.columns) {
            #expect(a.values.count == b.values.count)
            #expect(zip(a.values, b.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
            #expect(a.numberCount == b.numberCount && a.textCount == b.textCount)
            #expect(a.firstText?.line == b.firstText?.line && a.firstText?.value == b.firstText?.value)
        }
        // The word is on physical line 79,003: the header, 79,000 rows before it, and the extra blank line.
        #expect(blocks.columns[1].firstText?.line == 79_003)
        #expect(blocks.columns[1].firstText?.value == "diverged")
    }

    @Test func errorsInALaterBlockNameTheirLine() throws {
        let ragged = Self.log(rows: 80_000) { $0[70_000] = "69999,0.5" }
        #expect(Self.error(ragged, threads: 2) == "big.csv: line 70001 has 2 cells, but the first row has 3")
        #expect(Self.error(ragged, threads: 1) == Self.error(ragged, threads: 2))
        let bad: [UInt8] = Self.log(rows: 80_000) { $0[65_000] = "64999,0.5,\u{FFFD}" }.map { $0 == 0xBD ? 0xFF : $0 }
        #expect(Self.error(bad, threads: 2)?.hasPrefix("big.csv: line 65001, byte 11: invalid UTF-8 (byte 0xEF") == true)
        #expect(Self.error(bad, threads: 1) == Self.error(bad, threads: 2))
    }
}
