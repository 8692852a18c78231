import MotionInput

/// How a simulated node stamps its frames (DEVICES.md §2).
enum SimulatedClock: Sendable {
  /// A real device clock in µs (DualSense): u32 accumulator from a random start.
  case hardwareMicroseconds
  /// DualShock 4: a 16-bit counter in 16/3 µs units unwrapped by the driver, so a gap longer
  /// than ~349 ms advances the timestamp by the gap modulo 2^16 ticks.
  case dualShock4Counter
  /// hid-nintendo: synthesised from host jiffies, +avg/3 inside a report and +avg before each
  /// report (2× real time); lost reports are not accounted for.
  case nintendoSynthetic
  /// hid-steam: +4000 µs per report whatever the real interval.
  case steamFixedStep
  /// No MSC_TIMESTAMP: readers use the event time.
  case none
}

/// One sensor of a simulated device: quantisation, range and typical errors.
struct SimulatedSensor: Sendable {
  /// Chip counts per g (or per deg/s): values are rounded to counts first.
  var countsPerUnit: Double
  /// Chip saturation in counts (symmetric).
  var countRange: Double
  /// evdev units per count (the driver's calibration scale, nominal).
  var driverUnitsPerCount: Double
  /// Spread of the driver calibration scale around nominal (relative).
  var driverScaleSpread: Double
  /// RMS white noise per sample, in g (deg/s).
  var noise: Double
  /// RMS bias per axis, in g (deg/s).
  var bias: Double
  /// RMS per-axis scale error (relative).
  var scaleError: Double
  /// RMS of the slow bias drift (gyroscope), deg/s.
  var drift: Double = 0
}

/// A device variant the simulator can emulate: its evdev node and its behaviour.
struct SimulatedDevice: Sendable {
  var tableID: String
  var variant: String
  var name: String
  var busType: UInt16
  var vendor: UInt16
  var product: UInt16
  var version: UInt16
  var uniq: String
  var phys: String
  var hasAccelerometerProperty: Bool
  /// absinfo template per code (value filled in per recording).
  var axes: [UInt16: AbsAxisInfo]
  /// Order of ABS codes inside one frame, as the driver reports them.
  var eventOrder: [UInt16]
  var clock: SimulatedClock
  /// Real interval between reports (seconds) and samples per report (3 for hid-nintendo).
  var reportIntervalSeconds: Double
  var samplesPerReport: Int
  /// Real report times jitter around the device's regular grid (seconds, ± half-width,
  /// non-cumulative).
  var reportTimeJitterSeconds: Double
  /// Host delivery latency after the sample: minimum and random extra (seconds).
  var deliveryLatencySeconds: ClosedRange<Double>
  var isBluetooth: Bool
  var accelerometer: SimulatedSensor
  var gyroscope: SimulatedSensor?

  var description: InputDeviceDescription {
    var codes: [UInt16: Set<UInt16>] = [
      EventCode.synType: [EventCode.synReport, EventCode.synDropped],
      EventCode.absoluteType: Set(axes.keys),
    ]
    if clock != .none {
      codes[EventCode.miscType] = [EventCode.miscTimestamp]
    }
    return InputDeviceDescription(
      name: name, busType: busType, vendor: vendor, product: product, version: version,
      uniq: uniq, phys: phys,
      properties: hasAccelerometerProperty ? [EventCode.propertyAccelerometer] : [],
      supportedCodes: codes, absAxes: axes)
  }
}

extension SimulatedClock: Equatable {}

/// The devices `repcount simulate --device` knows, by device-table id; each id has one or more
/// variants (USB/Bluetooth, models) picked at random per recording.
enum SimulatedDeviceCatalog {
  static let sonyAccelerometer = AbsAxisInfo(
    minimum: -32768, maximum: 32768, fuzz: 16, flat: 0, resolution: 8192)
  static let sonyGyroscope = AbsAxisInfo(
    minimum: -2_097_152, maximum: 2_097_152, fuzz: 16, flat: 0, resolution: 1024)
  static let nintendoAccelerometer = AbsAxisInfo(
    minimum: -32767, maximum: 32767, fuzz: 10, flat: 0, resolution: 4096)
  static let nintendoGyroscope = AbsAxisInfo(
    minimum: -32_767_000, maximum: 32_767_000, fuzz: 10, flat: 0, resolution: 14247)

