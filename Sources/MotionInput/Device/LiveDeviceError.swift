/// Why a live motion device could not be used, worded for the person at the keyboard.
public enum LiveDeviceError: Error, CustomStringConvertible, Equatable, Sendable {
  /// `open` gave `EACCES`: the node is not readable by this user.
  case permissionDenied(path: String)
  /// The node is not there, or vanished (unplugged) while being read.
  case disconnected(path: String, name: String)
  /// `--device auto` found nothing readable.
  case noMotionDevice(unreadable: [String])
  /// The node exists but is not a motion sensor.
  case notAMotionNode(path: String, name: String)
  /// A gyroscope-only companion node (Wii Motion Plus); `accelerometerPath` is the controller's
  /// accelerometer node, when there is one.
  case gyroscopeOnly(path: String, name: String, accelerometerPath: String?)
  /// Ctrl-C while waiting for a device to appear.
  case interruptedWhileWaiting
  case system(SystemCallError)

  public var description: String {
    switch self {
    case .permissionDenied(let path):
      return "\(path): permission denied.\n" + Self.permissionHint
    case .disconnected(let path, let name):
      let label = name.isEmpty ? path : "\(path) (\(name))"
      return "\(label) disconnected."
    case .noMotionDevice(let unreadable):
      if unreadable.isEmpty {
        return "no motion sensor found. Connect a controller (DualSense, DualShock, Joy-Con,"
          + " Wii Remote, Steam Deck…) and run `repcount devices`; or use --wait to wait for one."
      }
      return "no readable motion sensor: \(unreadable.joined(separator: ", ")) "
        + (unreadable.count == 1 ? "is" : "are") + " not readable.\n" + Self.permissionHint
    case .notAMotionNode(let path, let name):
      return "\(path) (\(name)) is not a motion sensor node; `repcount devices` lists those."
    case .gyroscopeOnly(let path, let name, let accelerometerPath):
      let instead = accelerometerPath.map { "; use its accelerometer node \($0) instead" } ?? ""
      return "\(path) (\(name)) is a gyroscope-only node and cannot be read on its own\(instead)."
    case .interruptedWhileWaiting:
      return "stopped while waiting for a device; nothing was read."
    case .system(let error):
      return error.description
    }
  }

  /// How to make motion nodes readable without exposing keyboards.
  public static let permissionHint = """
    Motion-sensor nodes belong to root:input and udev gives desktop users no access to them
    (only to the gamepad node). Install repcount's udev rule, which grants the logged-in user
    access to motion-sensor nodes only:
        sudo install -m 644 udev/70-repcount.rules /etc/udev/rules.d/
        sudo udevadm control --reload
        sudo udevadm trigger --action=change --subsystem-match=input
    then reconnect the controller (see udev/README.md). Do not add yourself to the `input`
    group instead: that lets every program you run read your keyboards.
    """

  static func opening(_ path: String, _ error: SystemCallError) -> LiveDeviceError {
    if error.isPermissionDenied { return .permissionDenied(path: path) }
    if error.isDeviceGone { return .disconnected(path: path, name: "") }
    return .system(error)
  }
}
