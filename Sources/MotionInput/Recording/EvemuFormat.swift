/// Facts about the evemu text format, as `evemu-record` (evemu 2.x, file format 1.3) writes it
/// and `evemu-play`/`evemu-describe` read it:
///
/// ```
/// # EVEMU 1.3
/// # Input device name: "…"          (comments, an evtest-like description incl. axis values)
/// N: <name>
/// I: <bus> <vendor> <product> <version>            (4-digit hex)
/// P: <8 hex bytes>                                 (INPUT_PROP bits)
/// B: <type> <8 hex bytes>                          (event-code bits, 8 bytes per line)
/// A: <code> <min> <max> <fuzz> <flat> <resolution> (one per ABS axis, decimal)
/// L: <led> <state>, S: <switch> <state>            (only non-zero states)
/// E: <sec>.<usec> <type> <code> <value>            (type/code 4-digit hex, value decimal)
/// ```
///
/// Comments start with `#` and may follow an `E:` line's fields.
public enum EvemuFormat {
  /// The file-format version we write (the one current evemu writes).
  public static let version = "1.3"

  /// Highest code per event type, as libevdev's `libevdev_event_type_get_max` gives them; the
  /// writer emits `B:` lines covering exactly these ranges, like evemu does. Types not listed
  /// (EV_PWR, EV_FF_STATUS) have no B: line.
  static let typeMaxima: [(type: UInt16, maximum: Int)] = [
    (0x01, 0x2FF),  // EV_KEY
    (0x02, 0x0F),  // EV_REL
    (0x03, 0x3F),  // EV_ABS
    (0x04, 0x07),  // EV_MSC
    (0x05, 0x10),  // EV_SW
    (0x11, 0x0F),  // EV_LED
    (0x12, 0x07),  // EV_SND
    (0x14, 0x01),  // EV_REP
    (0x15, 0x7F),  // EV_FF
  ]

  static func maximumCode(ofType type: UInt16) -> Int? {
    switch type {
    case 0x00: 0x0F
    case 0x16: 0x01  // EV_PWR / EV_FF_STATUS carry few codes; accepted but unnamed
    case 0x17: 0x01
    default: typeMaxima.first { $0.type == type }?.maximum
    }
  }

  static func typeName(_ type: UInt16) -> String {
    switch type {
    case 0x00: "EV_SYN"
    case 0x01: "EV_KEY"
    case 0x02: "EV_REL"
    case 0x03: "EV_ABS"
    case 0x04: "EV_MSC"
    case 0x05: "EV_SW"
    case 0x11: "EV_LED"
    case 0x12: "EV_SND"
    case 0x14: "EV_REP"
    case 0x15: "EV_FF"
    case 0x16: "EV_PWR"
    case 0x17: "EV_FF_STATUS"
    default: "EV_0x" + String(type, radix: 16)
    }
  }

  static func codeName(type: UInt16, code: UInt16) -> String {
    switch type {
    case EventCode.synType:
      switch code {
      case 0: return "SYN_REPORT"
      case 1: return "SYN_CONFIG"
      case 2: return "SYN_MT_REPORT"
      case 3: return "SYN_DROPPED"
      default: break
      }
    case EventCode.absoluteType where code < 6:
      return AbsoluteAxisName.name(of: code)
    case EventCode.miscType:
      let names = [
        "MSC_SERIAL", "MSC_PULSELED", "MSC_GESTURE", "MSC_RAW", "MSC_SCAN", "MSC_TIMESTAMP",
      ]
      if Int(code) < names.count { return names[Int(code)] }
    default: break
    }
    return "0x" + String(code, radix: 16)
  }

  static func propertyName(_ property: Int) -> String {
    let names = [
      "INPUT_PROP_POINTER", "INPUT_PROP_DIRECT", "INPUT_PROP_BUTTONPAD", "INPUT_PROP_SEMI_MT",
      "INPUT_PROP_TOPBUTTONPAD", "INPUT_PROP_POINTING_STICK", "INPUT_PROP_ACCELEROMETER",
    ]
    return property < names.count ? names[property] : "INPUT_PROP_\(property)"
  }
}

