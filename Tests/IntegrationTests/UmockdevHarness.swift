import Foundation
import Testing

/// A device fixture in `Fixtures/` (written by `Fixtures/generate.py`): its umockdev
/// description, the ioctl answers of its motion node(s) and a short evemu event stream.
struct DeviceFixture: Sendable, CustomTestStringConvertible {
  var name: String
  /// N of the motion node `/dev/input/eventN`.
  var motionEvent: Int
  /// N of the paired gamepad/buttons node, if the real device has one.
  var padEvent: Int?
  var kind: String
  var tableEntry: String
  var id: String
  var uniq: String
  /// Further nodes with ioctl answers (the Wii Motion Plus), as (N, ioctl file stem).
  var extraNodes: [(event: Int, ioctlStem: String, kind: String, tableEntry: String)] = []

  var testDescription: String { name }
  var motionPath: String { "/dev/input/event\(motionEvent)" }

  static let all: [DeviceFixture] = [
    .init(
      name: "dualsense-usb", motionEvent: 11, padEvent: 10, kind: "accelerometer+gyroscope",
      tableEntry: "sony-dualsense", id: "0003:054c:0ce6", uniq: "a0:ab:51:5e:01:01"),
    .init(
      name: "dualsense-bt", motionEvent: 21, padEvent: 20, kind: "accelerometer+gyroscope",
      tableEntry: "sony-dualsense", id: "0005:054c:0ce6", uniq: "a0:ab:51:5e:02:02"),
    .init(
      name: "dualshock4-usb", motionEvent: 31, padEvent: 30, kind: "accelerometer+gyroscope",
      tableEntry: "sony-dualshock4", id: "0003:054c:09cc", uniq: "1c:a0:b8:4d:03:03"),
    .init(
      name: "dualshock3-usb", motionEvent: 41, padEvent: 40, kind: "accelerometer",
      tableEntry: "sony-dualshock3", id: "0003:054c:0268", uniq: "00:1b:fb:6a:04:04"),
    .init(
      name: "joycon-left", motionEvent: 51, padEvent: 50, kind: "accelerometer+gyroscope",
      tableEntry: "nintendo-joycon-left", id: "0005:057e:2006", uniq: "98:B6:E9:05:05:05"),
    .init(
      name: "joycon-left-old", motionEvent: 61, padEvent: 60, kind: "accelerometer+gyroscope",
      tableEntry: "nintendo-joycon-left", id: "0005:057e:2006", uniq: "98:B6:E9:06:06:06"),
    .init(
      name: "joycon-right", motionEvent: 71, padEvent: 70, kind: "accelerometer+gyroscope",
      tableEntry: "nintendo-joycon-right", id: "0005:057e:2007", uniq: "98:B6:E9:07:07:07"),
    .init(
      name: "joycon-right-old", motionEvent: 81, padEvent: 80, kind: "accelerometer+gyroscope",
      tableEntry: "nintendo-joycon-right", id: "0005:057e:2007", uniq: "98:B6:E9:08:08:08"),
    .init(
      name: "pro-controller-usb", motionEvent: 91, padEvent: 90, kind: "accelerometer+gyroscope",
      tableEntry: "nintendo-pro-controller", id: "0003:057e:2009", uniq: "64:B5:C6:09:09:09"),
    .init(
      name: "pro-controller-old", motionEvent: 101, padEvent: 100,
      kind: "accelerometer+gyroscope", tableEntry: "nintendo-pro-controller",
      id: "0005:057e:2009", uniq: "64:B5:C6:0A:0A:0A"),
    .init(
      name: "wii-remote", motionEvent: 111, padEvent: 110, kind: "accelerometer",
      tableEntry: "nintendo-wii-remote", id: "0005:057e:0306", uniq: "",
      extraNodes: [(112, "wii-remote-motion-plus", "gyroscope", "nintendo-wii-motion-plus")]),
    .init(
      name: "steam-deck", motionEvent: 121, padEvent: 120, kind: "accelerometer+gyroscope",
      tableEntry: "valve-steam-deck", id: "0003:28de:1205", uniq: "FVAA23456789"),
    .init(
      name: "lis3lv02d", motionEvent: 131, padEvent: nil, kind: "accelerometer",
      tableEntry: "st-lis3lv02d", id: "0019:0000:0000", uniq: ""),
  ]

  static func named(_ name: String) -> DeviceFixture {
    guard let fixture = all.first(where: { $0.name == name }) else {
      fatalError("no fixture \(name)")
    }
    return fixture
  }

  /// `umockdev-run` arguments that load this device; `events` picks the evemu stream
  /// (`nil`: none, so the node stays silent).
  func umockdevArguments(events: String? = "") -> [String] {
    let directory = Harness.fixturesDirectory
    var arguments = ["-d", "\(directory)/\(name).umockdev"]
    arguments += ["-i", "\(motionPath)=\(directory)/\(name).ioctl"]
    for node in extraNodes {
      arguments += ["-i", "/dev/input/event\(node.event)=\(directory)/\(node.ioctlStem).ioctl"]
    }
    if let events {
      let stem = events.isEmpty ? name : events
      arguments += ["-e", "\(motionPath)=\(directory)/\(stem).evemu"]
    }
    return arguments
  }
}

/// What a finished process left behind.
struct ProcessResult {
  var status: Int32
  var standardOutput: String
  var standardError: String
}

