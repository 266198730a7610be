import Foundation
import Testing
@testable import NNVizPlot

/// A series as (name, x, y), for compact expectations.
private func shape(_ log: LossLog) -> [String: [[Double]]] {
    Dictionary(uniqueKeysWithValues: log.series.map { ($0.name, [$0.x, $0.y]) })
}

/// The message of the `CSVError` that `body` throws, or `nil`.
private func message(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as CSVError {
        return error.description
    } catch {
        return "unexpected \(error)"
    }
}

/// A fresh path in the temporary directory.
private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("nnviz-losslog-\(UUID().uuidString)-\(name)").path
}

private func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

// MARK: - Layouts

@Suite struct LossLogLayoutTests {
    @Test func documentationExamples() throws {
        let log = try LossLog.parse("""
            epoch,step,train_loss_step,val_loss
            0,9,2.31,
            0,9,,2.12
            1,19,1.87,
            """, name: "run1")
        #expect(log.xLabel == "step")
        #expect(log.series.map(\.name) == ["train_loss_step", "val_loss"])
        #expect(log.series[1].x == [9.0] && log.series[1].y == [2.12])
        let bare = try LossLog.parse("loss\n0.9\n0.7\n", name: "bare")
        #expect(bare.xLabel == "row" && bare.series[0].x == [0.0, 1.0])
        let tb = try LossLog.parse(Array("Wall time,Step,Value\n1.7e9,0,2.5\n".utf8), name: "tb")
        #expect(tb.series.map(\.name) == ["Value"])
    }

    @Test func bareColumnWithoutHeader() throws {
        let log = try LossLog.parse("1.5\n1.25\n1.0\n", name: "bare")
        #expect(log.name == "bare")
        #expect(log.xLabel == "row")
        #expect(log.series == [LossLog.Series(name: "value", x: [0, 1, 2], y: [1.5, 1.25, 1.0])])
    }

