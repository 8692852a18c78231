import Foundation

/// A fresh temporary directory per test, removed afterwards.
struct RecordingScratchDirectory: ~Copyable {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("repcount-rec-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `text` to `name` inside the directory and returns its path.
  func file(_ name: String, _ text: String) throws -> String {
    let filePath = path + "/" + name
    try text.write(toFile: filePath, atomically: false, encoding: .utf8)
    return filePath
  }
}
