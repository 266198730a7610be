import ArgumentParser
import Foundation

/// The `nnviz` command: `graph`, `plot` and `inspect`.
public struct NNVizCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nnviz",
        abstract: "See what a neural network computes: its autograd graph, its numbers, its loss curves.",
        discussion: """
            Examples:
              nnviz graph samples/seed1_mlp.yaml                 writes output/seed1_mlp.png
              nnviz graph samples/resnet_block.yaml --clusters   boxes each block's nodes
              nnviz inspect samples/seed1_mlp.yaml --json        prints output, loss, parameters and gradients
              nnviz plot samples/logs/keras_log.csv --log-y
            """,
        version: "nnviz 0.1.0",
        subcommands: [GraphCommand.self, PlotCommand.self, InspectCommand.self])

    public init() {}

    /// Parses `arguments` and runs the command; every failure prints one message to stderr and exits
    /// with status 1 (help and `--version` exit 0).
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data(("nnviz: " + message(for: error) + "\n").utf8))
            Foundation.exit(1)
        }
    }

    /// The one line (or short paragraph) a user sees for `error`.
    static func message(for error: Error) -> String {
        if isOwnError(error) { return String(describing: error) }
        // Argument errors: the parser's first line (its usage text follows on further lines).
        let text = fullMessage(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        let first = text.split(separator: "\n").first.map(String.init) ?? text
        let line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
        return line + " (see 'nnviz --help')"
    }

    private static func isOwnError(_ error: Error) -> Bool {
        !(String(reflecting: type(of: error)).hasPrefix("ArgumentParser."))
    }
}

/// Options shared by the commands that write a file.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "Where to write (default: output/<input name>.<format>).")
    var output: String?

    @Option(help: "png, svg, pdf (and dot for graphs); default from the output's extension, else png.")
    var format: String?

    @Flag(name: [.customShort("q"), .long], help: "No progress messages on stderr.")
    var quiet = false
}

/// A command-line problem found after parsing (a bad value, an unwritable path).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Progress on stderr for anything slower than a second, unless quiet.
struct Progress {
    let quiet: Bool
    let start = Date()

    func report(_ message: @autoclosure () -> String) {
        guard !quiet, Date().timeIntervalSince(start) > 1 else { return }
        FileHandle.standardError.write(Data(("nnviz: " + message() + "\n").utf8))
    }
}

extension OutputOptions {
    /// The output path and format, checked: the directory exists and is writable, the format is known.
    func resolve(stem: String, formats: [String]) throws -> (path: String, format: String) {
        var format = format?.lowercased()
        if let format, !formats.contains(format) {
            throw UsageError("unknown format '\(format)'; choose one of \(formats.joined(separator: ", "))")
        }
        let path: String
        if let output {
            path = output
            let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
            if format == nil {
                guard formats.contains(ext) else {
                    throw UsageError("cannot tell the format of '\(output)' from its extension; add --format (\(formats.joined(separator: ", ")))")
                }
                format = ext
            }
        } else {
            path = "output/\(stem).\(format ?? "png")"
            try? FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("cannot write \(path): the directory \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw UsageError("cannot write \(path): the directory \(directory) is not writable")
        }
        return (path, format ?? "png")
    }
}
