import Foundation

/// The per-device table: built-in entries (an embedded copy of `Calibration/devices/*.json`)
/// plus the user's own files, which win over built-in entries with the same id.
public struct DeviceTable: Sendable {
  public var entries: [DeviceTableEntry]

  public init(entries: [DeviceTableEntry]) {
    self.entries = entries
  }

  /// The table compiled into the binary. A test checks it decodes and matches the files in
  /// `Calibration/devices`, so the fallback to an empty table cannot happen in a release.
  public static let builtIn: DeviceTable = (try? loadBuiltIn()) ?? DeviceTable(entries: [])

  /// Decodes the embedded copy, reporting problems like a user file would.
  public static func loadBuiltIn() throws -> DeviceTable {
    var entries: [DeviceTableEntry] = []
    for file in BuiltInDeviceTable.files {
      entries += try decodeEntries(
        Data(file.json.utf8), path: "(built-in) Calibration/devices/\(file.name)")
    }
    return DeviceTable(entries: entries)
  }

  /// The built-in table plus every `*.json` in `extraDirectories` (directories that do not exist
  /// are skipped). Later files win over earlier ones and the built-in table on the same id.
  /// Errors name the file and the field.
  public static func load(extraDirectories: [String]) throws -> DeviceTable {
    var table = try loadBuiltIn()
    for directory in extraDirectories {
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: directory)
      } catch {
        continue  // Missing user directories are normal.
      }
      for name in names.sorted() where name.hasSuffix(".json") {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
          throw InputFileError(path: path, message: "cannot read the file")
        }
        for entry in try decodeEntries(data, path: path) {
          table.insertReplacing(entry)
        }
      }
    }
    return table
  }

  /// `$XDG_CONFIG_HOME/repcount/devices` (else `~/.config/repcount/devices`) and
  /// `/etc/repcount/devices`, user first: the user's files override system ones because they
  /// are loaded last.
  public static func defaultUserDirectories() -> [String] {
    let environment = ProcessInfo.processInfo.environment
    let configHome: String
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
      configHome = xdg
    } else {
      configHome = (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
    }
    // Loaded in this order, so the user's directory (last) wins over /etc.
    return ["/etc/repcount/devices", configHome + "/repcount/devices"]
  }

  /// The most specific entry whose match rule accepts the node, or `nil`.
  public func entry(for device: InputDeviceDescription) -> DeviceTableEntry? {
    var best: DeviceTableEntry?
    var bestScore = -1
    for entry in entries {
      guard let score = entry.match.specificity(ifMatching: device) else { continue }
      if score > bestScore {
        best = entry
        bestScore = score
      }
    }
    return best
  }

  public func entry(id: String) -> DeviceTableEntry? {
    entries.first { $0.id == id }
  }

  mutating func insertReplacing(_ entry: DeviceTableEntry) {
    if let index = entries.firstIndex(where: { $0.id == entry.id }) {
      entries[index] = entry
    } else {
      entries.append(entry)
    }
  }

  /// A file holds either one entry object or an array of entries.
  static func decodeEntries(_ data: Data, path: String) throws -> [DeviceTableEntry] {
    let decoder = JSONDecoder()
    let entries: [DeviceTableEntry]
    do {
      if data.first(where: { !isJSONWhitespace($0) }) == UInt8(ascii: "[") {
        entries = try decoder.decode([DeviceTableEntry].self, from: data)
      } else {
        entries = [try decoder.decode(DeviceTableEntry.self, from: data)]
      }
    } catch let error as DecodingError {
      throw InputFileError(path: path, message: describe(error))
    } catch {
      throw InputFileError(path: path, message: "\(error)")
    }
    for (index, entry) in entries.enumerated() {
      let prefix = entries.count > 1 ? "[\(index)] (\(entry.id))." : ""
      if let problem = entry.validationProblem() {
        throw InputFileError(path: path, message: "field \(prefix)\(problem)")
      }
    }
    return entries
  }

  private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }

  private static func describe(_ error: DecodingError) -> String {
    func fieldPath(_ path: [any CodingKey]) -> String {
      var text = ""
      for key in path {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + key.stringValue
        }
      }
      return text.isEmpty ? "(top level)" : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      let parent = fieldPath(context.codingPath)
      let field = context.codingPath.isEmpty ? key.stringValue : parent + "." + key.stringValue
      return "field \(field): missing"
    case .typeMismatch(let type, let context):
      return "field \(fieldPath(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context):
      return "field \(fieldPath(context.codingPath)): expected \(type), found null"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty {
        return
          "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
      }
      return "field \(fieldPath(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }
}

