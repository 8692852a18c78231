/// What a motion node measures.
public enum MotionNodeKind: String, Codable, Sendable, CustomStringConvertible {
  case accelerometer
  case accelerometerGyroscope = "accelerometer+gyroscope"
  /// A gyroscope without an accelerometer on the same node (Wii Motion Plus): only useful next
  /// to its accelerometer node, not readable on its own.
  case gyroscope

  public var description: String { rawValue }
}

/// Whether the current user can open a node.
public enum NodeAccess: Equatable, Sendable {
  case readable
  case permissionDenied
  /// Another failure (the node vanished, the ioctl answers were bad…), with the message.
  case failed(String)

  public var isReadable: Bool { self == .readable }
}

/// One motion-sensor event node found through udev, confirmed and classified.
public struct MotionNode: Sendable, Equatable {
  /// `/dev/input/eventN`
  public var devicePath: String
  /// sysfs path of the event node.
  public var syspath: String
  public var name: String
  public var busType: UInt16
  public var vendor: UInt16
  public var product: UInt16
  public var uniq: String
  public var kind: MotionNodeKind
  /// The gamepad/buttons node of the same controller, when there is one.
  public var pairedPadPath: String?
  /// sysfs path of the HID device all nodes of this controller hang off, if any.
  public var hidParentSyspath: String?
  public var access: NodeAccess
  /// What libevdev says about the node; for an unreadable node, what sysfs says (names, ids,
  /// properties and axis codes, but no absinfo).
  public var description: InputDeviceDescription

  /// `bus:vendor:product` in hex, as `lsusb`/`/proc/bus/input/devices` print them.
  public var idString: String {
    paddedHex(busType) + ":" + paddedHex(vendor) + ":" + paddedHex(product)
  }
}

func paddedHex(_ value: UInt16) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Finds motion-sensor nodes through libudev and confirms them with libevdev.
///
/// A node counts when udev tagged it `ID_INPUT_ACCELEROMETER=1` (set from
/// `INPUT_PROP_ACCELEROMETER`, or X/Y/Z without keys), or when it is one of the nodes udev does
/// not tag: the Wii Remote's Accelerometer and Motion Plus nodes (057e:0306/0330, by name).
public struct MotionDeviceDiscovery {
  public let udev: UdevContext

  public init(udev: UdevContext) {
    self.udev = udev
  }

  /// Every motion node present now, sorted by device path.
  public func motionNodes() throws(SystemCallError) -> [MotionNode] {
    let eventNodes = try self.eventNodes()
    var nodes: [MotionNode] = []
    for device in eventNodes {
      if let node = classify(device, siblings: eventNodes) { nodes.append(node) }
    }
    return nodes.sorted { naturalOrder($0.devicePath, $1.devicePath) }
  }

  /// The motion node at `devicePath`, or `nil` when it is not one. Only that node is examined
  /// (the others are its possible siblings), not every motion node: the session looks its pad up
  /// again on the first frame after a replug, while the stream must keep being read.
  public func motionNode(at devicePath: String) throws(SystemCallError) -> MotionNode? {
    let eventNodes = try self.eventNodes()
    guard let device = eventNodes.first(where: { $0.devicePath == devicePath }) else { return nil }
    return classify(device, siblings: eventNodes)
  }

  /// Every `eventN` node udev knows of.
  private func eventNodes() throws(SystemCallError) -> [UdevDevice] {
    try udev.devices(subsystem: "input").filter {
      $0.sysname.hasPrefix("event") && $0.devicePath != nil
    }
  }

  /// Whether `device` (an `eventN` udev device) looks like a motion node before opening it.
  public static func isCandidate(_ device: UdevDevice) -> Bool {
    if device.property("ID_INPUT_ACCELEROMETER") == "1" { return true }
    guard let input = device.ancestor(subsystem: "input") else { return false }
    return isUntaggedWiiMotionNode(
      vendor: input.attribute("id/vendor"), product: input.attribute("id/product"),
      name: input.attribute("name"))
  }

  /// hid-wiimote's motion nodes carry neither the property nor X/Y/Z, so udev leaves them
  /// untagged; recognise them by ids and name.
  static func isUntaggedWiiMotionNode(vendor: String?, product: String?, name: String?) -> Bool {
    guard vendor?.lowercased() == "057e", let product = product?.lowercased(),
      product == "0306" || product == "0330", let name
    else { return false }
    return name.hasSuffix("Accelerometer") || name.hasSuffix("Motion Plus")
  }

