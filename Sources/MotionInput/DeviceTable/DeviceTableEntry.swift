/// One device family in the per-device table (`Calibration/devices/*.json`): how to recognise its
/// motion node and how to turn its raw axes into the project frame, in g and deg/s.
///
/// The project frame is right-handed and is the DualSense/DualShock 4/Steam Deck evdev frame:
/// with the controller held normally, face up, +X points right, +Y up out of the face and +Z
/// toward the player. At rest the upward axis reads +1 g. Calibration/README.md documents every
/// field with an example.
public struct DeviceTableEntry: Codable, Hashable, Sendable {
  /// Stable identifier, e.g. `"sony-dualsense"`. A user file with the same id replaces the
  /// built-in entry.
  public var id: String
  /// Human name for `repcount devices` and `inspect`.
  public var displayName: String
  /// When this entry applies to a node.
  public var match: DeviceMatchRule
  /// Accelerometer axes, or `nil` for a gyroscope-only companion node (Wii Motion Plus), which
  /// cannot be read on its own.
  public var accelerometer: AccelerometerMapping?
  /// Gyroscope axes, or `nil` for accelerometer-only devices.
  public var gyroscope: GyroscopeMapping?
  /// How the node's timestamps behave.
  public var timestamp: TimestampModel
  /// The nominal frame rate, used to notice gaps when the timestamp model cannot (`nil`: learn
  /// it from the stream).
  public var nominalRateHz: Double?
  /// The buttons of the controller's gamepad (or buttons) node that correct the count in
  /// `repcount session`; `nil`: `PadButtonMapping.standard` (BTN_TR adds, BTN_TL takes off).
  public var padButtons: PadButtonMapping?
  /// Free text: sources and caveats.
  public var notes: String?

  public init(
    id: String, displayName: String, match: DeviceMatchRule,
    accelerometer: AccelerometerMapping?, gyroscope: GyroscopeMapping? = nil,
    timestamp: TimestampModel, nominalRateHz: Double? = nil,
    padButtons: PadButtonMapping? = nil, notes: String? = nil
  ) {
    self.id = id
    self.displayName = displayName
    self.match = match
    self.accelerometer = accelerometer
    self.gyroscope = gyroscope
    self.timestamp = timestamp
    self.nominalRateHz = nominalRateHz
    self.padButtons = padButtons
    self.notes = notes
  }

  /// The count-correcting buttons for this device: its own, else the standard pair.
  public var padButtonsOrStandard: PadButtonMapping { padButtons ?? .standard }
}

/// Which nodes an entry applies to. Every given field must match; fields left out match
/// anything. Among matching entries the most specific wins (see `specificity`).
public struct DeviceMatchRule: Codable, Hashable, Sendable {
  /// Bus names (`"usb"`, `"bluetooth"`, `"host"`, `"isa"`) or hex bus numbers (`"0x05"`).
  public var bus: [String]?
  /// Vendor id, hex (`"054c"`).
  public var vendor: String?
  /// Product ids, hex (`["0ce6", "0df2"]`).
  public var products: [String]?
  /// Shell-style glob patterns on the node name (`*` and `?`), any of which may match.
  public var names: [String]?
  /// `true`: the node must have `INPUT_PROP_ACCELEROMETER`; `false`: it must not.
  public var accelerometerProperty: Bool?
  /// Absolute axes the node must support (`["ABS_X", "ABS_Y", "ABS_Z"]`).
  public var requiredAxes: [String]?
  /// `false`: the node must have no `EV_KEY` codes (udev's rule for prop-less accelerometers,
  /// which keeps gamepads' stick nodes out); `true`: it must have some.
  public var hasKeys: Bool?

  public init(
    bus: [String]? = nil, vendor: String? = nil, products: [String]? = nil,
    names: [String]? = nil, accelerometerProperty: Bool? = nil, requiredAxes: [String]? = nil,
    hasKeys: Bool? = nil
  ) {
    self.bus = bus
    self.vendor = vendor
    self.products = products
    self.names = names
    self.accelerometerProperty = accelerometerProperty
    self.requiredAxes = requiredAxes
    self.hasKeys = hasKeys
  }
}

