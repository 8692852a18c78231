import Foundation
import Testing

/// `repcount demo`, the README's first command: it must find the bundled recording beside the
/// binary (SwiftPM's resource bundle), replay it and end with the comparison against the truth.
@Suite("demo")
struct DemoIntegrationTests {
  @Test("demo --fast replays the bundled recording and compares with what it holds")
  func demoReplaysTheBundledRecording() throws {
    let result = try Harness.run(try Harness.repcountBinary(), ["demo", "--fast"])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardError.contains("replaying the bundled recording"), "\(result.standardError)")
    #expect(result.standardOutput.contains("What the recording really holds"))
    let verdicts = result.standardOutput.split(separator: "\n").filter {
      $0.hasPrefix("  ✓ set") || $0.hasPrefix("  ✗ set")
    }
    #expect(verdicts.count == 5, "\(result.standardOutput)")
  }

  @Test("the bundled recording is what the simulator makes today")
  func bundledRecordingIsUpToDate() throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let written = directory + "/demo-session.csv"
    let result = try Harness.run(
      try Harness.repcountBinary(), ["demo", "--write-recording", written])
    #expect(result.status == 0, "\(result.standardError)")
    let bundled = Harness.repositoryRoot + "/Sources/repcount/Resources/demo-session"
    for suffix in [".csv", ".truth.json"] {
      let fresh = FileManager.default.contents(atPath: directory + "/demo-session" + suffix)
      let shipped = FileManager.default.contents(atPath: bundled + suffix)
      let advice = Comment(
        rawValue: "Sources/repcount/Resources/demo-session\(suffix) is stale: regenerate it with "
          + "`repcount demo --write-recording Sources/repcount/Resources/demo-session.csv`")
      #expect(fresh != nil && fresh == shipped, advice)
    }
  }
}