extension DeviceMatchRule {
  /// `nil` when the node does not match; otherwise how specific the match is. Vendor and
  /// product outweigh names, which outweigh the generic property/axis tests.
  public func specificity(ifMatching device: InputDeviceDescription) -> Int? {
    var score = 0
    if let bus {
      guard bus.contains(where: { Self.busNumber($0) == device.busType }) else { return nil }
      score += 2
    }
    if let vendor {
      guard Self.hexNumber(vendor) == device.vendor else { return nil }
      score += 16
    }
    if let products {
      guard products.contains(where: { Self.hexNumber($0) == device.product }) else { return nil }
      score += 16
    }
    if let names {
      // evemu before 2.0 wrote names with whitespace turned into '-'; accept those too.
      guard
        names.contains(where: {
          GlobPattern.matches($0, device.name)
            || GlobPattern.matches($0.replacingOccurrences(of: " ", with: "-"), device.name)
        })
      else { return nil }
      score += 8
    }
    if let accelerometerProperty {
      guard device.hasAccelerometerProperty == accelerometerProperty else { return nil }
      score += 1
    }
    if let requiredAxes {
      let supported = device.supportedCodes[EventCode.absoluteType] ?? []
      for name in requiredAxes {
        guard let code = AbsoluteAxisName.code(named: name),
          supported.contains(code) || device.absAxes[code] != nil
        else { return nil }
      }
      score += 1
    }
    if let hasKeys {
      let keys = device.supportedCodes[EventCode.keyType] ?? []
      guard keys.isEmpty != hasKeys else { return nil }
      score += 1
    }
    return score
  }

  static func hexNumber(_ text: String) -> UInt16? {
    var digits = Substring(text)
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
    return UInt16(digits, radix: 16)
  }

  static let busNames: [String: UInt16] = [
    "pci": 0x01, "usb": 0x03, "hil": 0x04, "bluetooth": 0x05, "virtual": 0x06, "isa": 0x10,
    "i8042": 0x11, "host": 0x19, "i2c": 0x18, "spi": 0x1C,
  ]

  static func busNumber(_ text: String) -> UInt16? {
    busNames[text.lowercased()] ?? hexNumber(text)
  }
}

extension DeviceTableEntry {
  /// The first problem with this entry's contents beyond JSON types, naming the field.
  func validationProblem() -> String? {
    if id.isEmpty { return "id: must not be empty" }
    if let bus = match.bus {
      for (index, name) in bus.enumerated() where DeviceMatchRule.busNumber(name) == nil {
        return "match.bus[\(index)]: unknown bus \"\(name)\""
      }
    }
    if let vendor = match.vendor, DeviceMatchRule.hexNumber(vendor) == nil {
      return "match.vendor: \"\(vendor)\" is not a 4-digit hex id"
    }
    for (index, product) in (match.products ?? []).enumerated()
    where DeviceMatchRule.hexNumber(product) == nil {
      return "match.products[\(index)]: \"\(product)\" is not a 4-digit hex id"
    }
    for (index, name) in (match.requiredAxes ?? []).enumerated()
    where AbsoluteAxisName.code(named: name) == nil {
      return "match.requiredAxes[\(index)]: unknown axis \"\(name)\""
    }
    var accelerometerMatrix: [[Double]]?
    if let accelerometer {
      switch AxisMapping.parse(accelerometer.axes) {
      case .failure(let problem): return "accelerometer.axes: \(problem)"
      case .success(let mapping):
        if mapping.determinant < 0 {
          return "accelerometer.axes: is a reflection (determinant −1), not a rotation"
        }
        accelerometerMatrix = mapping.matrix
      }
      if let units = accelerometer.unitsPerG, !(units > 0) {
        return "accelerometer.unitsPerG: must be positive"
      }
      if let units = accelerometer.fallbackUnitsPerG, !(units > 0) {
        return "accelerometer.fallbackUnitsPerG: must be positive"
      }
    }
    if let gyroscope {
      switch AxisMapping.parse(gyroscope.axes) {
      case .failure(let problem): return "gyroscope.axes: \(problem)"
      case .success(let mapping):
        if mapping.determinant < 0 {
          return "gyroscope.axes: is a reflection (determinant −1), not a rotation"
        }
        if let accelerometerMatrix, accelerometerMatrix != mapping.matrix {
          return "gyroscope.axes: must rotate the same way as accelerometer.axes"
        }
      }
      if let units = gyroscope.unitsPerDPS, !(units > 0) {
        return "gyroscope.unitsPerDPS: must be positive"
      }
      if let scale = gyroscope.scaleCorrection, !(scale > 0) {
        return "gyroscope.scaleCorrection: must be positive"
      }
    }
    if accelerometer == nil && gyroscope == nil {
      return "accelerometer: an entry needs an accelerometer or a gyroscope"
    }
    if let rate = nominalRateHz, !(rate > 0) { return "nominalRateHz: must be positive" }
    if let padButtons {
      let buttons = [("addOne", padButtons.addOne), ("takeOneOff", padButtons.takeOneOff)]
      for (field, button) in buttons {
        if button.keyCode == nil {
          return "padButtons.\(field).code: \"\(button.code)\" is not a key or button name"
            + " from linux/input-event-codes.h, such as \"BTN_TR\" or \"KEY_NEXT\""
        }
        if button.label.allSatisfy(\.isWhitespace) {
          return "padButtons.\(field).label: must name the button as the controller shows it"
        }
      }
      if padButtons.addOne.keyCode == padButtons.takeOneOff.keyCode {
        return "padButtons.takeOneOff.code: is the same button as padButtons.addOne"
      }
    }
    return nil
  }
}
