import MotionCore

/// Anything that yields `MotionFrame`s: a live evdev node, an evemu recording, a CSV file.
public protocol MotionFrameSource {
  /// The device the frames come from (from the live node, or the recording's header).
  var device: InputDeviceDescription { get }
  /// The next frame, or `nil` at the end of a recording. A live source blocks until a frame is
  /// ready and throws when its device goes away.
  mutating func nextFrame() throws -> MotionFrame?
}

/// A problem with an input file, pointing at the place: prints as `FILE:LINE: message`.
public struct InputFileError: Error, CustomStringConvertible, Equatable, Sendable {
  public var path: String
  /// 1-based line number, or `nil` when the problem is with the file as a whole.
  public var line: Int?
  public var message: String

  public init(path: String, line: Int? = nil, message: String) {
    self.path = path
    self.line = line
    self.message = message
  }

  public var description: String {
    if let line { return "\(path):\(line): \(message)" }
    return "\(path): \(message)"
  }
}
