import Foundation

/// Streams the events of an evemu recording of any size: the header is parsed on open, then
/// `nextEvent()` parses one `E:` line at a time straight from a large read buffer (no `String`
/// per line), so memory stays constant and parsing runs well above 100 MB/s.
public final class EvemuEventStream {
  public let path: String
  /// The device described by the header (N:, I:, P:, B:, A: lines, axis values from the
  /// evtest-like comment block).
  public let device: InputDeviceDescription
  /// Line of the `N:` line, for errors about the device as a whole.
  public let headerLineNumber: Int
  /// 1-based line number of the line most recently read (the last event's line).
  public var lineNumber: Int { lines.lineNumber }

  private let lines: LineReader
  private var pendingEvent: InputEvent?

  public init(path: String) throws {
    self.path = path
    lines = try LineReader(path: path)
    var header = HeaderBuilder()
    var firstEvent: InputEvent?
    var sawContent = false
    while let bytes = try lines.nextLine() {
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      sawContent = true
      if bytes.count >= 2 && bytes[0] == UInt8(ascii: "E") && bytes[1] == UInt8(ascii: ":") {
        try header.requireComplete(path: path, line: lines.lineNumber)
        firstEvent = try Self.parseEvent(bytes, lines: lines, axes: header.device.absAxes)
        break
      }
      try header.take(String(decoding: bytes, as: UTF8.self), path: path, line: lines.lineNumber)
    }
    if !sawContent { throw InputFileError(path: path, message: "empty file") }
    try header.requireComplete(path: path, line: lines.lineNumber)
    headerLineNumber = header.nameLine
    device = header.device
    pendingEvent = firstEvent
  }

  /// The next event, or `nil` at the end of the file. Throws `InputFileError` naming the line
  /// for a malformed line, an unknown type or code, or a line cut off by the end of the file.
  public func nextEvent() throws -> InputEvent? {
    if let event = pendingEvent {
      pendingEvent = nil
      return event
    }
    while let bytes = try lines.nextLine() {
      guard let first = bytes.first else { continue }
      if first == UInt8(ascii: "E") {
        return try Self.parseEvent(bytes, lines: lines, axes: device.absAxes)
      }
      if first == UInt8(ascii: "#") { continue }
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      throw InputFileError(
        path: path, line: lines.lineNumber,
        message: "expected an event line `E: <sec>.<usec> <type> <code> <value>`, got "
          + Self.quoted(bytes))
    }
    lines.close()
    return nil
  }

  // MARK: - Events

