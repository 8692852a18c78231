import Foundation
import MotionCore

/// Frames from a CSV file, in one of two layouts recognised by the header:
///
/// - repcount's own: `t,ax,ay,az[,gx,gy,gz]` in seconds, g (specific force, project frame) and
///   deg/s; the gyro cells may be empty (all three on a row).
/// - phyphox's export of its "Acceleration with g" experiment:
///   `"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)"`
///   (plus an ignored `"Absolute acceleration (m/s^2)"`); a file that also has phyphox's
///   gyroscope columns `"Gyroscope x (rad/s)"`… gets angular velocity too. These are the
///   `<export>` labels of phyphox's own experiment definitions (phyphox/phyphox-experiments:
///   `accelerometer.phyphox`, set "Raw Data"; `gyroscope.phyphox`), and the export writes them
///   as the CSV header.
///   Values are Android-convention specific force in m/s² in the phone frame (x right, y toward
///   the top of the screen, z out of the screen) and are converted to g and mapped into the
///   project frame as (x, z, −y): a phone lying face up then reads +1 g on +Y, like a pad.
///   "Linear Acceleration" exports have gravity removed and are refused with a hint.
///
/// Separators: comma, semicolon (then a decimal comma is accepted) or tab.
public struct CSVFrameSource: RecordingSource {
  public let path: String
  public let formatName: String
  public let device: InputDeviceDescription
  public var matchedEntry: DeviceTableEntry? { nil }
  public let hasGyroscope: Bool
  public var droppedEventCount: Int { 0 }
  public var unterminatedEventCount: Int { 0 }
  public var timestampModel: TimestampModel { .eventTime }

  static let standardGravityMetersPerSecondSquared = 9.806_65
  static let degreesPerRadian = 180 / Double.pi

  private let lines: LineReader
  private let layout: Layout
  private let separator: UInt8
  private var timing = FrameTiming(model: .eventTime, nominalPeriodMicroseconds: nil)
  private var frameCount = 0
  private var finished = false

  struct Layout {
    var time: Int
    var acceleration: (Int, Int, Int)
    var gyroscope: (Int, Int, Int)?
    var columnCount: Int
    /// Input units per output unit: (accel to g, gyro to deg/s).
    var accelerationScale: Double
    var gyroscopeScale: Double
    var phoneFrame: Bool
  }

  public init(path: String) throws {
    self.path = path
    lines = try LineReader(path: path)
    var headerLine: UnsafeRawBufferPointer?
    while let line = try lines.nextLine() {
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      headerLine = line
      break
    }
    guard let headerLine else { throw InputFileError(path: path, message: "empty file") }
    let header = String(decoding: headerLine, as: UTF8.self)
    let separator: UInt8 =
      header.contains("\t") ? 0x09 : header.contains(";") ? UInt8(ascii: ";") : UInt8(ascii: ",")
    self.separator = separator
    let names = header.split(
      separator: Character(UnicodeScalar(separator)), omittingEmptySubsequences: false
    )
    .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \t\u{FEFF}")).lowercased() }
    let (layout, format) = try Self.layout(for: names, path: path, line: lines.lineNumber)
    self.layout = layout
    formatName = format
    hasGyroscope = layout.gyroscope != nil
    device = InputDeviceDescription(
      name: "CSV recording (\(format))", busType: 0, vendor: 0, product: 0, version: 0)
  }

  static func layout(for names: [String], path: String, line: Int) throws -> (Layout, String) {
    func index(_ name: String) -> Int? { names.firstIndex(of: name) }
    if let t = index("t"), let ax = index("ax"), let ay = index("ay"), let az = index("az") {
      var gyroscope: (Int, Int, Int)?
      if let gx = index("gx"), let gy = index("gy"), let gz = index("gz") {
        gyroscope = (gx, gy, gz)
      } else if index("gx") != nil || index("gy") != nil || index("gz") != nil {
        throw InputFileError(
          path: path, line: line, message: "the header names some but not all of gx,gy,gz")
      }
      return (
        Layout(
          time: t, acceleration: (ax, ay, az), gyroscope: gyroscope, columnCount: names.count,
          accelerationScale: 1, gyroscopeScale: 1, phoneFrame: false),
        "csv"
      )
    }
    if let t = index("time (s)"), let ax = index("acceleration x (m/s^2)"),
      let ay = index("acceleration y (m/s^2)"), let az = index("acceleration z (m/s^2)")
    {
      var gyroscope: (Int, Int, Int)?
      if let gx = index("gyroscope x (rad/s)"), let gy = index("gyroscope y (rad/s)"),
        let gz = index("gyroscope z (rad/s)")
      {
        gyroscope = (gx, gy, gz)
      }
      return (
        Layout(
          time: t, acceleration: (ax, ay, az), gyroscope: gyroscope, columnCount: names.count,
          accelerationScale: 1 / standardGravityMetersPerSecondSquared,
          gyroscopeScale: degreesPerRadian, phoneFrame: true),
        "phyphox"
      )
    }
    if names.contains(where: { $0.hasPrefix("linear acceleration") }) {
      throw InputFileError(
        path: path, line: line,
        message: "this export has gravity removed (\"Linear Acceleration\"); repcount needs the"
          + " specific force: export phyphox's \"Acceleration with g\" experiment instead")
    }
    throw InputFileError(
      path: path, line: line,
      message: "unrecognised CSV header \(names.joined(separator: ",")); expected"
        + " t,ax,ay,az[,gx,gy,gz] (s, g, deg/s) or a phyphox \"Acceleration with g\" export")
  }

