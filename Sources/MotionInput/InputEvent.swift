/// One raw evdev event, as libevdev delivers it and as an evemu `E:` line records it.
public struct InputEvent: Hashable, Sendable {
  /// Event time in microseconds (`CLOCK_MONOTONIC` for a live device; whatever the recording
  /// holds for a file). Kept as an integer so a recording round-trips exactly.
  public var timeMicroseconds: Int64
  public var type: UInt16
  public var code: UInt16
  public var value: Int32

  @inlinable
  public init(timeMicroseconds: Int64, type: UInt16, code: UInt16, value: Int32) {
    self.timeMicroseconds = timeMicroseconds
    self.type = type
    self.code = code
    self.value = value
  }
}

/// The evdev constants repcount uses, mirrored from `linux/input-event-codes.h` so that modules
/// without the C headers (the simulator, tests) can name them.
public enum EventCode {
  public static let synType: UInt16 = 0x00  // EV_SYN
  public static let keyType: UInt16 = 0x01  // EV_KEY
  public static let relativeType: UInt16 = 0x02  // EV_REL
  public static let absoluteType: UInt16 = 0x03  // EV_ABS
  public static let miscType: UInt16 = 0x04  // EV_MSC

  public static let synReport: UInt16 = 0  // SYN_REPORT
  public static let synDropped: UInt16 = 3  // SYN_DROPPED

  public static let absX: UInt16 = 0x00
  public static let absY: UInt16 = 0x01
  public static let absZ: UInt16 = 0x02
  public static let absRX: UInt16 = 0x03
  public static let absRY: UInt16 = 0x04
  public static let absRZ: UInt16 = 0x05

  public static let miscTimestamp: UInt16 = 0x05  // MSC_TIMESTAMP

  public static let propertyAccelerometer = 6  // INPUT_PROP_ACCELEROMETER
}

/// `struct input_absinfo` of one absolute axis.
public struct AbsAxisInfo: Hashable, Sendable, Codable {
  public var value: Int32
  public var minimum: Int32
  public var maximum: Int32
  public var fuzz: Int32
  public var flat: Int32
  /// Units per g (X/Y/Z) or per deg/s (RX/RY/RZ) when `INPUT_PROP_ACCELEROMETER` is set; 0 when
  /// the driver gives none (then the device table supplies the unit).
  public var resolution: Int32

  public init(
    value: Int32 = 0, minimum: Int32, maximum: Int32, fuzz: Int32 = 0, flat: Int32 = 0,
    resolution: Int32 = 0
  ) {
    self.value = value
    self.minimum = minimum
    self.maximum = maximum
    self.fuzz = fuzz
    self.flat = flat
    self.resolution = resolution
  }
}

/// What an evdev node says about itself: the same facts `evemu-describe` prints, whether they
/// come from libevdev on a live node or from the header of an evemu recording.
public struct InputDeviceDescription: Hashable, Sendable {
  public var name: String
  public var busType: UInt16
  public var vendor: UInt16
  public var product: UInt16
  public var version: UInt16
  public var uniq: String
  public var phys: String
  /// Set `INPUT_PROP_*` bits.
  public var properties: Set<Int>
  /// Supported codes per event type (`EV_ABS` → [ABS_X, …]).
  public var supportedCodes: [UInt16: Set<UInt16>]
  /// Absolute axis parameters by `ABS_*` code.
  public var absAxes: [UInt16: AbsAxisInfo]

  public init(
    name: String, busType: UInt16, vendor: UInt16, product: UInt16, version: UInt16,
    uniq: String = "", phys: String = "", properties: Set<Int> = [],
    supportedCodes: [UInt16: Set<UInt16>] = [:], absAxes: [UInt16: AbsAxisInfo] = [:]
  ) {
    self.name = name
    self.busType = busType
    self.vendor = vendor
    self.product = product
    self.version = version
    self.uniq = uniq
    self.phys = phys
    self.properties = properties
    self.supportedCodes = supportedCodes
    self.absAxes = absAxes
  }

  public var hasAccelerometerProperty: Bool {
    properties.contains(EventCode.propertyAccelerometer)
  }
}
