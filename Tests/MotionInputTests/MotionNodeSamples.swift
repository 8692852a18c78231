import MotionInput

/// Device descriptions written from the facts in the project's device notes (names, ids,
/// absinfo), for tests that need a realistic node without hardware.
enum MotionNodeSamples {
  static func sixAxis(
    name: String, bus: UInt16, vendor: UInt16, product: UInt16, version: UInt16 = 0x8000,
    accel: (range: Int32, fuzz: Int32, resolution: Int32),
    gyro: (range: Int32, fuzz: Int32, resolution: Int32)?,
    timestamp: Bool = true, accelerometerProperty: Bool = true
  ) -> InputDeviceDescription {
    var axes: [UInt16: AbsAxisInfo] = [:]
    for code in [EventCode.absX, EventCode.absY, EventCode.absZ] {
      axes[code] = AbsAxisInfo(
        minimum: -accel.range, maximum: accel.range, fuzz: accel.fuzz,
        resolution: accel.resolution)
    }
    if let gyro {
      for code in [EventCode.absRX, EventCode.absRY, EventCode.absRZ] {
        axes[code] = AbsAxisInfo(
          minimum: -gyro.range, maximum: gyro.range, fuzz: gyro.fuzz, resolution: gyro.resolution)
      }
    }
    var codes: [UInt16: Set<UInt16>] = [
      EventCode.synType: [0, 1, 3], EventCode.absoluteType: Set(axes.keys),
    ]
    if timestamp { codes[EventCode.miscType] = [EventCode.miscTimestamp] }
    return InputDeviceDescription(
      name: name, busType: bus, vendor: vendor, product: product, version: version,
      uniq: "", phys: "",
      properties: accelerometerProperty ? [EventCode.propertyAccelerometer] : [],
      supportedCodes: codes, absAxes: axes)
  }

  static func dualSense(bluetooth: Bool = true) -> InputDeviceDescription {
    sixAxis(
      name: bluetooth
        ? "DualSense Wireless Controller Motion Sensors"
        : "Sony Interactive Entertainment DualSense Wireless Controller Motion Sensors",
      bus: bluetooth ? 0x05 : 0x03, vendor: 0x054C, product: 0x0CE6,
      version: bluetooth ? 0x8100 : 0x8111,
      accel: (32768, 16, 8192), gyro: (2_097_152, 16, 1024))
  }

  static func joyCon(name: String, product: UInt16 = 0x2006) -> InputDeviceDescription {
    sixAxis(
      name: name, bus: 0x05, vendor: 0x057E, product: product, version: 0x8001,
      accel: (32767, 10, 4096), gyro: (32_767_000, 10, 14247))
  }

  static func steamDeck() -> InputDeviceDescription {
    sixAxis(
      name: "Steam Deck Motion Sensors", bus: 0x03, vendor: 0x28DE, product: 0x1205,
      version: 0x0111, accel: (32768, 32, 16384), gyro: (32768, 1, 16))
  }

  static func wiiAccelerometer() -> InputDeviceDescription {
    var axes: [UInt16: AbsAxisInfo] = [:]
    for code in [EventCode.absRX, EventCode.absRY, EventCode.absRZ] {
      axes[code] = AbsAxisInfo(minimum: -500, maximum: 500, fuzz: 2, flat: 4, resolution: 0)
    }
    return InputDeviceDescription(
      name: "Nintendo Wii Remote Accelerometer", busType: 0x05, vendor: 0x057E, product: 0x0306,
      version: 0x0600, supportedCodes: [0: [0], 3: Set(axes.keys)], absAxes: axes)
  }

  static func wiiMotionPlus() -> InputDeviceDescription {
    var device = wiiAccelerometer()
    device.name = "Nintendo Wii Remote Motion Plus"
    return device
  }

  static func lis3lv02d() -> InputDeviceDescription {
    sixAxis(
      name: "ST LIS3LV02DL Accelerometer", bus: 0x19, vendor: 0, product: 0, version: 0,
      accel: (2000, 2, 0), gyro: nil, timestamp: false, accelerometerProperty: false)
  }

  /// Events of one frame: the given axis values, an optional MSC_TIMESTAMP, then SYN_REPORT.
  static func frame(
    at microseconds: Int64, axes: [(UInt16, Int32)], timestamp: Int32? = nil
  ) -> [InputEvent] {
    var events = axes.map {
      InputEvent(
        timeMicroseconds: microseconds, type: EventCode.absoluteType, code: $0.0, value: $0.1)
    }
    if let timestamp {
      events.append(
        InputEvent(
          timeMicroseconds: microseconds, type: EventCode.miscType,
          code: EventCode.miscTimestamp, value: timestamp))
    }
    events.append(
      InputEvent(
        timeMicroseconds: microseconds, type: EventCode.synType, code: EventCode.synReport,
        value: 0))
    return events
  }
}
