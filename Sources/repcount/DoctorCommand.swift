import ArgumentParser
import Foundation
import MotionInput

struct DoctorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract: "Check the udev rule, motion-node permissions, and each sensor's real report rate.",
    discussion: """
      Exits non-zero when something is wrong, saying what to do. The rule is looked for in \
      /etc/udev/rules.d, /usr/lib/udev/rules.d and /lib/udev/rules.d (or the directories in \
      --rules-dir / $REPCOUNT_UDEV_RULES_DIRS, colon-separated).
      """)

  @Option(help: "Seconds to measure each readable sensor.")
  var seconds: Double = 3

  @Option(
    name: .customLong("rules-dir"),
    help: "A udev rules directory to search (repeatable; replaces the default list).")
  var rulesDirectories: [String] = []

  func validate() throws {
    if !(seconds > 0) { throw ValidationError("--seconds must be positive") }
  }

  func run() throws {
    var problems = 0
    problems += checkRules()

    let table = try loadDeviceTable()
    let udev = try UdevContext()
    let nodes = try MotionDeviceDiscovery(udev: udev).motionNodes()
    if nodes.isEmpty {
      report(
        false,
        "no motion sensor found. Connect a controller (DualSense, DualShock 4/3, Joy-Con, Pro"
          + " Controller, Wii Remote, Steam Deck) and run `repcount devices`.")
      problems += 1
    }
    for node in nodes {
      switch node.access {
      case .readable:
        report(true, "\(node.devicePath) (\(node.name)) is readable")
      case .permissionDenied:
        report(
          false,
          "\(node.devicePath) (\(node.name)) is not readable.\n" + LiveDeviceError.permissionHint)
        problems += 1
      case .failed(let message):
        report(false, "\(node.devicePath) (\(node.name)): \(message)")
        problems += 1
      }
    }
    for node in nodes where node.access.isReadable && node.kind != .gyroscope {
      problems += measure(node, table: table, udev: udev)
    }
    flushStandardOutput()
    if problems > 0 {
      throw DoctorFailed(count: problems)
    }
    print("All good.")
  }

  private func report(_ good: Bool, _ message: String) {
    print((good ? "ok    " : "FAIL  ") + message)
  }

  /// Looks for the rule file; 1 when missing or misnumbered.
  private func checkRules() -> Int {
    var directories = rulesDirectories
    if directories.isEmpty,
      let fromEnvironment = ProcessInfo.processInfo.environment["REPCOUNT_UDEV_RULES_DIRS"]
    {
      directories = fromEnvironment.split(separator: ":").map(String.init)
    }
    if directories.isEmpty {
      directories = ["/etc/udev/rules.d", "/usr/lib/udev/rules.d", "/lib/udev/rules.d"]
    }
    for directory in directories {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      for file in files.sorted() where file.hasSuffix(".rules") && file.contains("repcount") {
        let path = directory + "/" + file
        let number = Int(file.prefix { $0.isNumber }) ?? 99
        if number >= 73 {
          report(
            false,
            "\(path) sorts after 73-seat-late.rules, so its uaccess tag never becomes an ACL."
              + " Rename it to 70-repcount.rules.")
          return 1
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard text.contains("uaccess") else {
          report(false, "\(path) does not grant uaccess; reinstall udev/70-repcount.rules.")
          return 1
        }
        report(true, "udev rule installed: \(path)")
        return 0
      }
    }
    report(
      false,
      "repcount's udev rule is not installed (looked in \(directories.joined(separator: ", "))).\n"
        + "      Install it: sudo install -m 644 udev/70-repcount.rules /etc/udev/rules.d/\n"
        + "      then: sudo udevadm control --reload && sudo udevadm trigger --action=change"
        + " --subsystem-match=input")
    return 1
  }

  /// Reads `node` for `seconds` and prints its rates; 1 when it delivered nothing.
  private func measure(_ node: MotionNode, table: DeviceTable, udev: UdevContext) -> Int {
    do {
      let reader = try LiveEventReader(
        devicePath: node.devicePath, waitForDevice: false, udev: udev, notice: { printError($0) })
      var assembler = try FrameAssembler(
        device: reader.device, entry: table.entry(for: reader.device))
      var meter = ReportRateMeter()
      let deadline = ContinuousClock.now + .milliseconds(Int64((seconds * 1000).rounded()))
      while true {
        let left = ContinuousClock.now.duration(to: deadline)
        if left <= .zero { break }
        let milliseconds =
          left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
        guard
          case .event(let event) = try reader.next(
            timeoutMilliseconds: Int32(clamping: milliseconds))
        else { continue }
        meter.observe(event)
        if let frame = assembler.consume(event) { meter.observe(frame) }
      }
      guard meter.frameCount > 1, let rate = meter.frames.rateHz else {
        report(
          false,
          "\(node.devicePath) (\(node.name)) sent \(meter.frameCount) frames in \(seconds) s."
            + " Move the controller; a Steam Deck sends motion only in gamepad mode or while"
            + " Steam does not hold it; a Wii Remote only while its node is open.")
        return 1
      }
      var line =
        "\(node.devicePath): \(meter.frameCount) frames, "
        + String(
          format: "%.1f Hz by the device clock, jitter %.2f ms, longest gap %.1f ms",
          rate, meter.frames.standardDeviationSeconds * 1000, meter.frames.maximumSeconds * 1000)
      // Arrival times show what a synthetic device clock hides (hid-steam's fixed 4 ms step).
      if let reportRate = meter.reports.rateHz {
        line += String(
          format: "; arrivals %.1f reports/s, arrival jitter %.2f ms", reportRate,
          meter.reports.standardDeviationSeconds * 1000)
        if meter.reportCount != meter.frameCount { line += " (several samples per report)" }
      }
      if meter.lossCount > 0 { line += "; \(meter.lossCount) losses (SYN_DROPPED or gaps)" }
      report(meter.lossCount == 0, line)
      return meter.lossCount == 0 ? 0 : 1
    } catch {
      report(false, "\(node.devicePath) (\(node.name)): \(error)")
      return 1
    }
  }
}

struct DoctorFailed: Error, CustomStringConvertible {
  var count: Int
  var description: String { "\(count) problem\(count == 1 ? "" : "s") found (see above)." }
}