  /// Parses `E: <sec>.<usec> <type> <code> <value>` (what evemu writes with
  /// `"E: %lu.%06u %04x %04x %04d"`), optionally followed by whitespace and a `#` comment.
  private static func parseEvent(
    _ bytes: UnsafeRawBufferPointer, lines: LineReader, axes: [UInt16: AbsAxisInfo]
  ) throws -> InputEvent {
    let path = lines.path
    let lineNumber = lines.lineNumber
    var index = 2  // after "E:"
    let count = bytes.count
    func fail(_ message: String) -> InputFileError {
      if !lines.lastLineHadNewline {
        return InputFileError(
          path: path, line: lineNumber,
          message: "the file ends in the middle of this event line (truncated recording?)")
      }
      return InputFileError(path: path, line: lineNumber, message: message + ": " + quoted(bytes))
    }
    @inline(__always) func skipBlanks() -> Int {
      let start = index
      while index < count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
      return index - start
    }
    guard count > 2, bytes[1] == UInt8(ascii: ":") else {
      throw fail("expected `E: <sec>.<usec> <type> <code> <value>`")
    }
    _ = skipBlanks()
    var seconds: Int64 = 0
    var digits = 0
    while index < count, bytes[index] &- 0x30 < 10, digits < 16 {
      seconds = seconds * 10 + Int64(bytes[index] &- 0x30)
      index += 1
      digits += 1
    }
    guard digits > 0, index < count, bytes[index] == UInt8(ascii: ".") else {
      throw fail("bad event time, expected <seconds>.<microseconds>")
    }
    index += 1
    var microseconds: Int64 = 0
    digits = 0
    while index < count, bytes[index] &- 0x30 < 10 {
      guard digits < 6 else { throw fail("bad event time: more than 6 microsecond digits") }
      microseconds = microseconds * 10 + Int64(bytes[index] &- 0x30)
      index += 1
      digits += 1
    }
    guard digits > 0 else { throw fail("bad event time, expected <seconds>.<microseconds>") }
    guard skipBlanks() > 0, let type = parseHex(bytes, &index) else {
      throw fail("bad event type, expected up to 4 hex digits")
    }
    guard skipBlanks() > 0, let code = parseHex(bytes, &index) else {
      throw fail("bad event code, expected up to 4 hex digits")
    }
    guard skipBlanks() > 0 else { throw fail("missing event value") }
    var negative = false
    if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var magnitude: Int64 = 0
    digits = 0
    while index < count, bytes[index] &- 0x30 < 10, digits < 12 {
      magnitude = magnitude * 10 + Int64(bytes[index] &- 0x30)
      index += 1
      digits += 1
    }
    let value = negative ? -magnitude : magnitude
    guard digits > 0, value >= Int64(Int32.min), value <= Int64(Int32.max) else {
      throw fail("bad event value, expected a 32-bit decimal integer")
    }
    _ = skipBlanks()
    if index < count && bytes[index] != UInt8(ascii: "#") {
      throw fail("unexpected text after the event value")
    }
    if !lines.lastLineHadNewline {
      throw fail("the file ends in the middle of this event line (truncated recording?)")
    }
    guard let maximum = EvemuFormat.maximumCode(ofType: type) else {
      throw InputFileError(
        path: path, line: lineNumber, message: "unknown event type 0x\(String(type, radix: 16))")
    }
    guard Int(code) <= maximum else {
      throw InputFileError(
        path: path, line: lineNumber,
        message: "unknown event code 0x\(String(code, radix: 16)) for \(EvemuFormat.typeName(type))"
      )
    }
    if type == EventCode.absoluteType && axes[code] == nil {
      throw InputFileError(
        path: path, line: lineNumber,
        message: "event for \(AbsoluteAxisName.name(of: code)), which the header does not"
          + " describe (no `A:` line for it)")
    }
    return InputEvent(
      timeMicroseconds: seconds * 1_000_000 + microseconds, type: type, code: code,
      value: Int32(value))
  }

  @inline(__always)
  private static func parseHex(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt16? {
    var value: UInt16 = 0
    var digits = 0
    while index < bytes.count {
      let byte = bytes[index]
      let digit: UInt8
      if byte &- 0x30 < 10 {
        digit = byte &- 0x30
      } else if (byte | 0x20) &- 0x61 < 6 {
        digit = (byte | 0x20) &- 0x61 + 10
      } else {
        break
      }
      guard digits < 4 else { return nil }
      value = value << 4 | UInt16(digit)
      index += 1
      digits += 1
    }
    return digits > 0 ? value : nil
  }

  static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
    let text = String(decoding: bytes.prefix(80), as: UTF8.self)
    return "\"" + text + (bytes.count > 80 ? "…" : "") + "\""
  }
}

/// Reads a file line by line through one large buffer; each line is handed out as a view into
/// the buffer (valid until the next call), so no line is copied or allocated.
final class LineReader {
  let path: String
  private(set) var lineNumber = 0
  /// `false` when the last line returned ended at the end of the file without a newline.
  private(set) var lastLineHadNewline = true

  private var fileDescriptor: Int32
  private var storage: UnsafeMutableRawBufferPointer
  private var dataStart = 0
  private var dataEnd = 0
  private var reachedEndOfFile = false

  static let initialBufferBytes = 1 << 20
  static let maximumLineBytes = 1 << 24