  static func axes(accelerometer: AbsAxisInfo, gyroscope: AbsAxisInfo?) -> [UInt16: AbsAxisInfo] {
    var result: [UInt16: AbsAxisInfo] = [
      EventCode.absX: accelerometer, EventCode.absY: accelerometer, EventCode.absZ: accelerometer,
    ]
    if let gyroscope {
      result[EventCode.absRX] = gyroscope
      result[EventCode.absRY] = gyroscope
      result[EventCode.absRZ] = gyroscope
    }
    return result
  }

  static let accelThenGyro: [UInt16] = [0, 1, 2, 3, 4, 5]
  static let gyroThenAccel: [UInt16] = [3, 4, 5, 0, 1, 2]

  // BMI055-class IMU in Sony pads: s16 counts, ±4 g and ±2000 deg/s; the driver's calibration
  // maps a count to about one evdev unit (accel) or 62.5 units (gyro). Bias not removed.
  static let sonyAccelerometerSensor = SimulatedSensor(
    countsPerUnit: 8192, countRange: 32767, driverUnitsPerCount: 1, driverScaleSpread: 0.003,
    noise: 0.003, bias: 0.015, scaleError: 0.01)
  static let sonyGyroscopeSensor = SimulatedSensor(
    countsPerUnit: 16.384, countRange: 32767, driverUnitsPerCount: 62.5, driverScaleSpread: 0.003,
    noise: 0.09, bias: 0.5, scaleError: 0.01, drift: 0.1)

  static func sony(
    id: String, variant: String, name: String, bus: UInt16, product: UInt16, version: UInt16,
    interval: Double, clock: SimulatedClock, bluetooth: Bool
  ) -> SimulatedDevice {
    SimulatedDevice(
      tableID: id, variant: variant, name: name, busType: bus, vendor: 0x054c, product: product,
      version: version, uniq: "a0:ab:51:12:34:56", phys: "",
      hasAccelerometerProperty: true,
      axes: axes(accelerometer: sonyAccelerometer, gyroscope: sonyGyroscope),
      eventOrder: gyroThenAccel, clock: clock, reportIntervalSeconds: interval, samplesPerReport: 1,
      reportTimeJitterSeconds: 0,
      deliveryLatencySeconds: bluetooth ? 0.001...0.008 : 0.0003...0.0015,
      isBluetooth: bluetooth, accelerometer: sonyAccelerometerSensor,
      gyroscope: sonyGyroscopeSensor)
  }

  static func nintendo(
    id: String, variant: String, name: String, bus: UInt16, product: UInt16, interval: Double,
    bluetooth: Bool
  ) -> SimulatedDevice {
    SimulatedDevice(
      tableID: id, variant: variant, name: name, busType: bus, vendor: 0x057e, product: product,
      version: 0x8001, uniq: "98:B6:E9:12:34:56",
      phys: bluetooth ? "00:1a:7d:da:71:13" : "usb-0000:00:14.0-1/input0",
      hasAccelerometerProperty: true,
      axes: axes(accelerometer: nintendoAccelerometer, gyroscope: nintendoGyroscope),
      eventOrder: accelThenGyro, clock: .nintendoSynthetic, reportIntervalSeconds: interval,
      samplesPerReport: 3, reportTimeJitterSeconds: bluetooth ? 0.0015 : 0.0003,
      deliveryLatencySeconds: bluetooth ? 0.001...0.006 : 0.0003...0.0015, isBluetooth: bluetooth,
      // LSM6DS3-class: ±8 g; the gyro is ±2000 deg/s at 16.384 counts per deg/s, but the driver
      // scales a count to 1000 units with resolution 14247/deg/s, so it reads ~15 % high.
      accelerometer: SimulatedSensor(
        countsPerUnit: 4096, countRange: 32767, driverUnitsPerCount: 1, driverScaleSpread: 0.01,
        noise: 0.002, bias: 0.02, scaleError: 0.01),
      gyroscope: SimulatedSensor(
        countsPerUnit: 16.384, countRange: 32767, driverUnitsPerCount: 1000,
        driverScaleSpread: 0.01, noise: 0.07, bias: 0.3, scaleError: 0.01, drift: 0.08))
  }

