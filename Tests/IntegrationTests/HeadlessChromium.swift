import Foundation

/// Chromium without a display, for looking at pages the way a person's browser lays them out.
///
/// It is `chromium-headless-shell` (Debian's package of Chromium's headless shell, which `.ci/run`
/// installs), or the program `REPCOUNT_HEADLESS_CHROMIUM` names. Plain `chromium --headless`
/// would not do: its windows are at least 500 px wide, so a phone's width cannot be tried.
enum HeadlessChromium {
  static let binary: String? = {
    if let path = ProcessInfo.processInfo.environment["REPCOUNT_HEADLESS_CHROMIUM"] {
      return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
    return Harness.executableInPath("chromium-headless-shell")
  }()

  /// Why the browser tests cannot run here, or `nil` when they can.
  static let missingReason: String? = {
    guard binary == nil else { return nil }
    if let path = ProcessInfo.processInfo.environment["REPCOUNT_HEADLESS_CHROMIUM"] {
      return "REPCOUNT_HEADLESS_CHROMIUM names \(path), which is not an executable"
    }
    return "chromium-headless-shell not found (apt-get install chromium-headless-shell, or set"
      + " REPCOUNT_HEADLESS_CHROMIUM to a Chromium headless shell)"
  }()

  /// The page's DOM after it has loaded and its scripts have run, as `--dump-dom` prints it.
  static func dumpDOM(of page: String, width: Int, height: Int) throws -> String {
    let result = try run(["--dump-dom", URL(fileURLWithPath: page).absoluteString], width, height)
    guard result.status == 0, !result.standardOutput.isEmpty else {
      throw HarnessError(
        description: "chromium --dump-dom \(page) failed (status \(result.status)): "
          + String(result.standardError.suffix(2000)))
    }
    return result.standardOutput
  }

  /// Writes a PNG of the window's `width` × `height` CSS pixels of the page, from its top.
  static func screenshot(of page: String, to png: String, width: Int, height: Int) throws {
    let result = try run(
      ["--screenshot=\(png)", URL(fileURLWithPath: page).absoluteString], width, height)
    guard result.status == 0, FileManager.default.fileExists(atPath: png) else {
      throw HarnessError(
        description: "chromium --screenshot of \(page) failed (status \(result.status)): "
          + String(result.standardError.suffix(2000)))
    }
  }

  private static func run(_ arguments: [String], _ width: Int, _ height: Int) throws
    -> ProcessResult
  {
    guard let binary else { throw HarnessError(description: missingReason ?? "") }
    // A profile of its own each time: runs side by side never share state, and nothing is left
    // in the user's home.
    let profile = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: profile) }
    let options = [
      // As root (CI) Chromium's sandbox cannot start; the pages are our own.
      "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
      "--window-size=\(width),\(height)", "--user-data-dir=\(profile)",
      // Nothing leaves the machine: no background requests, and no host name resolves.
      "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    return try Harness.run(binary, options + arguments, timeoutSeconds: 60)
  }
}