  init(path: String) throws {
    self.path = path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw InputFileError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
    }
    var status = stat()
    if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
      Foundation.close(descriptor)
      throw InputFileError(path: path, message: "is a directory, not a recording")
    }
    fileDescriptor = descriptor
    storage = .allocate(byteCount: Self.initialBufferBytes, alignment: 16)
  }

  deinit {
    close()
    storage.deallocate()
  }

  func close() {
    if fileDescriptor >= 0 {
      Foundation.close(fileDescriptor)
      fileDescriptor = -1
    }
  }

  /// The next line without its `\n` (or `\r\n`), or `nil` at the end of the file.
  func nextLine() throws -> UnsafeRawBufferPointer? {
    while true {
      if dataStart < dataEnd, let base = storage.baseAddress {
        if let newline = memchr(base + dataStart, 0x0A, dataEnd - dataStart) {
          let lineEnd = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(newline))
          var contentEnd = lineEnd
          if contentEnd > dataStart && storage[contentEnd - 1] == 0x0D { contentEnd -= 1 }
          let line = UnsafeRawBufferPointer(rebasing: storage[dataStart..<contentEnd])
          dataStart = lineEnd + 1
          lineNumber += 1
          return line
        }
      }
      if reachedEndOfFile {
        guard dataStart < dataEnd else { return nil }
        let line = UnsafeRawBufferPointer(rebasing: storage[dataStart..<dataEnd])
        dataStart = dataEnd
        lineNumber += 1
        lastLineHadNewline = false
        return line
      }
      try refill()
    }
  }

  private func refill() throws {
    guard let base = storage.baseAddress else { return }
    if dataStart > 0 {
      let remaining = dataEnd - dataStart
      if remaining > 0 { memmove(base, base + dataStart, remaining) }
      dataStart = 0
      dataEnd = remaining
    }
    if dataEnd == storage.count {
      guard storage.count < Self.maximumLineBytes else {
        throw InputFileError(
          path: path, line: lineNumber + 1, message: "line longer than 16 MiB: not a recording")
      }
      let larger = UnsafeMutableRawBufferPointer.allocate(
        byteCount: storage.count * 2, alignment: 16)
      if let largerBase = larger.baseAddress { memcpy(largerBase, base, dataEnd) }
      storage.deallocate()
      storage = larger
      return
    }
    guard fileDescriptor >= 0 else {
      reachedEndOfFile = true
      return
    }
    while true {
      let count = read(fileDescriptor, base + dataEnd, storage.count - dataEnd)
      if count < 0 {
        if errno == EINTR { continue }
        throw InputFileError(
          path: path, message: "read failed: \(String(cString: strerror(errno)))")
      }
      if count == 0 { reachedEndOfFile = true } else { dataEnd += count }
      return
    }
  }
}

/// Collects the header lines of an evemu file into an `InputDeviceDescription`.
struct HeaderBuilder {
  var device = InputDeviceDescription(name: "", busType: 0, vendor: 0, product: 0, version: 0)
  var nameLine = 0
  var sawName = false
  var sawIdentity = false
  var propertyBytes = 0
  var maskBytes: [UInt16: Int] = [:]
  var absLines: Set<UInt16> = []
  // The evtest-like comment block: "#   Event type 3 (EV_ABS)", "#     Event code 0 (ABS_X)",
  // "#       Value   -24".
  private var commentType: UInt16?
  private var commentCode: UInt16?
  private var commentValues: [UInt16: Int32] = [:]

