import BodyCalibration
import Foundation
import MotionCore
import Testing

/// `count` and `session` find the profile `repcount calibrate` stored for the live device, and
/// refuse a broken one by name; recordings get a profile only by `--profile`.
@Suite("calibration profiles applied to a live device under umockdev")
struct ProfileLookupIntegrationTests {
  let fixture = DeviceFixture.named("dualsense-usb")

  /// A config home whose profile store holds `profileJSON` under some file name (the store
  /// matches by the identity inside, not by the name).
  private func configHome(profileJSON: Data) throws -> String {
    let home = try Harness.temporaryDirectory()
    let store = home + "/repcount/profiles"
    try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
    try profileJSON.write(to: URL(fileURLWithPath: store + "/my-pad.json"))
    return home
  }

  private func profile(vendor: UInt16 = 0x054c) throws -> Data {
    let identity = DeviceIdentity(
      vendor: vendor, product: 0x0ce6,
      name: "Sony Interactive Entertainment DualSense Wireless Controller Motion Sensors",
      uniq: fixture.uniq)
    return try CalibrationProfile(
      calibratedAt: "2026-11-30T12:00:00Z", device: identity,
      body: BodyProfile(
        rightInSensor: Vector3(1, 0, 0), standingUpInSensor: Vector3(0, 1, 0),
        gyroBiasDPS: Vector3(0.25, 0, -0.5))
    ).jsonData()
  }

  private func count(configHome: String, extra: [String] = []) throws -> ProcessResult {
    try Harness.repcount(
      ["count", "--device", fixture.motionPath, "--exercise", "knee-lift", "--json"] + extra,
      devices: [fixture.umockdevArguments()],
      // A live count runs until Ctrl-C: send it one second in (it then prints its summary).
      wrapper: [
        "/usr/bin/timeout", "--preserve-status", "-s", "INT", "1",
        "/usr/bin/env", "XDG_CONFIG_HOME=\(configHome)",
      ])
  }

  @Test("the stored profile of this unit is used, and said so")
  func storedProfileIsFound() throws {
    let home = try configHome(profileJSON: try profile())
    let result = try count(configHome: home)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardError.contains(
        "using the calibration profile \(home)/repcount/profiles/my-pad.json (same device)"))
    // The profile's bias is the one in use, and the run says what became of it.
    #expect(result.standardError.contains("gyroscope bias: calibrated (0.25, 0.00, -0.50) °/s"))
  }

  @Test("another device's profile is not used")
  func otherDevicesProfileIsIgnored() throws {
    let home = try configHome(profileJSON: try profile(vendor: 0x057e))
    let result = try count(configHome: home)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(!result.standardError.contains("calibration profile"))
  }

  @Test("a broken stored profile stops the count with its path and field")
  func brokenStoredProfileIsNamed() throws {
    var object = try #require(
      JSONSerialization.jsonObject(with: try profile()) as? [String: Any])
    object["gyroScale"] = 7
    let home = try configHome(profileJSON: try JSONSerialization.data(withJSONObject: object))
    let result = try count(configHome: home)
    #expect(result.status != 0)
    #expect(
      result.standardError.contains("\(home)/repcount/profiles/my-pad.json: field gyroScale"),
      "\(result.standardError)")
  }

  @Test("--profile overrides the store, and a bad one is named")
  func explicitProfileWins() throws {
    let home = try configHome(profileJSON: try profile())
    let explicit = try Harness.temporaryDirectory() + "/other.json"
    try Data("{\"format\": \"something-else\"}".utf8).write(to: URL(fileURLWithPath: explicit))
    let result = try count(configHome: home, extra: ["--profile", explicit])
    #expect(result.status != 0)
    #expect(result.standardError.contains("\(explicit): field format"), "\(result.standardError)")
    #expect(!result.standardError.contains("my-pad.json"))
  }

  @Test("calibrate --input on a simulated calibration writes a profile count accepts")
  func calibrateFromARecording() throws {
    let directory = try Harness.temporaryDirectory()
    let recording = directory + "/calibration.evemu"
    let profilePath = directory + "/profile.json"
    let binary = try Harness.repcountBinary()
    let simulated = try Harness.run(
      binary,
      [
        "simulate", "--calibration", "--out", recording, "--device", "sony-dualsense", "--seed",
        "5",
      ])
    #expect(simulated.status == 0, "\(simulated.standardError)")
    let calibrated = try Harness.run(
      binary, ["calibrate", "--input", recording, "--turns", "2", "--out", profilePath],
      timeoutSeconds: 60)
    #expect(calibrated.status == 0, "\(calibrated.standardOutput)\(calibrated.standardError)")
    #expect(calibrated.standardOutput.contains("5 left-knee-lift: ok"))
    #expect(calibrated.standardOutput.contains("+ gyro-scale-turns: ok"))
    let profile = try loadProfile(path: profilePath)
    #expect(profile.rightInSensor != nil && profile.gyroBiasDPS != nil)
    #expect(profile.device.vendor == "054c")

    let knees = directory + "/knees.evemu"
    _ = try Harness.run(
      binary,
      [
        "simulate", "--exercise", "knee-lift", "--device", "sony-dualsense", "--seed", "5",
        "--reps", "3", "--placement", "waist", "--out", knees,
      ])
    let counted = try Harness.run(
      binary,
      ["count", "--input", knees, "--exercise", "knee-lift", "--profile", profilePath, "--json"])
    #expect(counted.status == 0, "\(counted.standardError)")
    #expect(counted.standardError.contains("gyroscope bias: calibrated"))
    // With the calibration each lift has its tilt about the body's axes: mostly the pelvis
    // tilting toward the head (about the body's right), a little of it rolling to the side.
    let lifts = try counted.standardOutput.split(separator: "\n").compactMap { line in
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }.filter { $0["event"] as? String == "rep" && $0["partial"] as? Bool == false }
    // The same device, mounted at the waist as it was calibrated: 3 right lifts, then 3 left.
    #expect(
      lifts.map { $0["side"] as? String } == ["right", "right", "right", "left", "left", "left"],
      "\(counted.standardOutput)")
    for lift in lifts {
      let sagittal = try #require(lift["sagittalDegrees"] as? Double, "\(lift)")
      let lateral = try #require(lift["lateralDegrees"] as? Double, "\(lift)")
      #expect(sagittal > 3 && sagittal < 25 && lateral < sagittal, "\(lift)")
    }
    let uncalibrated = try Harness.run(
      binary, ["count", "--input", knees, "--exercise", "knee-lift", "--json"])
    #expect(!uncalibrated.standardOutput.contains("sagittalDegrees"))
    let session = try Harness.run(
      binary,
      [
        "session", "--input", knees, "--profile", profilePath, "--history",
        directory + "/history.sqlite", "--json",
      ], timeoutSeconds: 60)
    #expect(session.status == 0, "\(session.standardError)")
    #expect(session.standardError.contains("gyroscope bias: calibrated"))
    #expect(session.standardOutput.contains("\"sagittalDegrees\":"))
  }
}
