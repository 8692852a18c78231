/// A whole evemu recording in memory: the device and every event. For files too large to hold,
/// use `EvemuEventStream` (which this is built on) or `openRecording`.
public struct EvemuRecording: Hashable, Sendable {
  public var device: InputDeviceDescription
  public var events: [InputEvent]

  public init(device: InputDeviceDescription, events: [InputEvent]) {
    self.device = device
    self.events = events
  }

  /// Reads `path`; errors are `InputFileError`s naming the file and line.
  public static func read(path: String) throws -> EvemuRecording {
    let stream = try EvemuEventStream(path: path)
    var events: [InputEvent] = []
    while let event = try stream.nextEvent() {
      events.append(event)
    }
    return EvemuRecording(device: stream.device, events: events)
  }

  /// Writes the recording to `path` in evemu format.
  public func write(path: String) throws {
    var writer = try EvemuWriter(path: path, device: device)
    for event in events {
      try writer.write(event)
    }
    try writer.close()
  }
}
