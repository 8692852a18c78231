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

  /// Opens the chosen source: a recording through `openRecording`, or a live node whose reader
  /// watches Ctrl-C (`InterruptSignal`): its `nextFrame()` then returns nil, so the command can
  /// end cleanly. Live notices (waiting, disconnected, warnings) go to `notice`.
  func openFrameSource(notice: @escaping (String) -> Void) throws -> any MotionFrameSource {
    let table = try loadDeviceTable()
    if let input {
      return try openRecording(path: input, deviceTable: table)
    }
    return try LiveMotionSource.open(
      devicePath: device == "auto" ? nil : device, waitForDevice: wait, deviceTable: table,
      interruptDescriptor: try InterruptSignal.install(), notice: notice)
  }
}