  static let all: [SimulatedDevice] = [
    sony(
      id: "sony-dualsense", variant: "usb",
      name: "Sony Interactive Entertainment DualSense Wireless Controller Motion Sensors",
      bus: 0x03,
      product: 0x0ce6, version: 0x8111, interval: 0.004, clock: .hardwareMicroseconds,
      bluetooth: false),
    sony(
      id: "sony-dualsense", variant: "bluetooth",
      name: "DualSense Wireless Controller Motion Sensors",
      bus: 0x05, product: 0x0ce6, version: 0x8100, interval: 0.001, clock: .hardwareMicroseconds,
      bluetooth: true),
    sony(
      id: "sony-dualsense", variant: "edge-usb",
      name: "Sony Interactive Entertainment DualSense Edge Wireless Controller Motion Sensors",
      bus: 0x03, product: 0x0df2, version: 0x8111, interval: 0.001, clock: .hardwareMicroseconds,
      bluetooth: false),
    sony(
      id: "sony-dualshock4", variant: "usb-v2",
      name: "Sony Interactive Entertainment Wireless Controller Motion Sensors", bus: 0x03,
      product: 0x09cc, version: 0x8111, interval: 0.004, clock: .dualShock4Counter, bluetooth: false
    ),
    sony(
      id: "sony-dualshock4", variant: "usb-v1",
      name: "Sony Computer Entertainment Wireless Controller Motion Sensors", bus: 0x03,
      product: 0x05c4, version: 0x8111, interval: 0.004, clock: .dualShock4Counter, bluetooth: false
    ),
    sony(
      id: "sony-dualshock4", variant: "bluetooth", name: "Wireless Controller Motion Sensors",
      bus: 0x05, product: 0x09cc, version: 0x8100, interval: 0.004, clock: .dualShock4Counter,
      bluetooth: true),
    SimulatedDevice(
      tableID: "sony-dualshock3", variant: "usb",
      name: "Sony PLAYSTATION(R)3 Controller Motion Sensors", busType: 0x03, vendor: 0x054c,
      product: 0x0268, version: 0x8111, uniq: "00:19:c1:12:34:56",
      phys: "usb-0000:00:14.0-2/input0",
      hasAccelerometerProperty: true,
      axes: axes(
        accelerometer: AbsAxisInfo(minimum: -512, maximum: 511, fuzz: 4, flat: 0, resolution: 113),
        gyroscope: nil),
      eventOrder: [0, 1, 2], clock: .none, reportIntervalSeconds: 0.01, samplesPerReport: 1,
      reportTimeJitterSeconds: 0.0002, deliveryLatencySeconds: 0.0003...0.0015, isBluetooth: false,
      // Uncalibrated 10-bit accelerometer: offsets of tens of counts (RPCS3#14656).
      accelerometer: SimulatedSensor(
        countsPerUnit: 113, countRange: 511, driverUnitsPerCount: 1, driverScaleSpread: 0,
        noise: 0.008, bias: 0.06, scaleError: 0.03),
      gyroscope: nil),
    nintendo(
      id: "nintendo-joycon-left", variant: "bluetooth", name: "Joy-Con (L) (IMU)", bus: 0x05,
      product: 0x2006, interval: 0.015, bluetooth: true),
    nintendo(
      id: "nintendo-joycon-left", variant: "bluetooth-pre-6.8",
      name: "Nintendo Switch Left Joy-Con IMU",
      bus: 0x05, product: 0x2006, interval: 0.015, bluetooth: true),
    nintendo(
      id: "nintendo-joycon-right", variant: "bluetooth", name: "Joy-Con (R) (IMU)", bus: 0x05,
      product: 0x2007, interval: 0.015, bluetooth: true),
    nintendo(
      id: "nintendo-pro-controller", variant: "usb",
      name: "Nintendo Co., Ltd. Pro Controller (IMU)",
      bus: 0x03, product: 0x2009, interval: 0.015, bluetooth: false),
    nintendo(
      id: "nintendo-pro-controller", variant: "bluetooth-8ms", name: "Pro Controller (IMU)",
      bus: 0x05, product: 0x2009, interval: 0.008, bluetooth: true),
    nintendo(
      id: "nintendo-pro-controller", variant: "bluetooth-11ms", name: "Pro Controller (IMU)",
      bus: 0x05, product: 0x2009, interval: 0.011, bluetooth: true),
    nintendo(
      id: "nintendo-charging-grip", variant: "usb", name: "Nintendo Switch Left Joy-Con IMU (Grip)",
      bus: 0x03, product: 0x200e, interval: 0.015, bluetooth: false),
    SimulatedDevice(
      tableID: "nintendo-wii-remote", variant: "bluetooth",
      name: "Nintendo Wii Remote Accelerometer",
      busType: 0x05, vendor: 0x057e, product: 0x0306, version: 0x0600, uniq: "00:1f:32:12:34:56",
      phys: "00:1a:7d:da:71:13", hasAccelerometerProperty: false,
      axes: [
        EventCode.absRX: AbsAxisInfo(minimum: -500, maximum: 500, fuzz: 2, flat: 4, resolution: 0),
        EventCode.absRY: AbsAxisInfo(minimum: -500, maximum: 500, fuzz: 2, flat: 4, resolution: 0),
        EventCode.absRZ: AbsAxisInfo(minimum: -500, maximum: 500, fuzz: 2, flat: 4, resolution: 0),
      ],
      eventOrder: [3, 4, 5], clock: .none, reportIntervalSeconds: 0.01, samplesPerReport: 1,
      reportTimeJitterSeconds: 0.001, deliveryLatencySeconds: 0.001...0.008, isBluetooth: true,
      // ADXL330, 10-bit minus 0x200, about 100 counts/g, EEPROM calibration not applied.
      accelerometer: SimulatedSensor(
        countsPerUnit: 100, countRange: 511, driverUnitsPerCount: 1, driverScaleSpread: 0,
        noise: 0.012, bias: 0.05, scaleError: 0.04),
      gyroscope: nil),
    SimulatedDevice(
      tableID: "valve-steam-deck", variant: "built-in", name: "Steam Deck Motion Sensors",
      busType: 0x03, vendor: 0x28de, product: 0x1205, version: 0x0111, uniq: "FVAA12345678",
      phys: "usb-0000:04:00.4-3/input2", hasAccelerometerProperty: true,
      axes: axes(
        accelerometer: AbsAxisInfo(
          minimum: -32768, maximum: 32768, fuzz: 32, flat: 0, resolution: 16384),
        gyroscope: AbsAxisInfo(minimum: -32768, maximum: 32768, fuzz: 1, flat: 0, resolution: 16)),
      // The driver reports X, Z, Y then RX, RZ, RY.
      eventOrder: [0, 2, 1, 3, 5, 4], clock: .steamFixedStep, reportIntervalSeconds: 0.004,
      samplesPerReport: 1, reportTimeJitterSeconds: 0.002, deliveryLatencySeconds: 0.0002...0.0008,
      isBluetooth: false,
      // BMI260-class: ±2 g accelerometer; the gyro's true 16.4 counts per deg/s against the
      // declared resolution 16 reads 2.5 % high. No calibration in the driver.
      accelerometer: SimulatedSensor(
        countsPerUnit: 16384, countRange: 32767, driverUnitsPerCount: 1, driverScaleSpread: 0,
        noise: 0.0015, bias: 0.02, scaleError: 0.01),
      gyroscope: SimulatedSensor(
        countsPerUnit: 16.4, countRange: 32767, driverUnitsPerCount: 1, driverScaleSpread: 0,
        noise: 0.05, bias: 0.3, scaleError: 0.01, drift: 0.08)),
    SimulatedDevice(
      tableID: "st-lis3lv02d", variant: "12-bit", name: "ST LIS3LV02DL Accelerometer",
      busType: 0x19,
      vendor: 0, product: 0, version: 0, uniq: "", phys: "lis3lv02d/input0",
      hasAccelerometerProperty: false,
      axes: axes(
        accelerometer: AbsAxisInfo(minimum: -2000, maximum: 2000, fuzz: 2, flat: 2, resolution: 0),
        gyroscope: nil),
      eventOrder: [0, 1, 2], clock: .none, reportIntervalSeconds: 0.05, samplesPerReport: 1,
      reportTimeJitterSeconds: 0.001, deliveryLatencySeconds: 0.00005...0.0002, isBluetooth: false,
      // Polled by input-poller every 50 ms; values already in milli-g.
      accelerometer: SimulatedSensor(
        countsPerUnit: 1000, countRange: 2000, driverUnitsPerCount: 1, driverScaleSpread: 0,
        noise: 0.004, bias: 0.04, scaleError: 0.02),
      gyroscope: nil),
  ]

  /// Device-table ids the simulator can emulate, in catalog order.
  static var ids: [String] {
    var seen: [String] = []
    for device in all where !seen.contains(device.tableID) { seen.append(device.tableID) }
    return seen
  }

  static func variants(of id: String) -> [SimulatedDevice] {
    all.filter { $0.tableID == id }
  }
}
