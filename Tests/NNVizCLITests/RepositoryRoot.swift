import Foundation

/// The repository's root folder, where `samples/` and `output/` are: the tests run the sample model files
/// as a user would.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
