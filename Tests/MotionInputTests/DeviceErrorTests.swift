import Testing

@testable import MotionInput

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Device errors and system calls")
struct DeviceErrorTests {
  @Test("a call interrupted by a signal is retried, other failures throw with errno")
  func retriesOnInterrupt() throws {
    var attempts = 0
    let result = try systemCall("fake") { () -> Int32 in
      attempts += 1
      if attempts < 3 {
        errno = EINTR
        return -1
      }
      return 7
    }
    #expect(result == 7)
    #expect(attempts == 3)
    #expect(throws: SystemCallError(operation: "fake", path: "/dev/x", errorNumber: EACCES)) {
      try systemCall("fake", path: "/dev/x") { () -> Int32 in
        errno = EACCES
        return -1
      }
    }
  }

  @Test("libevdev's negative errno convention, with EINTR retried")
  func negativeErrno() throws {
    var attempts = 0
    #expect(
      try negativeErrnoCall("fake") {
        attempts += 1
        return attempts == 1 ? -EINTR : 0
      } == 0)
    #expect(throws: SystemCallError(operation: "fake", errorNumber: ENODEV)) {
      try negativeErrnoCall("fake") { -ENODEV }
    }
  }

  @Test("errno classes: permission, device gone")
  func classes() {
    #expect(SystemCallError(operation: "open", errorNumber: EACCES).isPermissionDenied)
    #expect(SystemCallError(operation: "read", errorNumber: ENODEV).isDeviceGone)
    #expect(!SystemCallError(operation: "read", errorNumber: EINVAL).isDeviceGone)
    #expect(
      SystemCallError(operation: "open", path: "/dev/input/event3", errorNumber: EACCES).description
        == "/dev/input/event3: open failed: Permission denied")
  }

  @Test("opening a missing node says disconnected; a denied one explains the udev rule")
  func openingErrors() throws {
    #expect(throws: LiveDeviceError.disconnected(path: "/nonexistent/event9", name: "")) {
      try LiveEventReader.openNode("/nonexistent/event9")
    }
    let denied = LiveDeviceError.permissionDenied(path: "/dev/input/event5").description
    #expect(denied.hasPrefix("/dev/input/event5: permission denied."))
    #expect(denied.contains("udev/70-repcount.rules"))
    #expect(denied.contains("udevadm trigger --action=change --subsystem-match=input"))
    #expect(denied.contains("`input`"))
  }

  @Test("a file that is not an evdev node is rejected by libevdev, not mistaken for a device")
  func notEvdev() throws {
    #expect(throws: SystemCallError.self) { try EvdevDevice(path: "/dev/null") }
  }

  @Test("no device: the message names the unreadable nodes")
  func noDevice() {
    let message = LiveDeviceError.noMotionDevice(unreadable: ["/dev/input/event4"]).description
    #expect(message.contains("/dev/input/event4 is not readable"))
    #expect(LiveDeviceError.noMotionDevice(unreadable: []).description.contains("--wait"))
  }
}
