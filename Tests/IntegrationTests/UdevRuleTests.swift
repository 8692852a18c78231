import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `udev/70-repcount.rules`, checked without udevd (`udevadm verify` needs systemd >= 254;
/// Debian 12 has 252 and containers have no udevd): the syntax is parsed, and the rules are
/// evaluated, the way udev evaluates them, against every event node of the device fixtures.
@Suite("udev rule")
struct UdevRuleTests {
  static let rulesPath = Harness.repositoryRoot + "/udev/70-repcount.rules"

  struct Assignment: Equatable {
    var key: String
    var attribute: String?
    var operation: String
    var value: String
  }

  /// One rule line as `KEY{attr}OP"value"` items.
  static func parse(_ line: String) throws -> [Assignment] {
    var items: [Assignment] = []
    var rest = Substring(line)
    let operators = ["==", "!=", "+=", "-=", ":=", "="]
    while !rest.isEmpty {
      rest = rest.drop { $0 == " " || $0 == "," }
      guard !rest.isEmpty else { break }
      let keyEnd = rest.firstIndex { "{=!+-:".contains($0) } ?? rest.endIndex
      let key = String(rest[..<keyEnd])
      rest = rest[keyEnd...]
      var attribute: String?
      if rest.first == "{" {
        guard let close = rest.firstIndex(of: "}") else {
          throw HarnessError(description: "unclosed { in \(line)")
        }
        attribute = String(rest[rest.index(after: rest.startIndex)..<close])
        rest = rest[rest.index(after: close)...]
      }
      guard let operation = operators.first(where: { rest.hasPrefix($0) }) else {
        throw HarnessError(description: "no operator after \(key) in \(line)")
      }
      rest = rest.dropFirst(operation.count)
      guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else {
        throw HarnessError(description: "unquoted value for \(key) in \(line)")
      }
      let value = String(rest[rest.index(after: rest.startIndex)..<close])
      rest = rest[rest.index(after: close)...]
      items.append(Assignment(key: key, attribute: attribute, operation: operation, value: value))
    }
    return items
  }

  static func rules() throws -> [[Assignment]] {
    try Harness.read(rulesPath).split(separator: "\n").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    .filter { !$0.isEmpty && !$0.hasPrefix("#") }.map { try parse($0) }
  }

  /// A device in the chain udev walks for ATTRS: the node itself, then its parents.
  struct SysDevice {
    var path: String
    var properties: [String: String]
    var attributes: [String: String]
  }

  /// The event nodes of a `.umockdev` file, each with its parent chain.
  static func eventNodes(in file: String) -> [(node: SysDevice, chain: [SysDevice])] {
    var devices: [SysDevice] = []
    for block in Harness.read(file).components(separatedBy: "\n\n") {
      var device = SysDevice(path: "", properties: [:], attributes: [:])
      for line in block.split(separator: "\n") {
        let text = String(line)
        if text.hasPrefix("P: ") { device.path = String(text.dropFirst(3)) }
        for (prefix, isProperty) in [("E: ", true), ("A: ", false)] where text.hasPrefix(prefix) {
          let pair = text.dropFirst(3).split(
            separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
          let value = pair.count > 1 ? String(pair[1]) : ""
          if isProperty {
            device.properties[String(pair[0])] = value
          } else {
            device.attributes[String(pair[0])] = value
          }
        }
      }
      if !device.path.isEmpty { devices.append(device) }
    }
    return devices.filter { $0.path.split(separator: "/").last?.hasPrefix("event") == true }.map {
      node in
      let parents = devices.filter { node.path.hasPrefix($0.path + "/") }
        .sorted { $0.path.count > $1.path.count }
      return (node, [node] + parents)
    }
  }

  /// udev's glob: `*`, `?`, `[…]` and `|` alternatives.
  static func globMatches(_ pattern: String, _ value: String) -> Bool {
    pattern.split(separator: "|", omittingEmptySubsequences: false).contains {
      fnmatch(String($0), value, 0) == 0
    }
  }

  /// The tags the rules give `node` on "add".
  static func tags(for node: SysDevice, chain: [SysDevice], rules: [[Assignment]]) -> Set<String> {
    var tags = Set<String>()
    var skippingTo: String?
    let kernel = String(node.path.split(separator: "/").last ?? "")
    for rule in rules {
      if let label = skippingTo {
        if rule.contains(where: { $0.key == "LABEL" && $0.value == label }) { skippingTo = nil }
        continue
      }
      let matches = rule.filter { $0.operation == "==" || $0.operation == "!=" }
      var matched = true
      var attrsMatched: [Assignment] = []
      for item in matches {
        let actual: String?
        switch item.key {
        case "ACTION": actual = "add"
        case "SUBSYSTEM": actual = node.properties["SUBSYSTEM"]
        case "KERNEL": actual = kernel
        case "ENV": actual = node.properties[item.attribute ?? ""]
        case "ATTRS":
          attrsMatched.append(item)
          continue
        default: actual = nil
        }
        let equal = actual.map { globMatches(item.value, $0) } ?? (item.value.isEmpty)
        if equal != (item.operation == "==") { matched = false }
      }
      if !attrsMatched.isEmpty {
        // All ATTRS keys of one rule must match on the same device of the chain.
        matched =
          matched
          && chain.contains { device in
            attrsMatched.allSatisfy { item in
              device.attributes[item.attribute ?? ""].map { globMatches(item.value, $0) } == true
            }
          }
      }
      guard matched else { continue }
      for item in rule where item.key == "TAG" && item.operation == "+=" { tags.insert(item.value) }
      if let jump = rule.first(where: { $0.key == "GOTO" }) { skippingTo = jump.value }
    }
    return tags
  }

  @Test("syntax: known keys, match keys compare, assignment keys assign, GOTO targets exist")
  func syntax() throws {
    let rules = try Self.rules()
    #expect(rules.count > 5)
    let matchKeys: Set = ["ACTION", "SUBSYSTEM", "KERNEL", "ENV", "ATTRS"]
    let assignKeys: Set = ["TAG", "GOTO", "LABEL"]
    var labels = Set<String>()
    for rule in rules {
      for item in rule {
        #expect(matchKeys.contains(item.key) || assignKeys.contains(item.key), "\(item.key)")
        if assignKeys.contains(item.key) {
          #expect(item.operation == "=" || item.operation == "+=", "\(item)")
        } else {
          #expect(item.operation == "==" || item.operation == "!=", "\(item)")
        }
        if item.key == "ENV" || item.key == "ATTRS" { #expect(item.attribute?.isEmpty == false) }
        if item.key == "LABEL" { labels.insert(item.value) }
      }
    }
    for rule in rules {
      for item in rule where item.key == "GOTO" { #expect(labels.contains(item.value)) }
    }
    // uaccess only: no MODE/GROUP/OWNER that would open nodes to everyone.
    #expect(!Harness.read(Self.rulesPath).contains("MODE="))
  }

  @Test("sorts after 60-input-id.rules and before 73-seat-late.rules")
  func ordering() {
    let name = URL(fileURLWithPath: Self.rulesPath).lastPathComponent
    #expect("60-input-id.rules" < name)
    #expect(name < "73-seat-late.rules")
  }

  @Test("every fixture's motion node gets uaccess; pads, touchpads and buttons do not")
  func tagsExactlyMotionNodes() throws {
    let rules = try Self.rules()
    for fixture in DeviceFixture.all {
      let motion = Set([fixture.motionEvent] + fixture.extraNodes.map(\.event))
      let nodes = Self.eventNodes(in: "\(Harness.fixturesDirectory)/\(fixture.name).umockdev")
      #expect(
        nodes.count == motion.count + (fixture.padEvent == nil ? 0 : 1)
          + (fixture.name == "dualsense-usb" ? 1 : 0))
      for (node, chain) in nodes {
        let event = Int(node.path.split(separator: "/").last?.dropFirst(5) ?? "") ?? -1
        let tagged = Self.tags(for: node, chain: chain, rules: rules).contains("uaccess")
        #expect(tagged == motion.contains(event), "\(fixture.name) event\(event)")
      }
    }
  }

  @Test("never keyboards or mice, even ones claiming to be accelerometers or Sony motion nodes")
  func neverKeyboards() throws {
    let rules = try Self.rules()
    let parent = SysDevice(
      path: "/devices/x/input/input1",
      properties: [:],
      attributes: ["name": "Evil Motion Sensors", "id/vendor": "054c", "id/product": "0ce6"])
    for guardProperty in ["ID_INPUT_KEYBOARD", "ID_INPUT_KEY", "ID_INPUT_MOUSE"] {
      let node = SysDevice(
        path: "/devices/x/input/input1/event1",
        properties: ["SUBSYSTEM": "input", "ID_INPUT_ACCELEROMETER": "1", guardProperty: "1"],
        attributes: [:])
      #expect(
        !Self.tags(for: node, chain: [node, parent], rules: rules).contains("uaccess"),
        "\(guardProperty)")
    }
    let plainAccelerometer = SysDevice(
      path: "/devices/platform/x/input/input2/event2",
      properties: ["SUBSYSTEM": "input", "ID_INPUT_ACCELEROMETER": "1"], attributes: [:])
    #expect(
      Self.tags(for: plainAccelerometer, chain: [plainAccelerometer], rules: rules).contains(
        "uaccess"))
    let js = SysDevice(
      path: "/devices/x/input/input1/js0",
      properties: ["SUBSYSTEM": "input", "ID_INPUT_ACCELEROMETER": "1"],
      attributes: [:])
    #expect(
      !Self.tags(for: js, chain: [js, parent], rules: rules).contains("uaccess"), "event nodes only"
    )
  }
}