  private func classify(_ device: UdevDevice, siblings: [UdevDevice]) -> MotionNode? {
    guard Self.isCandidate(device), let devicePath = device.devicePath,
      let input = device.ancestor(subsystem: "input")
    else { return nil }
    let name = input.attribute("name") ?? ""
    var access = NodeAccess.readable
    var description: InputDeviceDescription?
    do {
      let evdev = try EvdevDevice(path: devicePath)
      description = evdev.description
    } catch {
      access = error.isPermissionDenied ? .permissionDenied : .failed(error.description)
    }
    let absCodes: Set<UInt16>
    if let description {
      // libevdev is the authority: a node without motion axes is not one, whatever udev said.
      absCodes = description.supportedCodes[EventCode.absoluteType] ?? []
    } else {
      absCodes = Self.bitmapCodes(input.attribute("capabilities/abs") ?? "")
    }
    guard let kind = Self.kind(name: name, absCodes: absCodes) else { return nil }
    let hid = device.ancestor(subsystem: "hid")
    let resolved = description ?? Self.sysfsDescription(input, absCodes: absCodes)
    return MotionNode(
      devicePath: devicePath, syspath: device.syspath, name: resolved.name,
      busType: resolved.busType, vendor: resolved.vendor, product: resolved.product,
      uniq: resolved.uniq, kind: kind,
      pairedPadPath: pairedPad(
        for: device, hidParent: hid?.syspath, uniq: resolved.uniq, siblings: siblings),
      hidParentSyspath: hid?.syspath, access: access, description: resolved)
  }

  /// The description sysfs gives of an input device (for nodes libevdev cannot open).
  static func sysfsDescription(_ input: UdevDevice, absCodes: Set<UInt16>) -> InputDeviceDescription
  {
    func hexAttribute(_ name: String) -> UInt16 {
      UInt16(input.attribute(name) ?? "", radix: 16) ?? 0
    }
    let properties = bitmapCodes(input.attribute("properties") ?? "").map { Int($0) }
    var supported: [UInt16: Set<UInt16>] = [EventCode.absoluteType: absCodes]
    let misc = bitmapCodes(input.attribute("capabilities/msc") ?? "")
    if !misc.isEmpty { supported[EventCode.miscType] = misc }
    return InputDeviceDescription(
      name: input.attribute("name") ?? "", busType: hexAttribute("id/bustype"),
      vendor: hexAttribute("id/vendor"), product: hexAttribute("id/product"),
      version: hexAttribute("id/version"), uniq: input.attribute("uniq") ?? "",
      phys: input.attribute("phys") ?? "", properties: Set(properties),
      supportedCodes: supported)
  }

  static func kind(name: String, absCodes: Set<UInt16>) -> MotionNodeKind? {
    let accelerometerAxes: Set<UInt16> = [EventCode.absX, EventCode.absY, EventCode.absZ]
    let rotationAxes: Set<UInt16> = [EventCode.absRX, EventCode.absRY, EventCode.absRZ]
    // Wii Remote nodes put their data on RX/RY/RZ whatever it measures.
    if name.hasSuffix("Motion Plus") {
      return absCodes.isSuperset(of: rotationAxes) ? .gyroscope : nil
    }
    if name.hasSuffix("Wii Remote Accelerometer") {
      return absCodes.isSuperset(of: rotationAxes) ? .accelerometer : nil
    }
    guard absCodes.isSuperset(of: accelerometerAxes) else { return nil }
    return absCodes.isSuperset(of: rotationAxes) ? .accelerometerGyroscope : .accelerometer
  }

  /// The controller's gamepad (or buttons) node: an event node under the same HID device that
  /// is not itself a motion node, preferring one udev calls a joystick; else a joystick node
  /// with the same non-empty `uniq` (hid-playstation/nintendo/steam set it to the MAC/serial).
  private func pairedPad(
    for motion: UdevDevice, hidParent: String?, uniq: String, siblings: [UdevDevice]
  ) -> String? {
    let others = siblings.filter { $0.syspath != motion.syspath && !Self.isCandidate($0) }
    func rank(_ device: UdevDevice) -> Int? {
      if device.property("ID_INPUT_JOYSTICK") == "1" { return 0 }
      if device.property("ID_INPUT_KEY") == "1" && device.property("ID_INPUT_KEYBOARD") != "1" {
        return 1
      }
      return nil
    }
    if let hidParent {
      let sameParent = others.filter { $0.ancestor(subsystem: "hid")?.syspath == hidParent }
      let best = sameParent.compactMap { device in rank(device).map { (device, $0) } }
        .min { $0.1 < $1.1 }
      if let best, let path = best.0.devicePath { return path }
    }
    guard !uniq.isEmpty else { return nil }
    let sameUniq = others.first {
      $0.property("ID_INPUT_JOYSTICK") == "1"
        && $0.ancestor(subsystem: "input")?.attribute("uniq") == uniq
    }
    return sameUniq?.devicePath
  }

  /// Codes set in a sysfs capability bitmap ("3f", or "1 0000000000000007" for wide maps).
  static func bitmapCodes(_ text: String) -> Set<UInt16> {
    var codes = Set<UInt16>()
    let words = text.split(separator: " ").reversed()
    for (index, word) in words.enumerated() {
      guard let value = UInt64(word, radix: 16) else { continue }
      for bit in 0..<64 where value & (1 << UInt64(bit)) != 0 {
        codes.insert(UInt16(index * 64 + bit))
      }
    }
    return codes
  }
}

/// `event2` before `event10`.
func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
  func split(_ text: String) -> (String, Int) {
    let digits = text.reversed().prefix { $0.isNumber }
    let prefix = String(text.dropLast(digits.count))
    return (prefix, Int(String(digits.reversed())) ?? -1)
  }
  let (left, right) = (split(lhs), split(rhs))
  return left.0 == right.0 ? left.1 < right.1 : lhs < rhs
}
