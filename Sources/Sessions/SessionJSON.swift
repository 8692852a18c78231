import Foundation
import MotionCore

/// A JSON value that keeps its object keys in the order written, so JSON Lines read well.
public indirect enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case integer(Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    lhs.text == rhs.text
  }

  /// A finite number, or `null` (JSON has no NaN).
  public static func finite(_ value: Double?) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    return .number(value)
  }

  /// A finite number rounded to `digits` decimals, the precision the measurement carries, or
  /// `null`.
  public static func finite(_ value: Double?, digits: Int) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    let scale = pow(10, Double(digits))
    return .number((value * scale).rounded() / scale)
  }

  /// Compact JSON text on one line.
  public var text: String {
    var output = ""
    write(to: &output)
    return output
  }

  private func write(to output: inout String) {
    switch self {
    case .null: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .integer(let value): output += String(value)
    case .number(let value):
      if value.isFinite {
        // Round to microunits: device times and degrees need no more, and lines stay short.
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 {
          output += String(Int64(rounded))
        } else {
          output += String(rounded)
        }
      } else {
        output += "null"
      }
    case .string(let value): Self.writeString(value, to: &output)
    case .array(let values):
      output += "["
      for (index, value) in values.enumerated() {
        if index > 0 { output += "," }
        value.write(to: &output)
      }
      output += "]"
    case .object(let fields):
      output += "{"
      for (index, (key, value)) in fields.enumerated() {
        if index > 0 { output += "," }
        Self.writeString(key, to: &output)
        output += ":"
        value.write(to: &output)
      }
      output += "}"
    }
  }

  private static func writeString(_ value: String, to output: inout String) {
    output += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case let control where control.value < 0x20:
        output += String(format: "\\u%04x", control.value)
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}

/// The `session --json` lines. Scripts depend on these names: add fields, never rename.
///
/// - `{"event":"rep",...}` for every repetition, with the same fields (and order, and time
///   origin: seconds since the run's first frame) as `count --json` plus
///   `step`, `counted`, `stepCount`, `sequence` and `flags`. A repetition first printed with
///   `"counted":false` may be printed again with the same `sequence` and `"counted":true` for
///   the next step, when the tracker sees that the user had moved on; the last line per
///   `sequence` is the one that holds.
/// - `{"event":"step",...}` when each step ends, in plan order (also for steps never started).
/// - `{"event":"summary",...}` at the end.
/// - `{"event":"adjust",...}` after a manual −1, `{"event":"pause",...}` after a long pause.
public enum SessionJSON {
  /// The fields of a `count --json` repetition line, in order; times in seconds since
  /// `originSeconds` (the first frame of the run), each number to the precision it carries.
  public static func repFields(_ event: RepEvent, originSeconds: Double) -> [(String, JSONValue)] {
    var fields: [(String, JSONValue)] = [
      ("event", .string("rep")),
      ("exercise", .string(event.exercise.rawValue)),
      ("index", .integer(event.index)),
      ("start", .finite(event.startSeconds - originSeconds, digits: 3)),
      ("end", .finite(event.endSeconds - originSeconds, digits: 3)),
    ]
    if let direction = event.direction { fields.append(("direction", .string(direction.rawValue))) }
    if let side = event.side { fields.append(("side", .string(side.rawValue))) }
    fields.append(("rangeDegrees", .finite(event.metrics.rangeDegrees, digits: 2)))
    if let tilt = event.metrics.bodyTilt {
      fields += [
        ("sagittalDegrees", .finite(tilt.sagittalDegrees, digits: 2)),
        ("lateralDegrees", .finite(tilt.lateralDegrees, digits: 2)),
      ]
    }
    fields += [
      ("durationSeconds", .finite(event.durationSeconds, digits: 3)),
      ("peakAngularVelocityDPS", .finite(event.metrics.peakAngularVelocityDPS, digits: 1)),
      ("smoothness", .finite(event.metrics.smoothness, digits: 2)),
      ("partial", .bool(event.isPartial)),
    ]
    return fields
  }