struct HarnessError: Error, CustomStringConvertible {
  var description: String
}

enum Harness {
  static let fixturesDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures").path
  }()

  static let repositoryRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }()

  /// The `repcount` built next to this test bundle (same build products directory).
  static func repcountBinary() throws -> String {
    let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = testExecutable.deletingLastPathComponent()
    // On Linux the test runner is `<products>/repcountPackageTests.xctest`; elsewhere it may
    // sit inside a bundle, so walk up until the binary appears.
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("repcount").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    throw HarnessError(
      description: "the repcount binary was not found next to \(testExecutable.path);"
        + " build it first (`swift build`), the IntegrationTests target depends on it")
  }

  static func executableInPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// `umockdev-run`; a missing one fails the test (CI installs the `umockdev` package).
  static func umockdevRun() throws -> String {
    guard let path = executableInPath("umockdev-run") else {
      throw HarnessError(
        description: "umockdev-run not found: install umockdev (apt-get install umockdev);"
          + " the device integration tests cannot run without it")
    }
    return path
  }

  /// Python with the umockdev GObject bindings, for tests that unplug devices.
  static func umockdevPython() throws -> String {
    let python = "/usr/bin/python3"
    let check = try run(python, ["-c", "import gi; gi.require_version('UMockdev', '1.0')"])
    guard check.status == 0 else {
      throw HarnessError(
        description: "\(python) cannot load the UMockdev GObject bindings: install python3-gi"
          + " gir1.2-umockdev-1.0 (\(check.standardError))")
    }
    return python
  }

  /// Runs `repcount ARGUMENTS` under `umockdev-run` with `devices` loaded.
  static func repcount(
    _ arguments: [String], devices: [[String]], wrapper: [String] = [],
    timeoutSeconds: Double = 20
  ) throws -> ProcessResult {
    let binary = try repcountBinary()
    var umockdevArguments = devices.flatMap { $0 }
    umockdevArguments += ["--"] + wrapper + [binary] + arguments
    return try run(try umockdevRun(), umockdevArguments, timeoutSeconds: timeoutSeconds)
  }

  /// Runs a program to completion (killing it after `timeoutSeconds`), capturing its output.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    timeoutSeconds: Double = 20
  ) throws -> ProcessResult {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let outputPath = directory + "/stdout"
    let errorPath = directory + "/stderr"
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    try process.run()
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while process.isRunning && Date() < deadline {
      usleep(10_000)
    }
    if process.isRunning {
      process.terminate()
      // A child that blocks SIGTERM (a signal mask inherited from the test runner's threads)
      // would hang the whole suite here: after a grace period it is killed outright.
      let grace = Date().addingTimeInterval(2)
      while process.isRunning && Date() < grace { usleep(10_000) }
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
      throw HarnessError(
        description: "\(executable) \(arguments.joined(separator: " ")) did not finish within"
          + " \(timeoutSeconds) s; stderr: \(read(errorPath))")
    }
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus, standardOutput: read(outputPath),
      standardError: read(errorPath))
  }

  /// A `umockdev-run` wrapper that makes `/dev/input/eventN` unreadable before starting the
  /// program: the testbed node (a pty) gets mode 000 and, as root, setpriv drops the
  /// capabilities that bypass file modes, so `open()` fails with EACCES like for a desktop user
  /// without the udev rule.
  static func unreadableWrapper(event: Int) throws -> [String] {
    var dropPrivileges = ""
    if getuid() == 0 {
      guard let setpriv = executableInPath("setpriv") else {
        throw HarnessError(description: "setpriv (util-linux) is needed to test EACCES as root")
      }
      dropPrivileges = "\(setpriv) --bounding-set=-dac_override,-dac_read_search"
    }
    let node = "\"$UMOCKDEV_DIR/dev/input/event\(event)\""
    let script = "chmod 000 \"$(readlink -f \(node))\" && exec \(dropPrivileges) \"$@\""
    return ["/bin/sh", "-c", script, "sh"]
  }

  static func read(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }

  static func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("repcount-it-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

/// One frame as `repcount record --dump-frames` writes it.
struct DumpedFrame: Decodable, Equatable {
  var t: Double
  var a: [Double]
  var g: [Double]?
  var lost: Bool

  static func load(_ path: String) throws -> [DumpedFrame] {
    let decoder = JSONDecoder()
    return try Harness.read(path).split(separator: "\n").map {
      try decoder.decode(DumpedFrame.self, from: Data($0.utf8))
    }
  }
}

/// Records `fixture`'s stream through the live path: `repcount record` under umockdev.
/// Returns the frames the live path assembled and the evemu file it wrote.
func recordLive(
  _ fixture: DeviceFixture, events: String = "", frames: Int, extraArguments: [String] = []
) throws -> (frames: [DumpedFrame], evemuPath: String, result: ProcessResult) {
  let directory = try Harness.temporaryDirectory()
  let evemuPath = directory + "/\(fixture.name).evemu"
  let dumpPath = directory + "/\(fixture.name).jsonl"
  let result = try Harness.repcount(
    [
      "record", "--device", fixture.motionPath, "--out", evemuPath, "--frames", String(frames),
      "--seconds", "10", "--dump-frames", dumpPath,
    ] + extraArguments,
    devices: [fixture.umockdevArguments(events: events)])
  return (try DumpedFrame.load(dumpPath), evemuPath, result)
}
