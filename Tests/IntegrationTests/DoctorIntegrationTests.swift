import Foundation
import Testing

@Suite("repcount doctor under umockdev")
struct DoctorIntegrationTests {
  /// A rules directory holding the repository's rule under `name`.
  private func rulesDirectory(named name: String = "70-repcount.rules") throws -> String {
    let directory = try Harness.temporaryDirectory()
    try FileManager.default.copyItem(
      atPath: Harness.repositoryRoot + "/udev/70-repcount.rules", toPath: directory + "/" + name)
    return directory
  }

  @Test("all good: rule found, nodes readable, real rates measured; exit 0")
  func healthy() throws {
    let rules = try rulesDirectory()
    let result = try Harness.repcount(
      ["doctor", "--seconds", "0.5", "--rules-dir", rules],
      devices: [
        DeviceFixture.named("dualsense-usb").umockdevArguments(),
        DeviceFixture.named("joycon-left").umockdevArguments(),
      ])
    #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
    let output = result.standardOutput
    #expect(output.contains("ok    udev rule installed: \(rules)/70-repcount.rules"))
    #expect(output.contains("ok    /dev/input/event11 (Sony Interactive Entertainment"))
    // 10 frames 4 ms apart; 12 Joy-Con samples 5 ms apart in 4 reports 15 ms apart.
    #expect(
      output.contains("/dev/input/event11: 10 frames, 250.0 Hz by the device clock, jitter 0.00 ms")
    )
    #expect(output.contains("4.0 ms; arrivals 250.0 reports/s, arrival jitter 0.00 ms\n"))
    #expect(output.contains("/dev/input/event51: 12 frames, 200.0 Hz by the device clock"))
    #expect(
      output.contains(
        "arrivals 66.7 reports/s, arrival jitter 0.00 ms (several samples per report)"))
    #expect(output.contains("All good."))
  }

  @Test("jittery reports: the Steam Deck's spread is measured")
  func jitter() throws {
    let result = try Harness.repcount(
      ["doctor", "--seconds", "0.5", "--rules-dir", try rulesDirectory()],
      devices: [DeviceFixture.named("steam-deck").umockdevArguments()])
    // Arrivals 3.1, 5.2, 4.0, 2.9, 6.1, 3.8, 4.1, 1.9, 5.0 ms apart: mean 4 ms, sample
    // standard deviation 1.29 ms, which the device's fixed 4 ms MSC_TIMESTAMP step hides.
    #expect(result.standardOutput.contains("/dev/input/event121: 10 frames"))
    // Nine intervals summing to 36.1 ms: 249.3 reports/s.
    #expect(result.standardOutput.contains("arrivals 249.3 reports/s, arrival jitter 1.29 ms"))
    #expect(result.status == 0, "\(result.standardOutput)")
  }

  @Test("rule missing: says how to install it, exit non-zero")
  func ruleMissing() throws {
    let empty = try Harness.temporaryDirectory()
    let result = try Harness.repcount(
      ["doctor", "--seconds", "0.2", "--rules-dir", empty],
      devices: [DeviceFixture.named("dualsense-usb").umockdevArguments()])
    #expect(result.status != 0)
    #expect(result.standardOutput.contains("FAIL  repcount's udev rule is not installed"))
    #expect(result.standardOutput.contains("sudo install -m 644 udev/70-repcount.rules"))
    #expect(result.standardOutput.contains("udevadm trigger --action=change"))
    #expect(result.standardError.contains("1 problem found"))
  }

  @Test("rule numbered after 73-seat-late: flagged")
  func ruleTooLate() throws {
    let result = try Harness.repcount(
      [
        "doctor", "--seconds", "0.2", "--rules-dir", try rulesDirectory(named: "80-repcount.rules"),
      ],
      devices: [DeviceFixture.named("dualsense-usb").umockdevArguments()])
    #expect(result.status != 0)
    #expect(result.standardOutput.contains("sorts after 73-seat-late.rules"))
  }

  @Test("rules directory from REPCOUNT_UDEV_RULES_DIRS")
  func rulesDirectoryFromEnvironment() throws {
    let rules = try rulesDirectory()
    let empty = try Harness.temporaryDirectory()
    let result = try Harness.repcount(
      ["doctor", "--seconds", "0.3"],
      devices: [DeviceFixture.named("dualsense-usb").umockdevArguments()],
      wrapper: ["/usr/bin/env", "REPCOUNT_UDEV_RULES_DIRS=\(empty):\(rules)"])
    #expect(result.standardOutput.contains("ok    udev rule installed: \(rules)/70-repcount.rules"))
    #expect(result.status == 0, "\(result.standardOutput)")
  }

  @Test("unreadable node: FAIL with the fix")
  func unreadable() throws {
    let fixture = DeviceFixture.named("dualsense-bt")
    let result = try Harness.repcount(
      ["doctor", "--seconds", "0.2", "--rules-dir", try rulesDirectory()],
      devices: [fixture.umockdevArguments()],
      wrapper: try Harness.unreadableWrapper(event: fixture.motionEvent))
    #expect(result.status != 0)
    #expect(
      result.standardOutput.contains(
        "FAIL  /dev/input/event21 (DualSense Wireless Controller Motion Sensors) is not readable"))
    #expect(result.standardOutput.contains("70-repcount.rules"))
  }

  @Test("a silent sensor and no sensor at all are problems")
  func silentOrMissing() throws {
    let rules = try rulesDirectory()
    let silent = try Harness.repcount(
      ["doctor", "--seconds", "0.3", "--rules-dir", rules],
      devices: [DeviceFixture.named("wii-remote").umockdevArguments(events: nil)])
    #expect(silent.status != 0)
    #expect(
      silent.standardOutput.contains(
        "/dev/input/event111 (Nintendo Wii Remote Accelerometer) sent 0 frames"))
    // The Motion Plus is a gyroscope-only companion node: listed, not measured on its own.
    #expect(!silent.standardOutput.contains("event112 (Nintendo Wii Remote Motion Plus) sent"))
    let none = try Harness.repcount(
      ["doctor", "--seconds", "0.2", "--rules-dir", rules], devices: [])
    #expect(none.status != 0)
    #expect(none.standardOutput.contains("FAIL  no motion sensor found"))
  }
}
