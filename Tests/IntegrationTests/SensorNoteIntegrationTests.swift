import Foundation
import Testing

/// `count` and `session` say once, on stderr, that twists without a gyroscope are counted far
/// less exactly; only when twists are to be counted and the device has none.
@Suite("the note on twists without a gyroscope")
struct SensorNoteIntegrationTests {
  let note = "this device has no gyroscope"

  private func simulatedTwists(deviceID: String, in directory: String) throws -> String {
    let path = directory + "/\(deviceID).evemu"
    let simulated = try Harness.run(
      try Harness.repcountBinary(),
      [
        "simulate", "--exercise", "twist", "--device", deviceID, "--reps", "3", "--seed", "3",
        "--out", path,
      ])
    #expect(simulated.status == 0, "\(simulated.standardError)")
    return path
  }

  @Test func countSaysItOnlyForTwistsWithoutAGyroscope() throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let binary = try Harness.repcountBinary()
    let accelerometerOnly = try simulatedTwists(deviceID: "st-lis3lv02d", in: directory)
    let withGyroscope = try simulatedTwists(deviceID: "sony-dualsense", in: directory)
    for (path, exercise, expected) in [
      (accelerometerOnly, "twist", true), (accelerometerOnly, "hip-roll", false),
      (withGyroscope, "twist", false),
    ] {
      let counted = try Harness.run(
        binary, ["count", "--input", path, "--exercise", exercise, "--json"])
      #expect(counted.status == 0, "\(counted.standardError)")
      #expect(
        counted.standardError.components(separatedBy: note).count - 1 == (expected ? 1 : 0),
        "\(path) \(exercise): \(counted.standardError)")
      // The JSON Lines stay clean: the note goes to stderr only.
      #expect(!counted.standardOutput.contains(note))
    }
  }

  @Test func sessionSaysItWhenThePlanHasTwists() throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let recording = try simulatedTwists(deviceID: "st-lis3lv02d", in: directory)
    for (exercise, expected) in [("twist", true), ("hip-roll", false)] {
      let plan = directory + "/\(exercise).yaml"
      try "name: one\nsteps:\n  - exercise: \(exercise)\n    reps: 3\n".write(
        toFile: plan, atomically: true, encoding: .utf8)
      let session = try Harness.run(
        try Harness.repcountBinary(),
        [
          "session", "--plan", plan, "--input", recording, "--history",
          directory + "/history-\(exercise).sqlite", "--json",
        ], timeoutSeconds: 60)
      #expect(session.status == 0, "\(session.standardError)")
      #expect(session.standardError.contains(note) == expected, "\(session.standardError)")
    }
  }
}
