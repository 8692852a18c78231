import ArgumentParser
import Foundation
import MotionInput

struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show what a recording (evemu or CSV) holds.",
    discussion: """
      Prints the device and the device-table entry that matched it, the duration and number \
      of frames, the effective rate and jitter, gaps and SYN_DROPPED events, whether there is \
      a gyroscope, and the gravity magnitude while the sensor was still (about 1 g; if not, \
      the units in the device table are wrong). With --json: one JSON object, every key \
      present (null when unknown).
      """)

  @Argument(help: "The recording: an evemu file or a CSV file.")
  var file: String

  @Flag(name: .long, help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let table = try DeviceTable.load(extraDirectories: DeviceTable.defaultUserDirectories())
    let inspection = try RecordingInspection.inspect(path: file, deviceTable: table)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      let data = try encoder.encode(inspection)
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(Self.describe(inspection))
    }
  }

  static func describe(_ report: RecordingInspection) -> String {
    func format(_ value: Double, _ digits: Int) -> String {
      String(format: "%.\(digits)f", value)
    }
    var lines: [String] = []
    lines.append("file:        \(report.path) (\(report.format))")
    lines.append("device:      \(report.deviceName)")
    lines.append("ids:         \(report.deviceIdentity) version \(report.deviceVersion)")
    if let id = report.tableEntryId {
      lines.append("table entry: \(id) (\(report.tableEntryName ?? id))")
    } else {
      lines.append("table entry: none (generic handling)")
    }
    lines.append("timestamps:  \(report.timestampModel)")
    lines.append("frames:      \(report.frameCount) over \(format(report.durationSeconds, 3)) s")
    if let rate = report.effectiveRateHz {
      var text = "rate:        \(format(rate, 1)) Hz"
      if let jitter = report.intervalJitterMilliseconds,
        let mean = report.meanIntervalMilliseconds
      {
        text += ", interval \(format(mean, 2)) ms ± \(format(jitter, 2)) ms (jitter)"
      }
      lines.append(text)
    }
    if let low = report.minimumIntervalMilliseconds, let high = report.maximumIntervalMilliseconds {
      lines.append("intervals:   \(format(low, 2))…\(format(high, 2)) ms")
    }
    lines.append("gaps:        \(report.gapCount) (SYN_DROPPED: \(report.synDroppedCount))")
    if report.heldPauseCount > 0 {
      lines.append(
        "pauses:      \(report.heldPauseCount) over \(RecordingInspection.heldPauseSeconds) s with"
          + " no event: nothing moved past the driver's fuzz filter (values held, nothing lost)")
    }
    if report.unterminatedEventCount > 0 {
      lines.append(
        "end:         the file stops inside a frame; \(report.unterminatedEventCount) event(s)"
          + " after the last SYN_REPORT were ignored")
    }
    lines.append("gyroscope:   \(report.hasGyroscope ? "yes" : "no")")
    if let gravity = report.stillGravityMagnitudeG {
      var text =
        "still:       \(format(report.stillSeconds, 1)) s, gravity \(format(gravity, 3)) g"
      if let vector = report.stillGravityVectorG {
        text += " (\(vector.map { format($0, 2) }.joined(separator: ", ")))"
      }
      if abs(gravity - 1) > 0.15 {
        text += "  ← not about 1 g: the units in the device table are probably wrong"
      }
      lines.append(text)
    } else {
      lines.append("still:       never (no gravity check possible)")
    }
    return lines.joined(separator: "\n")
  }
}