/// The header lines `evemu-record` writes for `device`: the `# EVEMU 1.3` line, the evtest-like
/// comment block (which also carries each axis's current value), then N:, I:, P:, B:, A: lines.
/// Ends with a newline. `record` and the simulator write it before the `E:` lines.
public func evemuDescription(of device: InputDeviceDescription) -> String {
  var text = "# EVEMU \(EvemuFormat.version)\n"
  text += "# Input device name: \"\(device.name)\"\n"
  text +=
    "# Input device ID: bus \(hex0x(device.busType)) vendor \(hex0x(device.vendor))"
    + " product \(hex0x(device.product)) version \(hex0x(device.version))\n"
  // Not part of evemu's own output, but comments are free-form: these keep the pairing keys.
  if !device.uniq.isEmpty { text += "# Input device uniq: \"\(device.uniq)\"\n" }
  if !device.phys.isEmpty { text += "# Input device phys: \"\(device.phys)\"\n" }
  text += "# Supported events:\n"
  let types = Set(device.supportedCodes.keys).union(device.absAxes.isEmpty ? [] : [3]).union([0])
  for type in types.sorted() {
    text += "#   Event type \(type) (\(EvemuFormat.typeName(type)))\n"
    for code in codes(ofType: type, in: device) {
      text += "#     Event code \(code) (\(EvemuFormat.codeName(type: type, code: code)))\n"
      if type == EventCode.absoluteType, let info = device.absAxes[code] {
        text += "#       Value   \(padded(info.value, 6))\n"
        text += "#       Min     \(padded(info.minimum, 6))\n"
        text += "#       Max     \(padded(info.maximum, 6))\n"
        text += "#       Fuzz    \(padded(info.fuzz, 6))\n"
        text += "#       Flat    \(padded(info.flat, 6))\n"
        text += "#       Resolution \(padded(info.resolution, 3))\n"
      }
    }
  }
  text += "# Properties:\n"
  for property in device.properties.sorted() {
    text += "#   Property  type \(property) (\(EvemuFormat.propertyName(property)))\n"
  }
  text += "N: \(device.name)\n"
  text +=
    "I: \(hex4(device.busType)) \(hex4(device.vendor)) \(hex4(device.product))"
    + " \(hex4(device.version))\n"
  var propertyBytes = [UInt8](repeating: 0, count: 8)
  for property in device.properties where property >= 0 && property < 64 {
    propertyBytes[property / 8] |= 1 << UInt8(property % 8)
  }
  text += "P: " + propertyBytes.map(hex2).joined(separator: " ") + "\n"
  // evemu always writes EV_SYN as SYN_REPORT|SYN_CONFIG|SYN_DROPPED (0x0b).
  text += "B: 00 0b 00 00 00 00 00 00 00\n"
  for (type, maximum) in EvemuFormat.typeMaxima {
    let byteCount = (maximum + 1 + 7) / 8
    var bytes = [UInt8](repeating: 0, count: (byteCount + 7) / 8 * 8)
    for code in codes(ofType: type, in: device) where Int(code) <= maximum {
      bytes[Int(code) / 8] |= 1 << UInt8(code % 8)
    }
    var offset = 0
    while offset < byteCount {
      text +=
        "B: \(hex2(UInt8(type))) "
        + bytes[offset..<offset + 8].map(hex2).joined(separator: " ") + "\n"
      offset += 8
    }
  }
  for code in codes(ofType: EventCode.absoluteType, in: device) {
    guard let info = device.absAxes[code] else { continue }
    text +=
      "A: \(hex2(UInt8(truncatingIfNeeded: code))) \(info.minimum) \(info.maximum)"
      + " \(info.fuzz) \(info.flat) \(info.resolution)\n"
  }
  return text
}

private func codes(ofType type: UInt16, in device: InputDeviceDescription) -> [UInt16] {
  var codes = device.supportedCodes[type] ?? []
  if type == EventCode.absoluteType { codes.formUnion(device.absAxes.keys) }
  if type == EventCode.synType && codes.isEmpty { codes = [0, 1, 3] }
  return codes.sorted()
}

private func hex2(_ byte: UInt8) -> String {
  let digits = String(byte, radix: 16)
  return digits.count < 2 ? "0" + digits : digits
}

private func hex4(_ value: UInt16) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// C's `%#04x`: `0x` prefix and at least 4 characters including it (`0x05`); zero is `0000`
/// because C omits the prefix for zero.
private func hex0x(_ value: UInt16) -> String {
  if value == 0 { return "0000" }
  let digits = String(value, radix: 16)
  return "0x" + (digits.count < 2 ? "0" + digits : digits)
}

private func padded(_ value: Int32, _ width: Int) -> String {
  let text = String(value)
  return text.count < width ? String(repeating: " ", count: width - text.count) + text : text
}
