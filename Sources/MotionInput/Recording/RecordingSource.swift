import MotionCore

/// A frame source backed by a file, with what `inspect` reports about it.
public protocol RecordingSource: MotionFrameSource {
  var path: String { get }
  /// `"evemu"`, `"csv"` or the name of the phone-app export.
  var formatName: String { get }
  /// The device table entry in use, if the recording names a device the table knows.
  var matchedEntry: DeviceTableEntry? { get }
  /// Whether frames carry angular velocity.
  var hasGyroscope: Bool { get }
  /// `SYN_DROPPED` events read so far.
  var droppedEventCount: Int { get }
  /// How frame times are derived.
  var timestampModel: TimestampModel { get }
  /// Events after the last `SYN_REPORT` when the file ended (a recording stopped mid-frame);
  /// they form no frame and are ignored. Known once `nextFrame()` has returned `nil`.
  var unterminatedEventCount: Int { get }
}

/// Frames from an evemu recording, through the same `FrameAssembler` the live reader uses.
public struct EvemuFrameSource: RecordingSource {
  public let path: String
  public var formatName: String { "evemu" }
  public var device: InputDeviceDescription { stream.device }
  public let matchedEntry: DeviceTableEntry?
  public var hasGyroscope: Bool { assembler.hasGyroscope }
  public var droppedEventCount: Int { assembler.droppedEventCount }
  public var timestampModel: TimestampModel { assembler.timestampModel }
  public var assemblerEntry: DeviceTableEntry { assembler.entry }
  public private(set) var unterminatedEventCount = 0

  private let stream: EvemuEventStream
  private var assembler: FrameAssembler
  private var frameCount = 0
  private var finished = false

  public init(path: String, deviceTable: DeviceTable) throws {
    self.path = path
    stream = try EvemuEventStream(path: path)
    matchedEntry = deviceTable.entry(for: stream.device)
    do {
      assembler = try FrameAssembler(device: stream.device, entry: matchedEntry)
    } catch let error as FrameAssemblerError {
      throw InputFileError(path: path, line: stream.headerLineNumber, message: error.description)
    }
  }

  public mutating func nextFrame() throws -> MotionFrame? {
    guard !finished else { return nil }
    while let event = try stream.nextEvent() {
      unterminatedEventCount += 1
      if event.type == EventCode.synType && event.code == EventCode.synReport {
        unterminatedEventCount = 0
      }
      if let frame = assembler.consume(event) {
        frameCount += 1
        return frame
      }
      if let rejection = assembler.lastRejection {
        throw InputFileError(path: path, line: stream.lineNumber, message: rejection.description)
      }
    }
    finished = true
    if frameCount == 0 {
      throw InputFileError(
        path: path, line: stream.lineNumber,
        message: "the recording holds no complete frame (no events ending in SYN_REPORT)")
    }
    return nil
  }
}
