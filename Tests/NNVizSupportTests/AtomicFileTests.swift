import Foundation
import Testing
import NNVizSupport

@Suite struct AtomicFileTests {
    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnviz-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAndReplacesWholeFilesLeavingNoTemporaries() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.txt"
        try AtomicFile.write(Array("first\n".utf8), to: path)
        try AtomicFile.write(Array("second\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.txt"])
    }

    @Test func failuresNameThePathAndWriteNothing() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: AtomicFileError(path: directory + "/missing/x.png",
                                        reason: "the directory '\(directory)/missing' does not exist")) {
            try AtomicFile.write([1], to: directory + "/missing/x.png")
        }
        #expect(throws: AtomicFileError(path: directory, reason: "it is a directory")) {
            try AtomicFile.write([1], to: directory)
        }
        try AtomicFile.write([1], to: directory + "/file")
        #expect(throws: AtomicFileError(path: directory + "/file/x", reason: "'\(directory)/file' is not a directory")) {
            try AtomicFile.write([1], to: directory + "/file/x")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["file"])
        let error = AtomicFileError(path: "a/b.png", reason: "Permission denied")
        #expect(error.description == "cannot write 'a/b.png': Permission denied")
    }
}