    @Test func headedColumnsAgainstRowNumber() throws {
        let log = try LossLog.parse("loss,acc\n0.9,0.5\n0.7,0.6\n", name: "run")
        #expect(log.xLabel == "row")
        #expect(log.series == [
            LossLog.Series(name: "loss", x: [0, 1], y: [0.9, 0.7]),
            LossLog.Series(name: "acc", x: [0, 1], y: [0.5, 0.6]),
        ])
    }

    @Test func headerlessColumnsAreNumbered() throws {
        let log = try LossLog.parse("0,2.5\n1,2.0\n", name: "pairs")
        #expect(shape(log) == ["value1": [[0, 1], [0, 1]], "value2": [[0, 1], [2.5, 2.0]]])
        #expect(log.series.map(\.name) == ["value1", "value2"])
    }

    @Test func lightningMetricsSparseRows() throws {
        let text = """
            epoch,step,train_loss_epoch,train_loss_step,val_loss
            0,9,,2.25,
            0,19,,2.0,
            0,19,,,1.875
            0,19,2.125,,
            1,29,,1.75,
            1,39,,1.5,
            1,39,,,1.625
            1,39,1.625,,

            """
        let log = try LossLog.parse(text, name: "metrics")
        #expect(log.xLabel == "step")
        #expect(log.series.map(\.name) == ["train_loss_epoch", "train_loss_step", "val_loss"])
        #expect(shape(log) == [
            "train_loss_epoch": [[19, 39], [2.125, 1.625]],
            "train_loss_step": [[9, 19, 29, 39], [2.25, 2.0, 1.75, 1.5]],
            "val_loss": [[19, 39], [1.875, 1.625]],
        ])
    }

    @Test func kerasNAIsMissing() throws {
        let text = """
            epoch,accuracy,loss,val_accuracy,val_loss
            0,0.5,1.5,NA,NA
            1,0.625,1.25,0.5,1.375
            2,0.75,1.0,NA,NA
            """
        let log = try LossLog.parse(text, name: "keras")
        #expect(log.xLabel == "epoch")
        #expect(log.series.map(\.name) == ["accuracy", "loss", "val_accuracy", "val_loss"])
        #expect(shape(log) == [
            "accuracy": [[0, 1, 2], [0.5, 0.625, 0.75]],
            "loss": [[0, 1, 2], [1.5, 1.25, 1.0]],
            "val_accuracy": [[1], [0.5]],
            "val_loss": [[1], [1.375]],
        ])
    }

    @Test func tensorBoardExportUsesStepAndSkipsWallTime() throws {
        let text = "Wall time,Step,Value\n1718003419.84753,0,2.5\n1718003428.086137,50,2.25\n"
        let log = try LossLog.parse(text, name: "tb")
        #expect(log.xLabel == "Step")
        #expect(log.series == [LossLog.Series(name: "Value", x: [0, 50], y: [2.5, 2.25])])
    }

    @Test func ultralyticsSpacesAroundNamesAndValues() throws {
        let text = """
                           epoch,      train/box_loss,     metrics/mAP_0.5
                               0,            0.087033,           0.0099119
                               1,            0.076238,             0.11511
            """
        let log = try LossLog.parse(text, name: "results")
        #expect(log.xLabel == "epoch")
        #expect(shape(log) == [
            "train/box_loss": [[0, 1], [0.087033, 0.076238]],
            "metrics/mAP_0.5": [[0, 1], [0.0099119, 0.11511]],
        ])
    }

    @Test func missingMarksAndInfinities() throws {
        let text = "step,loss\n1,\n2,NA\n3,n/a\n4,NaN\n5,nan\n6,null\n7,None\n8,inf\n9,-inf\n10,-Infinity\n11,0.5\n"
        let log = try LossLog.parse(text, name: "marks")
        #expect(shape(log) == ["loss": [[8, 9, 10, 11], [.infinity, -.infinity, -.infinity, 0.5]]])
    }

    @Test func rowsWithoutXAreLeftOut() throws {
        let log = try LossLog.parse("step,loss\n1,0.5\n,0.4\n3,0.3\n", name: "gaps")
        #expect(shape(log) == ["loss": [[1, 3], [0.5, 0.3]]])
    }

    @Test func quotedFields() throws {
        let text = #"""
            "step","loss, smoothed","note ""a""",comment
            1,"0.5","said ""hi"", then left",x
            2, "0.25" ,"two
            lines",y
            3,0.125,plain,z
            """#
        let log = try LossLog.parse(text, name: "quoted")
        #expect(log.xLabel == "step")
        #expect(log.series == [LossLog.Series(name: "loss, smoothed", x: [1, 2, 3], y: [0.5, 0.25, 0.125])])
    }

    @Test func numberFollowedByMoreTextIsText() throws {
        // The scanner reads a cell's number as it goes; what follows the number decides whether the cell is one.
        let text = "a,b,c,d,e,f\n 1.5 \t,1.5x,1e,1.5 2,-0.25e-1,\"7\"\n"
        let table = try CSVTable(file: "t", bytes: Array(text.utf8))
        #expect(table.columns.map { $0.values[0].isNaN ? "text" : "\($0.values[0])" }
                == ["1.5", "text", "text", "text", "-0.025", "7.0"])
        if case let .text(line, value) = table.columns[3].kind {
            #expect(line == 2 && value == "1.5 2")
        } else {
            Issue.record("column 4 should be text")
        }
    }

    @Test func completeColumnsAreSharedNotCopied() throws {
        let log = try LossLog.parse("step,a,b\n1,0.5,0.25\n2,0.4,0.125\n", name: "shared")
        #expect(log.series.map(\.y) == [[0.5, 0.4], [0.25, 0.125]])
        log.series[0].x.withUnsafeBufferPointer { first in
            log.series[1].x.withUnsafeBufferPointer { second in #expect(first.baseAddress == second.baseAddress) }
        }
    }

    @Test func quoteInsideUnquotedCellIsText() throws {
        let table = try CSVTable(file: "t", bytes: Array("name,loss\n5\" screen,1\n".utf8))
        #expect(table.names == ["name", "loss"])
        #expect(table.columns[1].values == [1])
        if case let .text(line, value) = table.columns[0].kind {
            #expect(line == 2 && value == "5\" screen")
        } else {
            Issue.record("column 1 should be text")
        }
    }

    @Test func crlfByteOrderMarkAndNoFinalNewline() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("step,loss\r\n1,0.5\r\n2,0.25".utf8)
        let log = try LossLog.parse(bytes, name: "crlf")
        #expect(log.xLabel == "step")
        #expect(log.series == [LossLog.Series(name: "loss", x: [1, 2], y: [0.5, 0.25])])
    }

    @Test func loneCarriageReturnsAndBlankLines() throws {
        let log = try LossLog.parse("step,loss\r1,0.5\r\r\n\n2,0.25\n\n", name: "cr")
        #expect(shape(log) == ["loss": [[1, 2], [0.5, 0.25]]])
    }

    /// A row of plain numbers is read in one go; every other row cell by cell. Both must give the same table,
    /// rows of either kind mixed in any order, and name the same line for the first word in a column.
    @Test func rowsOfPlainNumbersAndOtherRowsMix() throws {
        let text = "step,loss,acc\n1,0.5,0.1\n2, 0.5,0.2\n3,\"0.5\",0.3\r\n4,0.5,0.4\r5,NA,0.5\n\n6,5e-1,+0.6\n"
            + "7,0.5,high\n8,-0.0,0.8 \n9,0.500000000000000000001,0.9\n10,0.5,1"
        let table = try CSVTable(file: "mix.csv", bytes: Array(text.utf8))
        #expect(table.rowCount == 10 && table.hasHeader)
        #expect(table.columns[0].values == (1...10).map(Double.init))
        let loss = table.columns[1].values
        #expect(loss.enumerated().allSatisfy { row, value in
            switch row {
            case 4: return value.isNaN
            case 7: return value == 0 && value.sign == .minus
            default: return value == 0.5
            }
        })
        let acc = table.columns[2].values
        #expect(acc.enumerated().allSatisfy { $0.offset == 6 ? $0.element.isNaN : $0.element == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0, 0.8, 0.9, 1][$0.offset] })
        #expect(table.columns[2].numberCount == 9 && table.columns[2].textCount == 1)
        #expect(table.columns[2].firstText?.line == 9 && table.columns[2].firstText?.value == "high")
        #expect(table.columns[1].numberCount == 9)
    }

    @Test func textColumnsAreSkipped() throws {
        let text = "timestamp,phase,step,loss\n2024-06-10 09:00,train,1,0.5\n2024-06-10 09:01,val,2,0.25\n"
        let log = try LossLog.parse(text, name: "mixed")
        #expect(log.series == [LossLog.Series(name: "loss", x: [1, 2], y: [0.5, 0.25])])
    }

    @Test func mostlyTextColumnWithANumberIsSkipped() throws {
        let log = try LossLog.parse("note,loss\nwarmup,0.5\n7,0.25\nfine,0.125\n", name: "notes")
        #expect(log.series.map(\.name) == ["loss"])
    }

    @Test func emptyAndRepeatedHeaderNames() throws {
        let log = try LossLog.parse(",loss,loss,\n0,0.5,0.75,1\n1,0.25,0.5,2\n", name: "pandas")
        #expect(log.series.map(\.name) == ["column 1", "loss", "loss.1", "column 4"])
        #expect(log.series[2].y == [0.75, 0.5])
    }

    @Test func multibyteNamesAndValues() throws {
        let log = try LossLog.parse(Array("step,pérte λ,étiquette\n1,0.5,été\n".utf8), name: "utf8")
        #expect(log.series == [LossLog.Series(name: "pérte λ", x: [1], y: [0.5])])
    }

    @Test func epochIsXWhenStepIsText() throws {
        let log = try LossLog.parse("step,epoch,loss\na,0,0.5\nb,1,0.25\n", name: "odd")
        #expect(log.xLabel == "epoch")
        #expect(shape(log) == ["loss": [[0, 1], [0.5, 0.25]]])
    }
}

// MARK: - Choosing x and columns

@Suite struct LossLogSelectionTests {
    let lightning = "epoch,step,train_loss,val_loss\n0,10,2.0,\n0,10,,1.5\n1,20,1.0,\n1,20,,0.75\n"

    @Test func chosenXColumn() throws {
        let log = try LossLog.parse(lightning, name: "l", x: "epoch")
        #expect(log.xLabel == "epoch")
        #expect(log.series.map(\.name) == ["train_loss", "val_loss"])
        #expect(log.series[0].x == [0, 1])
        #expect(log.series[0].y == [2.0, 1.0])
    }

    @Test func rowAsX() throws {
        let log = try LossLog.parse(lightning, name: "l", x: "row", columns: ["val_loss"])
        #expect(log.xLabel == "row")
        #expect(log.series == [LossLog.Series(name: "val_loss", x: [1, 3], y: [1.5, 0.75])])
    }

    @Test func chosenColumnsInOrderIgnoringCaseWithoutRepeats() throws {
        let log = try LossLog.parse(lightning, name: "l", columns: ["VAL_LOSS", "epoch", "val_loss"])
        #expect(log.series.map(\.name) == ["val_loss", "epoch"])
        #expect(log.series[1].x == [10, 10, 20, 20])
        #expect(log.series[1].y == [0, 0, 1, 1])
    }

    @Test func emptyColumnListMeansAll() throws {
        let log = try LossLog.parse(lightning, name: "l", columns: [])
        #expect(log.series.map(\.name) == ["train_loss", "val_loss"])
    }

    @Test func exactNameWinsOverCaseInsensitiveOne() throws {
        let log = try LossLog.parse("Step,step,loss\n5,1,0.5\n6,2,0.25\n", name: "case", columns: ["Step", "loss"])
        #expect(log.xLabel == "step")
        #expect(shape(log) == ["Step": [[1, 2], [5, 6]], "loss": [[1, 2], [0.5, 0.25]]])
    }
}

// MARK: - Errors

@Suite struct LossLogErrorTests {
    @Test func missingFile() {
        let path = "/nonexistent-nnviz-dir/losses.csv"
        let text = message { try LossLog.read(contentsOf: path) }
        #expect(text == "\(path): cannot read the file: No such file or directory")
    }

    @Test func directoryIsUnreadable() {
        let text = message { try LossLog.read(contentsOf: "/tmp") }
        #expect(text == "/tmp: cannot read the file: Is a directory")
    }

    @Test(arguments: ["", "\n\n", "\r\n  \n", "\u{FEFF}", "\u{FEFF}\n"])
    func emptyFile(_ content: String) {
        #expect(message { try LossLog.parse(content, name: "e.csv") } == "e.csv: the file is empty")
    }

    @Test func headerOnly() {
        #expect(message { try LossLog.parse("step,loss\n", name: "h.csv") }
                == "h.csv: the file has a header but no data rows")
    }

    @Test func invalidUTF8NamesLineAndByte() {
        let bytes = Array("step,loss\n1,0.5\n2,0".utf8) + [0xFF] + Array(".25\n".utf8)
        #expect(message { try LossLog.parse(bytes, name: "bad.csv") }
                == "bad.csv: line 3, byte 4: invalid UTF-8 (byte 0xFF at file offset 19); save the file as UTF-8")
    }

    @Test(arguments: [
        ([0xC0, 0x80], 0xC0),         // overlong NUL
        ([0xED, 0xA0, 0x80], 0xED),   // surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0xF4), // above U+10FFFF
        ([0xE2, 0x82], 0xE2),         // truncated at the end
        ([0x80], 0x80),               // lone continuation
    ] as [([UInt8], UInt8)])
    func invalidUTF8Sequences(_ sequence: [UInt8], _ lead: UInt8) {
        let bytes = Array("loss\r\n1\r\n".utf8) + sequence
        let error = #expect(throws: CSVError.self) { try LossLog.parse(bytes, name: "b") }
        #expect(error == .invalidUTF8(file: "b", line: 3, byte: 1, offset: 9, value: lead))
    }

    @Test func invalidByteFoundAtEveryOffsetOfLongASCII() {
        // ASCII is skipped 32 and 8 bytes at a time; a bad or multibyte sequence anywhere must still be seen.
        let ascii = Array(repeating: UInt8(ascii: "7"), count: 80)
        for offset in 0..<ascii.count {
            var bytes = ascii
            bytes[offset] = 0xFF
            #expect(CSVScanner.firstInvalidUTF8(bytes) == offset)
            bytes[offset] = 0xC3   // a lead byte followed by ASCII, or by nothing
            #expect(CSVScanner.firstInvalidUTF8(bytes) == offset)
            if offset + 1 < ascii.count {
                bytes[offset + 1] = 0xA9   // é
                #expect(CSVScanner.firstInvalidUTF8(bytes) == nil)
            }
        }
    }

    @Test func validUTF8OfEveryLength() {
        let text = "a\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
        #expect(CSVScanner.firstInvalidUTF8(Array(text.utf8)) == nil)
    }

    @Test func raggedRows() {
        #expect(message { try LossLog.parse("step,loss\n1,0.5\n2,0.25,9\n", name: "r.csv") }
                == "r.csv: line 3 has 3 cells, but the first row has 2")
        #expect(message { try LossLog.parse("step,loss,acc\n1,0.5,0.1\n2\n", name: "r.csv") }
                == "r.csv: line 3 has 1 cell, but the first row has 3")
    }

    @Test func raggedRowLineCountsQuotedLineBreaks() {
        let text = "step,note\r\n1,\"a\r\nb\"\r\n\r\n2,c,d\r\n"
        #expect(message { try LossLog.parse(text, name: "q.csv") } == "q.csv: line 5 has 3 cells, but the first row has 2")
    }

    @Test func noNumericColumn() {
        #expect(message { try LossLog.parse("name,comment\nresnet,first try\n", name: "n.csv") }
                == "n.csv: no numeric column to plot (columns: name, comment)")
        #expect(message { try LossLog.parse("step,phase\n1,train\n", name: "n.csv") }
                == "n.csv: no numeric column to plot (columns: step, phase)")
        #expect(message { try LossLog.parse("step,loss\n1,\n2,NA\n", name: "n.csv") }
                == "n.csv: no numeric column to plot (columns: step, loss)")
    }

    @Test func unknownXSuggestsNearestName() {
        #expect(message { try LossLog.parse("step,loss\n1,0.5\n", name: "u.csv", x: "stpe") }
                == "u.csv: no column named \"stpe\"; did you mean \"step\"? (columns: step, loss)")
        #expect(message { try LossLog.parse("step,loss\n1,0.5\n", name: "u.csv", x: "rwo") }
                == "u.csv: no column named \"rwo\"; did you mean \"row\"? (columns: step, loss)")
    }

    @Test func unknownColumnSuggestsNearestName() {
        let text = "epoch,step,train_loss_step,val_loss\n0,1,0.5,0.6\n"
        #expect(message { try LossLog.parse(text, name: "u.csv", columns: ["val_loss", "val_los"]) }
                == "u.csv: no column named \"val_los\"; did you mean \"val_loss\"? "
                + "(columns: epoch, step, train_loss_step, val_loss)")
        #expect(message { try LossLog.parse(text, name: "u.csv", columns: ["accuracy"]) }
                == "u.csv: no column named \"accuracy\" (columns: epoch, step, train_loss_step, val_loss)")
    }

    @Test func strayWordInNumericColumn() {
        let text = "step,loss\n1,0.5\n2,oops\n3,0.25\n4,0.125\n"
        #expect(message { try LossLog.parse(text, name: "s.csv") }
                == "s.csv: line 3, column 2 (\"loss\"): \"oops\" is not a number, but the rest of the column is numeric")
    }

    @Test func strayWordInStepColumn() {
        let text = "step,loss\n1,0.5\n2,0.4\nthree,0.25\n"
        #expect(message { try LossLog.parse(text, name: "s.csv") }
                == "s.csv: line 4, column 1 (\"step\"): \"three\" is not a number, but the rest of the column is numeric")
    }

    @Test func strayWordInUnrequestedColumnIsIgnored() throws {
        let log = try LossLog.parse("step,loss,acc\n1,0.5,0.1\n2,0.25,bad\n3,0.125,0.3\n", name: "s", columns: ["loss"])
        #expect(log.series.map(\.name) == ["loss"])
    }

    @Test func requestedTextColumn() {
        let text = "step,phase,loss,spare\n1,train,0.5,\n"
        #expect(message { try LossLog.parse(text, name: "t.csv", columns: ["phase"]) }
                == "t.csv: line 2, column 2 (\"phase\"): \"train\" is not a number; the column holds no numbers")
        #expect(message { try LossLog.parse(text, name: "t.csv", x: "spare") }
                == "t.csv: column 4 (\"spare\") holds no values")
    }

    @Test func unterminatedQuote() {
        let text = "step,loss,note\n1,0.5,ok\n2,0.25,\"never closed\n3,0.125,x\n"
        #expect(message { try LossLog.parse(text, name: "q.csv") }
                == "q.csv: line 3, column 3: a quoted cell is never closed (missing '\"')")
    }

    @Test func textAfterClosingQuote() {
        #expect(message { try LossLog.parse("step,loss\n1,\"0.5\"x\n", name: "q.csv") }
                == "q.csv: line 2, column 2: text after the closing quote of a quoted cell (write a quote inside quotes as \"\")")
    }

    @Test func errorsFromFilesNameThePath() throws {
        let path = temporaryPath("ragged.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(Array("step,loss\n1,0.5,7\n".utf8), to: path)
        #expect(message { try LossLog.read(contentsOf: path) } == "\(path): line 2 has 3 cells, but the first row has 2")
    }
}

// MARK: - File names

@Test(arguments: [("runs/a/metrics.csv", "metrics"), ("loss.tar.csv", "loss.tar"), (".hidden", ".hidden"),
                  ("plain", "plain"), ("/abs/dir/run-3.CSV", "run-3")])
func stemOfPath(_ path: String, _ stem: String) {
    #expect(LossLog.stem(of: path) == stem)
}

// MARK: - Edit distance

// MARK: - Writer

@Suite struct LossLogWriterTests {
    private func contents(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func declaredColumnsSparseRowsReadBack() throws {
        let path = temporaryPath("run1.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try LossLogWriter(path: path, columns: ["train_loss", "val_loss"])
        try writer.record(step: 0, values: ["train_loss": 2.5])
        try writer.record(step: 1, values: ["train_loss": 1.75])
        try writer.record(step: 1, values: ["val_loss": 1.875])
        try writer.record(step: 2, values: ["train_loss": 0.1, "val_loss": .infinity])
        // Read while the writer is still open: every row must already be on disk.
        #expect(try contents(path) == "step,train_loss,val_loss\n0,2.5,\n1,1.75,\n1,,1.875\n2,0.1,inf\n")
        let log = try LossLog.read(contentsOf: path)
        #expect(log.name.hasSuffix("run1"))
        #expect(log.xLabel == "step")
        #expect(shape(log) == ["train_loss": [[0, 1, 2], [2.5, 1.75, 0.1]], "val_loss": [[1, 2], [1.875, .infinity]]])
        withExtendedLifetime(writer) {}
    }

    @Test func columnsFromFirstRecordSorted() throws {
        let path = temporaryPath("run2.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try LossLogWriter(path: path)
        #expect(writer.columns == nil)
        try writer.record(step: 10, values: ["loss": 0.5, "acc": 0.25, "lr": 1e-05])
        try writer.record(step: 20, values: ["loss": .nan, "acc": 0.375])
        #expect(writer.columns == ["acc", "loss", "lr"])
        #expect(try contents(path) == "step,acc,loss,lr\n10,0.25,0.5,1e-05\n20,0.375,nan,\n")
        let log = try LossLog.read(contentsOf: path)
        #expect(shape(log) == ["acc": [[10, 20], [0.25, 0.375]], "loss": [[10], [0.5]], "lr": [[10], [1e-05]]])
    }

    @Test func undeclaredNameThrowsAndWritesNothing() throws {
        let path = temporaryPath("run3.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try LossLogWriter(path: path, columns: ["loss", "val_loss"])
        try writer.record(step: 1, values: ["loss": 0.5])
        let error = #expect(throws: CSVError.self) { try writer.record(step: 2, values: ["loss": 0.4, "val_los": 0.6]) }
        #expect(error?.description
                == "\(path): \"val_los\" is not one of the log's columns; did you mean \"val_loss\"? (columns: step, loss, val_loss)")
        #expect(try contents(path) == "step,loss,val_loss\n1,0.5,\n")
    }

    @Test func invalidColumnNames() {
        #expect(message { try LossLogWriter(path: "/tmp/unused.csv", columns: ["loss", "Step"]) }
                == "/tmp/unused.csv: cannot use \"Step\" as a column name: the first column is always step (pass it as `step:`)")
        #expect(message { try LossLogWriter(path: "/tmp/unused.csv", columns: ["loss", "loss"]) }
                == "/tmp/unused.csv: cannot use \"loss\" as a column name: it is declared twice")
        #expect(message { try LossLogWriter(path: "/tmp/unused.csv", columns: [""]) }
                == "/tmp/unused.csv: cannot use \"\" as a column name: names must not be empty")
    }

    @Test func stepAsInferredNameIsRejected() throws {
        let path = temporaryPath("run4.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try LossLogWriter(path: path)
        #expect(throws: CSVError.invalidColumnName(file: path, name: "step", reason: "the first column is always step (pass it as `step:`)")) {
            try writer.record(step: 1, values: ["step": 1, "loss": 0.5])
        }
        #expect(try contents(path) == "")
    }

    @Test func stepAmongDeclaredColumnsValuesIsRejected() throws {
        let path = temporaryPath("run6.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try LossLogWriter(path: path, columns: ["loss"])
        #expect(message { try writer.record(step: 1, values: ["loss": 0.5, "step": 1]) }
                == "\(path): cannot use \"step\" as a column name: the first column is always step (pass it as `step:`)")
        #expect(try contents(path) == "")
    }

    @Test func unwritablePath() {
        #expect(message { try LossLogWriter(path: "/nonexistent-nnviz-dir/run.csv") }
                == "/nonexistent-nnviz-dir/run.csv: cannot write the file: No such file or directory")
    }

    @Test func namesNeedingQuotesRoundTrip() throws {
        let path = temporaryPath("run5.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try LossLogWriter(path: path, columns: ["loss, smoothed", "say \"hi\"", "λ"])
        try writer.record(step: 3, values: ["loss, smoothed": 0.5, "say \"hi\"": 1, "λ": -2])
        #expect(try contents(path) == "step,\"loss, smoothed\",\"say \"\"hi\"\"\",λ\n3,0.5,1.0,-2.0\n")
        let log = try LossLog.read(contentsOf: path)
        #expect(log.series == [
            LossLog.Series(name: "loss, smoothed", x: [3], y: [0.5]),
            LossLog.Series(name: "say \"hi\"", x: [3], y: [1]),
            LossLog.Series(name: "λ", x: [3], y: [-2]),
        ])
    }
}

// MARK: - Sample logs

@Suite struct LossLogSampleTests {
    /// samples/logs in the repository, found from this file's path.
    private func sample(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/logs/\(name)").path
    }

    @Test func bare() throws {
        let log = try LossLog.read(contentsOf: sample("bare.csv"))
        #expect(log.name == "bare" && log.xLabel == "row")
        #expect(log.series.count == 1 && log.series[0].name == "value")
        #expect(log.series[0].x == (0..<40).map(Double.init))
        #expect(log.series[0].y.first == 1.8867 && log.series[0].y.last == 0.4266)
    }

    @Test func lightning() throws {
        let log = try LossLog.read(contentsOf: sample("lightning_metrics.csv"))
        #expect(log.xLabel == "step")
        #expect(log.series.map(\.name) == ["train_loss_epoch", "train_loss_step", "val_loss"])
        #expect(log.series.map(\.x.count) == [4, 40, 4])
        #expect(log.series[2].x == [99, 199, 299, 399])
        #expect(log.series[1].y.first == 2.120420455932617)
        #expect(log.series[0].y.first == 1.6860328912734985)
    }

    @Test func keras() throws {
        let log = try LossLog.read(contentsOf: sample("keras_log.csv"))
        #expect(log.xLabel == "epoch")
        #expect(log.series.map(\.name) == ["accuracy", "loss", "val_accuracy", "val_loss"])
        #expect(log.series.map(\.x.count) == [12, 12, 6, 6])
        #expect(log.series[3].x == [1, 3, 5, 7, 9, 11])
        #expect(log.series[3].y.first == 1.3146576881408691)
    }

    @Test func tensorBoard() throws {
        let log = try LossLog.read(contentsOf: sample("tensorboard_export.csv"))
        #expect(log.xLabel == "Step")
        #expect(log.series.map(\.name) == ["Value"])
        #expect(log.series[0].x == (0..<30).map { Double($0 * 50) })
        #expect(log.series[0].y.first == 2.44925856590271)
    }

    @Test func ultralytics() throws {
        let log = try LossLog.read(contentsOf: sample("spaced.csv"))
        #expect(log.xLabel == "epoch")
        #expect(log.series.count == 13)
        #expect(log.series.first?.name == "train/box_loss" && log.series.last?.name == "x/lr2")
        #expect(log.series[0].x == (0..<15).map(Double.init))
        #expect(log.series[0].y.first == 0.087033)
    }
}
