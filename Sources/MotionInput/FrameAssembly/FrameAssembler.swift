import MotionCore

/// Turns raw evdev events into `MotionFrame`s in the project frame. The live reader and every
/// recording reader feed their events through this one type, so a live device and its recording
/// give identical frames.
///
/// It keeps the last value of every axis (the input core drops unchanged values, so a frame may
/// carry only some axes), converts units, maps axes into the project frame, derives the frame
/// time from the node's timestamp model and flags frames that follow a loss (`SYN_DROPPED`, or a
/// time gap much longer than the usual period). `consume` does not allocate.
public struct FrameAssembler {
  /// How frames were timed, after looking at what the node actually supports.
  public let timestampModel: TimestampModel
  /// The table entry in use (the given one, or a generic entry derived from the node).
  public let entry: DeviceTableEntry

  public var hasGyroscope: Bool { gyroscope != nil }

  /// Why the node's gyroscope is not used, when the table expects one but the node cannot
  /// provide it (missing axes, unknown units). `nil` otherwise.
  public let gyroscopeUnavailableReason: String?

  /// Set when the last `SYN_REPORT` produced no frame because its time was unusable.
  public private(set) var lastRejection: FrameRejection?

  /// `SYN_DROPPED` events seen so far.
  public private(set) var droppedEventCount = 0

  // Conversion: project axis i = raw[code_i] * scale_i.
  private let accelerometer: ConvertedAxes
  private let gyroscope: ConvertedAxes?

  /// Last value of every ABS axis, indexed by code (ABS_CNT = 64).
  private var axisValues: [Int32]
  private var pendingTimestamp: Int32 = 0
  private var pendingTimestampSeen = false
  private var discardingUntilReport = false
  private var lossPending = false

  private var timing: FrameTiming
  /// The node sends only values that moved beyond its fuzz and has no clock of its own: a
  /// pause in its frames is stillness, not loss.
  private let pausesHoldValues: Bool

  /// Builds an assembler for `device`, using `entry` (or, when `nil`, a generic entry derived
  /// from the node's properties). Throws when the node has no usable accelerometer axes.
  public init(device: InputDeviceDescription, entry: DeviceTableEntry?) throws {
    let entry = entry ?? DeviceTableEntry.generic(for: device)
    self.entry = entry
    guard let accelerometerMapping = entry.accelerometer else {
      throw FrameAssemblerError.noAccelerometer(
        device: device.name,
        reason: "the device table entry \"\(entry.id)\" describes a gyroscope-only node;"
          + " open the matching accelerometer node instead")
    }
    accelerometer = try ConvertedAxes.accelerometer(accelerometerMapping, device: device)
    var gyroscopeProblem: String?
    if let gyroscopeMapping = entry.gyroscope {
      do {
        gyroscope = try ConvertedAxes.gyroscope(gyroscopeMapping, device: device)
      } catch let error as FrameAssemblerError {
        gyroscope = nil
        gyroscopeProblem = error.reason
      }
    } else {
      gyroscope = nil
    }
    gyroscopeUnavailableReason = gyroscopeProblem

    var values = [Int32](repeating: 0, count: 64)
    for (code, info) in device.absAxes where Int(code) < values.count {
      values[Int(code)] = info.value
    }
    axisValues = values

    let miscCodes = device.supportedCodes[EventCode.miscType] ?? []
    let hasTimestamp = miscCodes.contains(EventCode.miscTimestamp)
    timestampModel = hasTimestamp ? entry.timestamp : .eventTime
    pausesHoldValues =
      timestampModel == .eventTime && device.absAxes.values.contains { $0.fuzz > 0 }
    timing = FrameTiming(
      model: timestampModel,
      nominalPeriodMicroseconds: entry.nominalRateHz.map { 1e6 / $0 })
  }

  /// Feeds one event. Returns a frame when the event is a `SYN_REPORT` that completes one.
  public mutating func consume(_ event: InputEvent) -> MotionFrame? {
    switch event.type {
    case EventCode.absoluteType:
      if event.code < 64 { axisValues[Int(event.code)] = event.value }
      return nil
    case EventCode.miscType:
      if event.code == EventCode.miscTimestamp {
        pendingTimestamp = event.value
        pendingTimestampSeen = true
      }
      return nil
    case EventCode.synType:
      if event.code == EventCode.synDropped {
        // What follows until the next SYN_REPORT is libevdev's resync (or, in a raw kernel
        // stream, the rest of a torn frame): apply the values but do not emit a frame, since
        // its time is unknown. The next real frame is marked.
        droppedEventCount += 1
        discardingUntilReport = true
        lossPending = true
        pendingTimestampSeen = false
        return nil
      }
      guard event.code == EventCode.synReport else { return nil }
      return finishFrame(eventTimeMicroseconds: event.timeMicroseconds)
    default:
      return nil
    }
  }

  private mutating func finishFrame(eventTimeMicroseconds: Int64) -> MotionFrame? {
    lastRejection = nil
    let timestamp: Int32? = pendingTimestampSeen ? pendingTimestamp : nil
    pendingTimestampSeen = false
    if discardingUntilReport {
      discardingUntilReport = false
      timing.forgetDeviceClock()
      return nil
    }
    let timed = timing.advance(
      eventTimeMicroseconds: eventTimeMicroseconds, deviceTimestamp: timestamp)
    switch timed {
    case .rejected(let rejection):
      lastRejection = rejection
      return nil
    case .accepted(let microseconds, let gap):
      let lost = lossPending || (gap && !pausesHoldValues)
      lossPending = false
      return MotionFrame(
        timeSeconds: Double(microseconds) / 1_000_000,
        accelerationG: accelerometer.vector(axisValues),
        angularVelocityDPS: gyroscope?.vector(axisValues),
        framesLostBefore: lost, valuesHeldBefore: pausesHoldValues && !lost)
    }
  }
}