  mutating func take(_ line: String, path: String, line number: Int) throws {
    func fail(_ message: String) -> InputFileError {
      InputFileError(path: path, line: number, message: message)
    }
    if line.hasPrefix("#") {
      takeComment(line)
      return
    }
    guard line.count >= 2, line.utf8.dropFirst().first == UInt8(ascii: ":") else {
      throw fail("not an evemu line (expected N:, I:, P:, B:, A:, L:, S:, E: or a # comment)")
    }
    let kind = line.first!
    let rest = line.dropFirst(2).drop(while: { $0 == " " || $0 == "\t" })
    let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
    if kind != "N" && !sawName {
      throw fail("not an evemu recording: expected the device name line `N: <name>` first")
    }
    switch kind {
    case "N":
      guard !sawName else { throw fail("a second `N:` line: one device per recording") }
      device.name = String(rest)
      sawName = true
      nameLine = number
    case "I":
      let numbers = fields.map { UInt16($0, radix: 16) }
      guard numbers.count == 4, let bus = numbers[0], let vendor = numbers[1],
        let product = numbers[2], let version = numbers[3]
      else { throw fail("bad `I:` line, expected `I: <bus> <vendor> <product> <version>` in hex") }
      device.busType = bus
      device.vendor = vendor
      device.product = product
      device.version = version
      sawIdentity = true
    case "P":
      let bytes = fields.map { UInt8($0, radix: 16) }
      guard bytes.count == 8, bytes.allSatisfy({ $0 != nil }) else {
        throw fail("bad `P:` line, expected 8 hex bytes")
      }
      for (offset, byte) in bytes.enumerated() {
        for bit in 0..<8 where (byte! >> UInt8(bit)) & 1 == 1 {
          device.properties.insert((propertyBytes + offset) * 8 + bit)
        }
      }
      propertyBytes += 8
    case "B":
      let numbers = fields.map { UInt8($0, radix: 16) }
      guard numbers.count == 9, numbers.allSatisfy({ $0 != nil }) else {
        throw fail("bad `B:` line, expected an event type and 8 hex bytes")
      }
      let type = UInt16(numbers[0]!)
      guard type < 0x20 else { throw fail("bad `B:` line: unknown event type \(type)") }
      let offset = maskBytes[type, default: 0]
      for (index, byte) in numbers.dropFirst().enumerated() {
        for bit in 0..<8 where (byte! >> UInt8(bit)) & 1 == 1 {
          device.supportedCodes[type, default: []].insert(UInt16((offset + index) * 8 + bit))
        }
      }
      maskBytes[type] = offset + 8
    case "A":
      guard fields.count == 5 || fields.count == 6, let code = UInt16(fields[0], radix: 16),
        code < 64
      else {
        throw fail("bad `A:` line, expected `A: <axis> <min> <max> <fuzz> <flat> <resolution>`")
      }
      let numbers = fields.dropFirst().map { Int32($0) }
      guard numbers.allSatisfy({ $0 != nil }) else {
        throw fail("bad `A:` line: the axis parameters must be decimal integers")
      }
      device.absAxes[code] = AbsAxisInfo(
        value: commentValues[code] ?? 0, minimum: numbers[0]!, maximum: numbers[1]!,
        fuzz: numbers[2]!, flat: numbers[3]!, resolution: numbers.count == 5 ? numbers[4]! : 0)
      absLines.insert(code)
    case "L", "S":
      guard fields.count == 2, UInt16(fields[0], radix: 16) != nil, Int32(fields[1]) != nil else {
        throw fail("bad `\(kind):` line, expected `\(kind): <code> <state>`")
      }
    default:
      throw fail("unknown line type `\(kind):`")
    }
  }

  private mutating func takeComment(_ line: String) {
    let body = line.dropFirst().drop(while: { $0 == " " })
    if body.hasPrefix("Event type ") {
      commentType = UInt16(body.dropFirst(11).prefix(while: { $0.isNumber }))
      commentCode = nil
    } else if body.hasPrefix("Event code ") {
      commentCode = UInt16(body.dropFirst(11).prefix(while: { $0.isNumber }))
    } else if body.hasPrefix("Value "), commentType == EventCode.absoluteType,
      let code = commentCode
    {
      if let value = Int32(body.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
        commentValues[code] = value
        device.absAxes[code]?.value = value
      }
    } else if body.hasPrefix("Input device uniq: ") {
      device.uniq = String(body.dropFirst(19)).trimmingCharacters(
        in: CharacterSet(charactersIn: "\""))
    } else if body.hasPrefix("Input device phys: ") {
      device.phys = String(body.dropFirst(19)).trimmingCharacters(
        in: CharacterSet(charactersIn: "\""))
    }
  }

  func requireComplete(path: String, line: Int) throws {
    guard sawName else {
      throw InputFileError(
        path: path, line: line,
        message: "not an evemu recording: no device name line `N: <name>` before the events")
    }
    guard sawIdentity else {
      throw InputFileError(
        path: path, line: line,
        message: "the device header has no `I: <bus> <vendor> <product> <version>` line")
    }
  }
}