  public mutating func nextFrame() throws -> MotionFrame? {
    guard !finished else { return nil }
    while let line = try lines.nextLine() {
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      let frame = try parse(line)
      frameCount += 1
      return frame
    }
    finished = true
    if frameCount == 0 {
      throw InputFileError(
        path: path, line: lines.lineNumber, message: "no data rows after the header")
    }
    return nil
  }

  private mutating func parse(_ line: UnsafeRawBufferPointer) throws -> MotionFrame {
    var cells: [Double?] = []
    cells.reserveCapacity(layout.columnCount)
    var cellStart = 0
    var index = 0
    while index <= line.count {
      if index == line.count || line[index] == separator {
        let cell = UnsafeRawBufferPointer(rebasing: line[cellStart..<index])
        cells.append(try number(cell, column: cells.count + 1))
        cellStart = index + 1
      }
      index += 1
    }
    func fail(_ message: String) -> InputFileError {
      InputFileError(path: path, line: lines.lineNumber, message: message)
    }
    guard cells.count >= layout.columnCount else {
      if !lines.lastLineHadNewline {
        throw fail("the file ends in the middle of this row (truncated?)")
      }
      throw fail("expected \(layout.columnCount) columns, found \(cells.count)")
    }
    func value(_ column: Int, _ name: String) throws -> Double {
      guard let value = cells[column] else {
        throw fail("missing value in column \(column + 1) (\(name))")
      }
      return value
    }
    let seconds = try value(layout.time, "time")
    let raw = Vector3(
      try value(layout.acceleration.0, "ax"), try value(layout.acceleration.1, "ay"),
      try value(layout.acceleration.2, "az"))
    var angular: Vector3?
    if let gyroscope = layout.gyroscope {
      let parts = [cells[gyroscope.0], cells[gyroscope.1], cells[gyroscope.2]]
      if parts.allSatisfy({ $0 != nil }) {
        angular = Vector3(parts[0]!, parts[1]!, parts[2]!) * layout.gyroscopeScale
      } else if parts.contains(where: { $0 != nil }) {
        throw fail("gyro cells must be all filled or all empty")
      }
    }
    var acceleration = raw * layout.accelerationScale
    if layout.phoneFrame {
      acceleration = Vector3(acceleration.x, acceleration.z, -acceleration.y)
      if let rate = angular { angular = Vector3(rate.x, rate.z, -rate.y) }
    }
    guard seconds.isFinite, abs(seconds) < 1e9 else {
      throw fail("time \(seconds) is out of range")
    }
    let microseconds = Int64((seconds * 1e6).rounded())
    switch timing.advance(eventTimeMicroseconds: microseconds, deviceTimestamp: nil) {
    case .rejected(let rejection):
      throw fail(rejection.description)
    case .accepted(let time, let gap):
      return MotionFrame(
        timeSeconds: Double(time) / 1_000_000, accelerationG: acceleration,
        angularVelocityDPS: angular, framesLostBefore: gap)
    }
  }

  /// A cell as a number; `nil` for an empty cell.
  private func number(_ cell: UnsafeRawBufferPointer, column: Int) throws -> Double? {
    var text = String(decoding: cell, as: UTF8.self).trimmingCharacters(
      in: CharacterSet(charactersIn: "\" \t"))
    if text.isEmpty { return nil }
    if separator != UInt8(ascii: ",") { text = text.replacingOccurrences(of: ",", with: ".") }
    guard let value = Double(text), value.isFinite else {
      throw InputFileError(
        path: path, line: lines.lineNumber, message: "column \(column): \"\(text)\" is not a number"
      )
    }
    return value
  }
}