  public static func line(for event: SessionEvent, originSeconds: Double = 0) -> String {
    switch event {
    case .rep(let rep): return repLine(rep, originSeconds: originSeconds)
    case .stepEnded(let result): return stepLine(result)
    case .removed(let stepIndex, let stepCount):
      return JSONValue.object([
        ("event", .string("adjust")), ("step", .integer(stepIndex)), ("delta", .integer(-1)),
        ("stepCount", .integer(stepCount)),
      ]).text
    case .longPause(let stepIndex, let seconds):
      return JSONValue.object([
        ("event", .string("pause")), ("step", .integer(stepIndex)), ("seconds", .finite(seconds)),
      ]).text
    }
  }

  public static func repLine(_ rep: SessionRep, originSeconds: Double = 0) -> String {
    JSONValue.object(
      repFields(rep.event, originSeconds: originSeconds) + [
        ("step", .integer(rep.stepIndex)),
        ("counted", .bool(rep.counted)),
        ("stepCount", .integer(rep.stepCount)),
        ("sequence", .integer(rep.sequence)),
        ("flags", .array(rep.flags.map { .string($0.rawValue) })),
      ] + (rep.referenceSimilarity.map { [("referenceSimilarity", .finite($0))] } ?? [])
    ).text
  }

  public static func stepLine(_ result: StepResult) -> String {
    var fields: [(String, JSONValue)] = [
      ("event", .string("step")),
      ("index", .integer(result.index)),
      ("exercise", .string(result.step.exercise.rawValue)),
    ]
    if let side = result.step.side { fields.append(("side", .string(side.rawValue))) }
    if let direction = result.step.direction {
      fields.append(("direction", .string(direction.rawValue)))
    }
    let feedback = result.feedback
    fields += [
      ("target", .integer(result.step.targetReps)),
      ("count", .integer(result.count)),
      ("partial", .integer(result.partialCount)),
      ("manual", .integer(result.manualAdjustment)),
      ("ending", .string(result.ending.rawValue)),
      ("flags", .array(result.flags.map { .string($0.rawValue) })),
      ("medianRangeDegrees", .finite(feedback.medianRangeDegrees)),
      ("medianDurationSeconds", .finite(feedback.medianDurationSeconds)),
      ("tempoCV", .finite(feedback.tempoCoefficientOfVariation)),
      ("rangeCV", .finite(feedback.rangeCoefficientOfVariation)),
      ("rangeLostPercent", .finite(feedback.rangeLostPercent)),
    ]
    return JSONValue.object(fields).text
  }

  /// Where a session stopped before its plan was done: the step in progress (0-based, as step
  /// events count) and what it had counted. The session can be resumed from there.
  public struct StopPoint: Hashable, Sendable {
    public var stepIndex: Int
    public var stepCount: Int
    public init(stepIndex: Int, stepCount: Int) {
      self.stepIndex = stepIndex
      self.stepCount = stepCount
    }
  }

  /// The last line of a session: `"status":"finished"`, or `"interrupted"` with the step it
  /// stopped at (Ctrl-C, `q`, the device gone) and only the steps that ended before it.
  public static func summaryLine(
    _ summary: SessionSummary, sessionID: Int64?, stoppedAt: StopPoint? = nil
  ) -> String {
    var fields: [(String, JSONValue)] = [
      ("event", .string("summary")),
      ("plan", .string(summary.planName)),
    ]
    if let sessionID { fields.append(("session", .integer(Int(sessionID)))) }
    fields.append(("status", .string(stoppedAt == nil ? "finished" : "interrupted")))
    if let stoppedAt {
      fields += [
        ("stoppedAtStep", .integer(stoppedAt.stepIndex)),
        ("stepCount", .integer(stoppedAt.stepCount)),
      ]
    }
    fields += [
      ("steps", .integer(summary.results.count)),
      ("stepsComplete", .integer(summary.completeSteps)),
      ("count", .integer(summary.countedReps)),
      ("target", .integer(summary.targetReps)),
      ("partial", .integer(summary.partialReps)),
      ("durationSeconds", .finite(summary.durationSeconds)),
      (
        "symmetry",
        .array(
          summary.symmetry.map { finding in
            .object([
              ("pair", .string(finding.label)),
              ("firstRangeDegrees", .finite(finding.firstRangeDegrees)),
              ("secondRangeDegrees", .finite(finding.secondRangeDegrees)),
              ("indexPercent", .finite(finding.indexPercent)),
              ("flagged", .bool(finding.isFlagged)),
            ])
          })
      ),
      ("flags", .array(summary.flags.map { .string($0.rawValue) })),
    ]
    return JSONValue.object(fields).text
  }
}
