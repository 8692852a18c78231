import Foundation
import Testing

/// One line of `repcount devices --json`.
struct ListedNode: Decodable {
  var event: String?
  var node: String
  // Absent on a `--watch` removal line.
  var name: String?
  var id: String?
  var uniq: String?
  var kind: String?
  var tableEntry: String?
  var pairedPad: String?
  var readable: Bool?
  var problem: String?

  static func parse(_ output: String) throws -> [ListedNode] {
    try output.split(separator: "\n").map {
      try JSONDecoder().decode(ListedNode.self, from: Data($0.utf8))
    }
  }
}

@Suite("Discovery and classification under umockdev")
struct DiscoveryIntegrationTests {
  @Test("every fixture is found, classified, matched and paired", arguments: DeviceFixture.all)
  func classifiesFixture(_ fixture: DeviceFixture) throws {
    let result = try Harness.repcount(
      ["devices", "--json"], devices: [fixture.umockdevArguments(events: nil)])
    #expect(result.status == 0, "\(result.standardError)")
    let nodes = try ListedNode.parse(result.standardOutput)
    // Only motion nodes: never the gamepad, touchpad or buttons node.
    #expect(
      nodes.map(\.node) == [fixture.motionPath]
        + fixture.extraNodes.map { "/dev/input/event\($0.event)" })
    guard let motion = nodes.first(where: { $0.node == fixture.motionPath }) else { return }
    #expect(motion.kind == fixture.kind)
    #expect(motion.id == fixture.id)
    #expect(motion.tableEntry == fixture.tableEntry)
    #expect(motion.uniq == fixture.uniq)
    #expect(motion.pairedPad == fixture.padEvent.map { "/dev/input/event\($0)" })
    #expect(motion.readable == true)
    #expect(motion.problem == nil)
    for extra in fixture.extraNodes {
      let node = nodes.first { $0.node == "/dev/input/event\(extra.event)" }
      #expect(node?.kind == extra.kind)
      #expect(node?.tableEntry == extra.tableEntry)
      #expect(node?.pairedPad == fixture.padEvent.map { "/dev/input/event\($0)" })
    }
  }

  @Test("all fixtures at once: 14 motion nodes, each paired with its own pad")
  func allFixturesTogether() throws {
    let result = try Harness.repcount(
      ["devices", "--json"], devices: DeviceFixture.all.map { $0.umockdevArguments(events: nil) })
    #expect(result.status == 0, "\(result.standardError)")
    let nodes = try ListedNode.parse(result.standardOutput)
    let expected = DeviceFixture.all.flatMap { fixture in
      [fixture.motionEvent] + fixture.extraNodes.map(\.event)
    }
    #expect(nodes.map(\.node) == expected.sorted().map { "/dev/input/event\($0)" })
    for fixture in DeviceFixture.all {
      let node = nodes.first { $0.node == fixture.motionPath }
      #expect(
        node?.pairedPad == fixture.padEvent.map { "/dev/input/event\($0)" }, "\(fixture.name)")
    }
  }

  @Test("text output names the node, kind, table entry, pad and access")
  func humanOutput() throws {
    let fixture = DeviceFixture.named("joycon-right-old")
    let result = try Harness.repcount(
      ["devices"], devices: [fixture.umockdevArguments(events: nil)])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("/dev/input/event81  Nintendo Switch Right Joy-Con IMU"))
    #expect(result.standardOutput.contains("id 0005:057e:2007"))
    #expect(result.standardOutput.contains("accelerometer+gyroscope"))
    #expect(result.standardOutput.contains("table: nintendo-joycon-right"))
    #expect(result.standardOutput.contains("pad: /dev/input/event80"))
    #expect(result.standardOutput.contains("readable"))
  }

  @Test("no motion sensor: says so")
  func nothingConnected() throws {
    // An empty testbed: udev knows no input devices at all.
    let result = try Harness.repcount(["devices"], devices: [])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("No motion sensors found"))
  }
}

@Suite("Fixtures as an independent libevdev client sees them")
struct FixtureDescriptionTests {
  /// `evemu-describe` (evemu-tools, its own libevdev code) and `repcount record` look at the
  /// same umockdev node: both must see the same device, line for line, so the fixtures are
  /// valid evdev nodes and repcount's recordings carry evemu-record's description.
  @Test("evemu-describe and repcount's recording header agree", arguments: DeviceFixture.all)
  func describeMatchesRecordingHeader(_ fixture: DeviceFixture) throws {
    guard let describe = Harness.executableInPath("evemu-describe") else {
      throw HarnessError(description: "evemu-describe not found: install evemu-tools")
    }
    let directory = try Harness.temporaryDirectory()
    let described = try Harness.run(
      try Harness.umockdevRun(),
      fixture.umockdevArguments(events: nil) + ["--", describe, fixture.motionPath])
    #expect(described.status == 0, "\(described.standardError)")
    let recorded = try recordLive(fixture, frames: 1)
    #expect(recorded.result.status == 0)
    func header(_ text: String) -> [Substring] {
      text.split(separator: "\n").filter { line in
        ["N:", "I:", "P:", "B:", "A:"].contains { line.hasPrefix($0) }
      }
    }
    let expected = header(described.standardOutput)
    #expect(expected.count > 20)
    #expect(header(Harness.read(recorded.evemuPath)) == expected)
    try? FileManager.default.removeItem(atPath: directory)
  }
}