/// Why a `SYN_REPORT` gave no frame.
public enum FrameRejection: Hashable, Sendable, CustomStringConvertible {
  /// The event time went backwards.
  case timeWentBackwards(previousMicroseconds: Int64, currentMicroseconds: Int64)
  /// The frame time did not advance past the previous frame's.
  case timeDidNotAdvance(microseconds: Int64)

  public var description: String {
    switch self {
    case .timeWentBackwards(let previous, let current):
      "time goes backwards (\(Self.seconds(current)) s after \(Self.seconds(previous)) s)"
    case .timeDidNotAdvance(let time):
      "two frames with the same time (\(Self.seconds(time)) s)"
    }
  }

  private static func seconds(_ microseconds: Int64) -> String {
    let sign = microseconds < 0 ? "-" : ""
    let magnitude = microseconds.magnitude
    let fraction = String(magnitude % 1_000_000)
    return sign + String(magnitude / 1_000_000) + "."
      + String(repeating: "0", count: 6 - fraction.count) + fraction
  }
}

public enum FrameAssemblerError: Error, CustomStringConvertible, Equatable {
  case noAccelerometer(device: String, reason: String)
  case noGyroscope(device: String, reason: String)

  var reason: String {
    switch self {
    case .noAccelerometer(_, let reason), .noGyroscope(_, let reason): reason
    }
  }

  public var description: String {
    switch self {
    case .noAccelerometer(let device, let reason):
      "\"\(device)\" has no usable accelerometer: \(reason)"
    case .noGyroscope(let device, let reason):
      "\"\(device)\" has no usable gyroscope: \(reason)"
    }
  }
}

/// Three source axes with their signed scale into project units.
struct ConvertedAxes {
  var code0: Int
  var code1: Int
  var code2: Int
  var scale0: Double
  var scale1: Double
  var scale2: Double

  @inline(__always)
  func vector(_ values: [Int32]) -> Vector3 {
    Vector3(
      Double(values[code0]) * scale0, Double(values[code1]) * scale1,
      Double(values[code2]) * scale2)
  }

  static func accelerometer(
    _ mapping: AccelerometerMapping, device: InputDeviceDescription
  ) throws -> ConvertedAxes {
    try make(
      axes: mapping.axes, device: device, fixedUnits: mapping.unitsPerG,
      fallbackUnits: mapping.fallbackUnitsPerG, correction: 1, unitName: "units per g",
      fixedField: "accelerometer.unitsPerG"
    ) { FrameAssemblerError.noAccelerometer(device: device.name, reason: $0) }
  }

  static func gyroscope(
    _ mapping: GyroscopeMapping, device: InputDeviceDescription
  ) throws -> ConvertedAxes {
    try make(
      axes: mapping.axes, device: device, fixedUnits: mapping.unitsPerDPS, fallbackUnits: nil,
      correction: mapping.scaleCorrection ?? 1, unitName: "units per deg/s",
      fixedField: "gyroscope.unitsPerDPS"
    ) { FrameAssemblerError.noGyroscope(device: device.name, reason: $0) }
  }

  private static func make(
    axes: [String], device: InputDeviceDescription, fixedUnits: Double?,
    fallbackUnits: Double?, correction: Double, unitName: String, fixedField: String,
    failure: (String) -> FrameAssemblerError
  ) throws -> ConvertedAxes {
    let mapping: AxisMapping
    switch AxisMapping.parse(axes) {
    case .success(let parsed): mapping = parsed
    case .failure(let problem): throw failure("axis mapping \(axes) \(problem)")
    }
    var codes: [Int] = []
    var scales: [Double] = []
    for axis in mapping.axes {
      let name = AbsoluteAxisName.name(of: axis.code)
      guard let info = device.absAxes[axis.code] else {
        throw failure("the node has no \(name) axis")
      }
      let units: Double
      if let fixedUnits {
        units = fixedUnits
      } else if info.resolution > 0 {
        units = Double(info.resolution)
      } else if let fallbackUnits {
        units = fallbackUnits
      } else {
        throw failure(
          "\(name) reports resolution 0 and the device table gives no \(unitName)"
            + " (set \(fixedField) in a file under ~/.config/repcount/devices)")
      }
      codes.append(Int(axis.code))
      scales.append(axis.sign * correction / units)
    }
    return ConvertedAxes(
      code0: codes[0], code1: codes[1], code2: codes[2],
      scale0: scales[0], scale1: scales[1], scale2: scales[2])
  }
}

extension DeviceTableEntry {
  /// The entry used when the table has none for a node: axes as the driver gives them, units
  /// from `absinfo.resolution` (milli-g for prop-less X/Y/Z nodes, as lis3lv02d uses), device
  /// clock when the node has `MSC_TIMESTAMP`.
  public static func generic(for device: InputDeviceDescription) -> DeviceTableEntry {
    let gyroscope: GyroscopeMapping? =
      device.hasAccelerometerProperty
      ? GyroscopeMapping(axes: ["+ABS_RX", "+ABS_RY", "+ABS_RZ"]) : nil
    return DeviceTableEntry(
      id: device.hasAccelerometerProperty ? "generic-accelerometer-property" : "generic-xyz",
      displayName: "Generic accelerometer",
      match: DeviceMatchRule(),
      accelerometer: AccelerometerMapping(
        axes: ["+ABS_X", "+ABS_Y", "+ABS_Z"],
        fallbackUnitsPerG: device.hasAccelerometerProperty ? nil : 1000),
      gyroscope: gyroscope,
      timestamp: .hardware)
  }
}
