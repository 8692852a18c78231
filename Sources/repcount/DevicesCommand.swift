import ArgumentParser
import Foundation
import MotionInput

struct DevicesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices",
    abstract: "List motion sensors: node, name, ids, kind, device-table entry, paired pad, access.",
    discussion: """
      Finds evdev motion nodes through udev (ID_INPUT_ACCELEROMETER, plus the Wii Remote's \
      untagged nodes) and confirms each with libevdev. A node that is not readable gets the fix \
      (the udev rule in udev/70-repcount.rules).
      """)

  @Flag(help: "One JSON object per line instead of text.")
  var json = false

  @Flag(help: "Keep running and report motion sensors as they are plugged in and removed.")
  var watch = false

  func run() throws {
    let table = try loadDeviceTable()
    let udev = try UdevContext()
    // Subscribe before listing, so nothing plugged in meanwhile is missed.
    let hotplug = watch ? try HotplugMonitor(udev: udev) : nil
    let discovery = MotionDeviceDiscovery(udev: udev)
    let nodes = try discovery.motionNodes()
    if json {
      for node in nodes { printJSONLine(NodeReport(node, table: table, event: nil)) }
    } else {
      printNodes(nodes, table: table)
    }
    guard let hotplug else { return }
    let interrupt = try InterruptSignal.install()
    printError("watching for motion sensors (Ctrl-C to stop)…")
    flushStandardOutput()
    // Removals carry no name or capabilities any more: report the nodes we listed or saw added.
    var motionPaths = Set(nodes.map(\.devicePath))
    while let events = try hotplug.waitForEvents(
      timeoutMilliseconds: -1, interruptDescriptor: interrupt)
    {
      for event in events {
        report(event, known: &motionPaths, discovery: discovery, table: table)
      }
      flushStandardOutput()
    }
  }

  private func report(
    _ event: HotplugEvent, known motionPaths: inout Set<String>, discovery: MotionDeviceDiscovery,
    table: DeviceTable
  ) {
    switch event.action {
    case .added:
      // udev may announce a node twice (a re-trigger); report it once.
      guard event.isMotionCandidate, !motionPaths.contains(event.devicePath),
        let node = try? discovery.motionNode(at: event.devicePath)
      else { return }
      motionPaths.insert(node.devicePath)
      if json {
        printJSONLine(NodeReport(node, table: table, event: "add"))
      } else {
        print("added   \(event.devicePath)  \(node.name)")
        printDetails(node, table: table)
      }
    case .removed:
      guard motionPaths.remove(event.devicePath) != nil else { return }
      if json {
        printJSONLine(["event": "remove", "node": event.devicePath])
      } else {
        print("removed \(event.devicePath)")
      }
    }
  }

  private func printNodes(_ nodes: [MotionNode], table: DeviceTable) {
    if nodes.isEmpty {
      print(
        "No motion sensors found. Connect a controller (DualSense, DualShock, Joy-Con, Wii Remote,"
          + " Steam Deck) or check `repcount doctor`.")
      return
    }
    for node in nodes {
      print("\(node.devicePath)  \(node.name)")
      printDetails(node, table: table)
    }
    if nodes.contains(where: { $0.access == .permissionDenied }) {
      print("\nSome motion nodes are not readable.\n" + LiveDeviceError.permissionHint)
    }
  }

  private func printDetails(_ node: MotionNode, table: DeviceTable) {
    let report = NodeReport(node, table: table, event: nil)
    var parts = ["id \(report.id)", report.kind, "table: \(report.tableEntry ?? "none (generic)")"]
    parts.append("pad: \(report.pairedPad ?? "none")")
    parts.append(report.readable ? "readable" : "NOT readable (\(report.problem ?? "?"))")
    print("    " + parts.joined(separator: "  "))
  }
}

/// One node as `devices --json` prints it.
struct NodeReport: Encodable {
  var event: String?
  var node: String
  var name: String
  var id: String
  var bus: String
  var vendor: String
  var product: String
  var uniq: String
  var kind: String
  var tableEntry: String?
  var pairedPad: String?
  var readable: Bool
  var problem: String?

  init(_ node: MotionNode, table: DeviceTable, event: String?) {
    self.event = event
    self.node = node.devicePath
    name = node.name
    id = node.idString
    let parts = node.idString.split(separator: ":").map(String.init)
    bus = parts.count == 3 ? parts[0] : ""
    vendor = parts.count == 3 ? parts[1] : ""
    product = parts.count == 3 ? parts[2] : ""
    uniq = node.uniq
    kind = node.kind.rawValue
    tableEntry = table.entry(for: node.description)?.id
    pairedPad = node.pairedPadPath
    readable = node.access.isReadable
    switch node.access {
    case .readable: problem = nil
    case .permissionDenied: problem = "permission denied; install udev/70-repcount.rules"
    case .failed(let message): problem = message
    }
  }
}

/// The built-in device table plus the user's files (`$XDG_CONFIG_HOME/repcount/devices`).
func loadDeviceTable() throws -> DeviceTable {
  try DeviceTable.load(extraDirectories: DeviceTable.defaultUserDirectories())
}

func printJSONLine<Value: Encodable>(_ value: Value) {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  guard let data = try? encoder.encode(value), let line = String(data: data, encoding: .utf8)
  else { return }
  print(line)
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

func flushStandardOutput() {
  fflush(nil)
}
