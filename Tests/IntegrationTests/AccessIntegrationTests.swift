import Foundation
import Testing

/// EACCES, as a desktop user without the udev rule meets it: the testbed's device node (a pty
/// behind umockdev) is made mode 000, and when the tests run as root the capabilities that
/// bypass file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) are dropped with setpriv, so
/// `open()` really fails with EACCES.
@Suite("Permission denied under umockdev")
struct AccessIntegrationTests {
  @Test("devices: the node is listed as not readable, with the udev-rule fix")
  func devicesExplainsPermission() throws {
    let fixture = DeviceFixture.named("dualsense-usb")
    let result = try Harness.repcount(
      ["devices"], devices: [fixture.umockdevArguments(events: nil)],
      wrapper: try Harness.unreadableWrapper(event: fixture.motionEvent))
    #expect(result.status == 0, "\(result.standardError)")
    let output = result.standardOutput
    // Still found and classified from sysfs, but flagged.
    #expect(output.contains("/dev/input/event11  Sony Interactive Entertainment DualSense"))
    #expect(output.contains("accelerometer+gyroscope"))
    #expect(output.contains("NOT readable (permission denied"))
    #expect(output.contains("70-repcount.rules"))
    #expect(output.contains("udevadm control --reload"))
    #expect(output.contains("Do not add yourself to the `input`"))
  }

  @Test("devices --json: readable false with the problem")
  func devicesJSON() throws {
    let fixture = DeviceFixture.named("joycon-left")
    let result = try Harness.repcount(
      ["devices", "--json"], devices: [fixture.umockdevArguments(events: nil)],
      wrapper: try Harness.unreadableWrapper(event: fixture.motionEvent))
    let nodes = try ListedNode.parse(result.standardOutput)
    #expect(nodes.count == 1)
    #expect(nodes.first?.readable == false)
    #expect(nodes.first?.problem?.contains("permission denied") == true)
    #expect(nodes.first?.tableEntry == "nintendo-joycon-left")
  }

  @Test("record: fails with the reason and the fix, exit status non-zero, no file")
  func recordExplainsPermission() throws {
    let fixture = DeviceFixture.named("dualsense-usb")
    let directory = try Harness.temporaryDirectory()
    let out = directory + "/never.evemu"
    let result = try Harness.repcount(
      ["record", "--device", fixture.motionPath, "--out", out, "--seconds", "1"],
      devices: [fixture.umockdevArguments()],
      wrapper: try Harness.unreadableWrapper(event: fixture.motionEvent))
    #expect(result.status != 0)
    #expect(result.standardError.contains("/dev/input/event11: permission denied"))
    #expect(result.standardError.contains("sudo install -m 644 udev/70-repcount.rules"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("record --device auto: says which nodes are unreadable")
  func autoExplainsPermission() throws {
    let fixture = DeviceFixture.named("steam-deck")
    let directory = try Harness.temporaryDirectory()
    let result = try Harness.repcount(
      ["record", "--device", "auto", "--out", directory + "/x.evemu", "--seconds", "1"],
      devices: [fixture.umockdevArguments()],
      wrapper: try Harness.unreadableWrapper(event: fixture.motionEvent))
    #expect(result.status != 0)
    #expect(result.standardError.contains("no readable motion sensor: /dev/input/event121"))
    #expect(result.standardError.contains("70-repcount.rules"))
  }

  @Test("record: an unwritable destination is refused before the device is read")
  func unwritableDestination() throws {
    let fixture = DeviceFixture.named("dualsense-usb")
    let result = try Harness.repcount(
      ["record", "--device", fixture.motionPath, "--out", "/nonexistent-dir/x.evemu"],
      devices: [fixture.umockdevArguments()])
    #expect(result.status != 0)
    #expect(result.standardError.contains("/nonexistent-dir is not a writable directory"))
  }
}