/// Accelerometer axes of the project frame, each a signed source code.
public struct AccelerometerMapping: Codable, Hashable, Sendable {
  /// Three signed codes for project x, y, z, e.g. `["-ABS_Y", "+ABS_Z", "-ABS_X"]`.
  public var axes: [String]
  /// Raw units per g; `nil` means use each axis's `absinfo.resolution`.
  public var unitsPerG: Double?
  /// Used only when `unitsPerG` is `nil` and the node reports resolution 0.
  public var fallbackUnitsPerG: Double?

  public init(axes: [String], unitsPerG: Double? = nil, fallbackUnitsPerG: Double? = nil) {
    self.axes = axes
    self.unitsPerG = unitsPerG
    self.fallbackUnitsPerG = fallbackUnitsPerG
  }
}

/// Gyroscope axes of the project frame, each a signed source code; must use the same rotation
/// as the accelerometer so that rotation sense agrees.
public struct GyroscopeMapping: Codable, Hashable, Sendable {
  /// Three signed codes for project x, y, z, e.g. `["-ABS_RY", "+ABS_RZ", "-ABS_RX"]`.
  public var axes: [String]
  /// Raw units per deg/s; `nil` means use each axis's `absinfo.resolution`.
  public var unitsPerDPS: Double?
  /// Multiplies the converted rate, for known scale errors (Nintendo reads ~14 % high: 0.877).
  public var scaleCorrection: Double?

  public init(axes: [String], unitsPerDPS: Double? = nil, scaleCorrection: Double? = nil) {
    self.axes = axes
    self.unitsPerDPS = unitsPerDPS
    self.scaleCorrection = scaleCorrection
  }
}

/// Which two buttons of the paired gamepad/buttons node add a repetition and take one off in
/// `repcount session`, with the names the controller prints on them.
public struct PadButtonMapping: Codable, Hashable, Sendable {
  public var addOne: PadButton
  public var takeOneOff: PadButton

  public init(addOne: PadButton, takeOneOff: PadButton) {
    self.addOne = addOne
    self.takeOneOff = takeOneOff
  }

  /// For devices whose entry names none: the right and left shoulder buttons, which the
  /// kernel's gamepad convention (Documentation/input/gamepad.rst) puts on BTN_TR and BTN_TL.
  public static let standard = PadButtonMapping(
    addOne: PadButton(code: "BTN_TR", label: "the right shoulder button (BTN_TR)"),
    takeOneOff: PadButton(code: "BTN_TL", label: "the left shoulder button (BTN_TL)"))
}

/// One button: its evdev code and what the user knows it as.
public struct PadButton: Codable, Hashable, Sendable {
  /// The key code's name in `linux/input-event-codes.h`, e.g. `"BTN_TR"` or `"KEY_NEXT"`.
  public var code: String
  /// The name printed on the controller, e.g. `"R1"`, `"SR"`, `"+"`; shown to the user.
  public var label: String

  public init(code: String, label: String) {
    self.code = code
    self.label = label
  }

  /// The numeric code, or `nil` when `code` is not a key or button name.
  public var keyCode: UInt16? { KeyCodeName.code(named: code) }
}

/// How a node's frame times are derived.
public enum TimestampModel: String, Codable, Hashable, Sendable {
  /// `MSC_TIMESTAMP` is a real device clock in µs (wrapping u32).
  case hardware
  /// hid-nintendo: `MSC_TIMESTAMP` is synthesised from host jiffies, runs at twice real time and
  /// arrives as bursts of three samples per report.
  case nintendoBursts = "nintendo-bursts"
  /// hid-steam: `MSC_TIMESTAMP` adds a fixed 4000 µs per report whatever the real interval.
  case fixedStep = "fixed-step"
  /// No usable device clock: use the event time.
  case eventTime = "event-time"
}
