import Foundation

/// Writes an evemu recording: the device description, then one `E:` line per event, annotated
/// like `evemu-record` does. Output is buffered and flushed after every `SYN_REPORT`, so a crash
/// or unplug loses at most the frame in progress.
public struct EvemuWriter {
  private let fileDescriptor: Int32
  private let ownsFileDescriptor: Bool
  private let path: String
  private var buffer: [UInt8] = []
  private var lastReportMilliseconds: Int64?
  private var closed = false
  /// Write evemu's `# EV_ABS / ABS_X …` comments after each event (as `evemu-record` does).
  public var annotateEvents = true

  /// Creates (or truncates) `path` and writes the description of `device`.
  public init(path: String, device: InputDeviceDescription) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw InputFileError(
        path: path, message: "cannot create: \(String(cString: strerror(errno)))")
    }
    try self.init(fileDescriptor: descriptor, closeOnClose: true, path: path, device: device)
  }

  /// Writes to an already open descriptor (e.g. `STDOUT_FILENO`); `path` only names it in errors.
  public init(
    fileDescriptor: Int32, closeOnClose: Bool = false, path: String = "<stdout>",
    device: InputDeviceDescription
  ) throws {
    self.fileDescriptor = fileDescriptor
    ownsFileDescriptor = closeOnClose
    self.path = path
    buffer.reserveCapacity(1 << 16)
    buffer.append(contentsOf: evemuDescription(of: device).utf8)
    buffer.append(contentsOf: "################################\n".utf8)
    buffer.append(contentsOf: "#      Waiting for events      #\n".utf8)
    buffer.append(contentsOf: "################################\n".utf8)
    try flush()
  }

  /// Appends one event; flushes at each `SYN_REPORT`.
  public mutating func write(_ event: InputEvent) throws {
    precondition(!closed, "EvemuWriter used after close()")
    let time = event.timeMicroseconds
    let seconds = time >= 0 ? time / 1_000_000 : (time - 999_999) / 1_000_000
    let microseconds = time - seconds * 1_000_000
    buffer.append(contentsOf: [UInt8(ascii: "E"), UInt8(ascii: ":"), UInt8(ascii: " ")])
    appendDecimal(seconds)
    buffer.append(UInt8(ascii: "."))
    appendDecimal(microseconds, minimumDigits: 6)
    buffer.append(UInt8(ascii: " "))
    appendHex(event.type)
    buffer.append(UInt8(ascii: " "))
    appendHex(event.code)
    buffer.append(UInt8(ascii: " "))
    // evemu writes the value with %04d (zero-padded to 4 characters, sign included).
    appendDecimal(Int64(event.value), minimumWidth: 4)
    if annotateEvents {
      buffer.append(UInt8(ascii: "\t"))
      appendAnnotation(event)
    }
    buffer.append(UInt8(ascii: "\n"))
    if event.type == EventCode.synType && event.code == EventCode.synReport {
      try flush()
    } else if buffer.count >= 1 << 16 {
      try flush()
    }
  }

  /// Writes out buffered lines.
  public mutating func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let written = buffer.withUnsafeBytes { bytes in
        Foundation.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw InputFileError(
          path: path, message: "write failed: \(String(cString: strerror(errno)))")
      }
      offset += written
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes and, when the writer opened the file, closes it.
  public mutating func close() throws {
    guard !closed else { return }
    try flush()
    closed = true
    if ownsFileDescriptor && Foundation.close(fileDescriptor) != 0 {
      throw InputFileError(path: path, message: "close failed: \(String(cString: strerror(errno)))")
    }
  }

  private mutating func appendAnnotation(_ event: InputEvent) {
    if event.type == EventCode.synType {
      let milliseconds = event.timeMicroseconds / 1000
      let step = milliseconds - (lastReportMilliseconds ?? milliseconds)
      lastReportMilliseconds = milliseconds
      let name = EvemuFormat.codeName(type: event.type, code: event.code)
      buffer.append(contentsOf: "# ------------ \(name) (\(event.value)) ---------- ".utf8)
      buffer.append(step >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
      appendDecimal(step.magnitude == 0 ? 0 : Int64(step.magnitude))
      buffer.append(contentsOf: "ms".utf8)
    } else {
      buffer.append(contentsOf: "# ".utf8)
      buffer.append(contentsOf: EvemuFormat.typeName(event.type).utf8)
      buffer.append(contentsOf: " / ".utf8)
      let name = EvemuFormat.codeName(type: event.type, code: event.code)
      buffer.append(contentsOf: name.utf8)
      for _ in name.utf8.count..<max(name.utf8.count, 20) { buffer.append(UInt8(ascii: " ")) }
      buffer.append(UInt8(ascii: " "))
      appendDecimal(Int64(event.value))
    }
  }

  /// Appends `value` in decimal, zero-padded to `minimumDigits` digits and to `minimumWidth`
  /// characters including the sign (C's `%0Nd`), without allocating.
  private mutating func appendDecimal(_ value: Int64, minimumDigits: Int = 1, minimumWidth: Int = 0)
  {
    var magnitude = value.magnitude
    var digitCount = 1
    var probe = magnitude / 10
    while probe > 0 {
      digitCount += 1
      probe /= 10
    }
    let negative = value < 0
    let width = max(digitCount, minimumDigits, minimumWidth - (negative ? 1 : 0))
    if negative { buffer.append(UInt8(ascii: "-")) }
    let start = buffer.count
    buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
    var index = start + width - 1
    while magnitude > 0 {
      buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
      magnitude /= 10
      index -= 1
    }
  }

  private mutating func appendHex(_ value: UInt16) {
    let hexDigits: StaticString = "0123456789abcdef"
    hexDigits.withUTF8Buffer { table in
      buffer.append(table[Int(value >> 12 & 0xF)])
      buffer.append(table[Int(value >> 8 & 0xF)])
      buffer.append(table[Int(value >> 4 & 0xF)])
      buffer.append(table[Int(value & 0xF)])
    }
  }
}
