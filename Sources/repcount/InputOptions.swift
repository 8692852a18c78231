import ArgumentParser
import MotionInput

/// Where frames come from, shared by every command that reads motion (`@OptionGroup`).
struct InputOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Motion node to read, e.g. /dev/input/event21, or 'auto' for the first motion sensor found.",
      valueName: "path|auto"))
  var device: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Recording to read instead of a device: evemu (.evemu) or CSV (t,ax,ay,az[,gx,gy,gz]).",
      valueName: "file"))
  var input: String?

  @Flag(
    name: .long,
    help: "Wait for the device to appear, and to come back after an unplug (default: stop).")
  var wait = false

  func validate() throws {
    switch (device, input) {
    case (nil, nil):
      throw ValidationError("Give --device PATH|auto or --input FILE.")
    case (.some, .some):
      throw ValidationError("Give either --device or --input, not both.")
    default:
      break
    }
    if input != nil && wait {
      throw ValidationError("--wait applies to --device only.")
    }
  }

  /// The device table: built-in entries plus the user's files (user wins on the same id).
  func loadDeviceTable() throws -> DeviceTable {
    try DeviceTable.load(extraDirectories: DeviceTable.defaultUserDirectories())
  }

  /// Opens the chosen source: a recording through `openRecording`, or a live node.
  func openFrameSource() throws -> any MotionFrameSource {
    let table = try loadDeviceTable()
    if let input {
      return try openRecording(path: input, deviceTable: table)
    }
    let path = device == "auto" ? nil : device
    return try openLiveSource(devicePath: path, table: table)
  }

  /// As `openFrameSource()`, but a live node's reader also watches `interruptDescriptor` (see
  /// `InterruptSignal`): on Ctrl-C its `nextFrame()` returns nil, so the command can end cleanly.
  /// Live notices (waiting, disconnected, warnings) go to `notice`.
  func openFrameSource(interruptDescriptor: Int32, notice: @escaping (String) -> Void) throws
    -> any MotionFrameSource
  {
    guard let device else { return try openFrameSource() }
    let reader = try LiveMotionSource.openReader(
      devicePath: device == "auto" ? nil : device, waitForDevice: wait,
      interruptDescriptor: interruptDescriptor, notice: notice)
    return try LiveMotionSource(reader: reader, deviceTable: try loadDeviceTable())
  }

  private func openLiveSource(devicePath: String?, table: DeviceTable) throws
    -> any MotionFrameSource
  {
    try LiveMotionSource.open(devicePath: devicePath, waitForDevice: wait, deviceTable: table)
  }
}
