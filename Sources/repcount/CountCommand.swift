import ArgumentParser
import Foundation
import MotionCore
import MotionInput
import Sessions

struct CountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "count",
    abstract: "Count repetitions live from a motion sensor, or from a recording.",
    discussion: """
      Prints a line per repetition as it happens and a summary at the end (Ctrl-C ends a live \
      count). Hip rolls get their direction (clockwise or counter-clockwise seen from above), \
      knee lifts their side when --profile gives a calibration. Repetitions too small or \
      unfinished are shown as partial and not counted.

      With a calibration, each repetition also gets its tilt about the body's own axes: \
      sagittal (about the body's right: leaning forward and back, or the pelvis tilting toward \
      head or feet lying down) and lateral (toward the body's right or left), each its range in \
      degrees ("sagittalDegrees", "lateralDegrees" in --json).

      With --json: JSON Lines, one {"event":"rep",...} object per repetition and one \
      {"event":"summary",...} at the end; times are seconds since the first frame.

      Examples:
        repcount count --device auto --exercise hip-roll
        repcount count --input session.evemu --exercise twist --json
      """)

  @OptionGroup var input: InputOptions

  @Option(
    help: """
      knee-lift, twist, hip-roll or any (any repetitive movement that rests at one end: a \
      generic counter, much less exact than the exercises' own; see `repcount eval --generic`).
      """)
  var exercise: String

  @Option(
    help: ArgumentHelp(
      "Calibration profile (JSON, from `repcount calibrate`) for knee-lift sides and tilt about "
        + "the body's axes. Default: the profile stored for the live device, if any; without one "
        + "the side is unknown.",
      valueName: "file"))
  var profile: String?

  @Flag(help: "Print JSON Lines instead of the human view.")
  var json = false

  /// Developer aid: per-frame hip-roll detector state to this file (time, tilt x/y, phase).
  @Option(help: .hidden)
  var trace: String?

  func validate() throws {
    guard Exercise(rawValue: exercise) != nil else {
      throw ValidationError(
        "unknown exercise \"\(exercise)\"; use one of: "
          + Exercise.allCases.map(\.rawValue).joined(separator: ", "))
    }
  }

  func run() throws {
    guard let exercise = Exercise(rawValue: exercise) else { return }
    var source = try input.openFrameSource(notice: { printError($0) })
    if !json, let live = source as? LiveMotionSource {
      printError("counting \(exercise.rawValue) on \(live.devicePath)… (Ctrl-C to stop)")
    }
    let bodyProfile = try resolveBodyProfile(
      explicitPath: profile, liveDevice: input.device != nil ? source.device : nil,
      notice: { printError($0) })
    var session = CountingSession(
      detector: makeRepDetector(for: exercise, profile: bodyProfile),
      printer: RepPrinter(json: json, exercise: exercise))
    session.bodyTilt = bodyProfile.flatMap { BodyTiltRecorder(profile: $0) }
    var failure: (any Error)?
    var traceLines: [String] = []
    do {
      while let frame = try source.nextFrame() {
        if session.firstTimeSeconds == nil,
          let note = accelerometerOnlyTwistNote(firstFrame: frame, exercises: [exercise])
        {
          printError(note)
        }
        session.process(frame)
        if trace != nil, let hip = session.detector as? HipRollDetector {
          traceLines.append(
            "\(frame.timeSeconds) \(hip.tiltDegrees.x) \(hip.tiltDegrees.y) "
              + "\(hip.phaseTravelRadians) \(hip.isTracking)")
        }
      }
    } catch {
      // Report what was counted before the input failed, then the error.
      failure = error
    }
    session.finish()
    if let trace {
      try traceLines.joined(separator: "\n").write(toFile: trace, atomically: true, encoding: .utf8)
    }
    if let failure { throw failure }
  }
}

/// Feeds frames to a detector and the printer, and keeps the tallies for the summary.
struct CountingSession {
  var detector: any RepDetector
  var printer: RepPrinter
  /// With a calibration: each repetition's tilt about the body's own axes.
  var bodyTilt: BodyTiltRecorder?
  private(set) var firstTimeSeconds: Double?
  private(set) var lastTimeSeconds = 0.0
  private(set) var tally = RepTally()

  init(detector: any RepDetector, printer: RepPrinter) {
    self.detector = detector
    self.printer = printer
  }

  mutating func process(_ frame: MotionFrame) {
    if firstTimeSeconds == nil { firstTimeSeconds = frame.timeSeconds }
    lastTimeSeconds = frame.timeSeconds
    bodyTilt?.process(frame)
    if let event = detector.process(frame) { report(event) }
  }

  mutating func finish() {
    for event in detector.finish() { report(event) }
    printSummary()
  }

  /// The summary of what was counted so far, the detector left running (the demo hands it on to
  /// the next set of the same exercise, as a session's detectors run throughout).
  func printSummary() {
    let seconds = firstTimeSeconds.map { lastTimeSeconds - $0 } ?? 0
    printer.printSummary(tally, seconds: seconds)
    if let note = gyroBiasNote(detector.gyroBias) { printError(note) }
  }

  private mutating func report(_ detected: RepEvent) {
    let event = bodyTilt?.annotated(detected) ?? detected
    tally.add(event)
    printer.printRep(event, origin: firstTimeSeconds ?? 0, tally: tally)
  }
}

/// Counts per direction and side.
struct RepTally {
  var total = 0
  var partial = 0
  var clockwise = 0
  var counterclockwise = 0
  var right = 0
  var left = 0
  var unknownSide = 0

  mutating func add(_ event: RepEvent) {
    guard !event.isPartial else {
      partial += 1
      return
    }
    total += 1
    switch event.direction {
    case .clockwise: clockwise += 1
    case .counterclockwise: counterclockwise += 1
    case nil: break
    }
    switch event.side {
    case .right: right += 1
    case .left: left += 1
    case .unknown: unknownSide += 1
    case nil: break
    }
  }
}

/// Human lines or JSON Lines, each written and flushed at once (scripts read them live).
struct RepPrinter {
  var json: Bool
  var exercise: Exercise
  /// Prefix for human lines (the demo indents its per-set view).
  var indent = ""

  func printRep(_ event: RepEvent, origin: Double, tally: RepTally) {
    if json {
      writeLine(JSONValue.object(SessionJSON.repFields(event, originSeconds: origin)).text)
      return
    }
    writeLine(indent + humanLine(event, origin: origin, tally: tally))
  }

  func humanLine(_ event: RepEvent, origin: Double, tally: RepTally) -> String {
    var details: [String] = []
    if let direction = event.direction {
      details.append(direction == .clockwise ? "clockwise" : "counter-clockwise")
    }
    if let side = event.side, side != .unknown { details.append("\(side.rawValue) side") }
    if event.metrics.rangeDegrees.isFinite {
      var range = "range " + fixed(event.metrics.rangeDegrees, digits: 1) + "°"
      if let tilt = event.metrics.bodyTilt {
        range +=
          " (sagittal " + fixed(tilt.sagittalDegrees, digits: 1) + "°, lateral "
          + fixed(tilt.lateralDegrees, digits: 1) + "°)"
      }
      details.append(range)
    }
    details.append(fixed(event.durationSeconds, digits: 1) + " s")
    let at = "[" + fixed(event.endSeconds - origin, digits: 1) + " s]"
    if event.isPartial {
      return "   –  partial \(exercise.noun) (not counted): " + details.joined(separator: ", ")
        + "  " + at
    }
    let count = String(repeating: " ", count: max(0, 4 - "\(tally.total)".count)) + "\(tally.total)"
    return "\(count)  \(exercise.noun): " + details.joined(separator: ", ") + "  " + at
  }

  func printSummary(_ tally: RepTally, seconds: Double) {
    if json {
      var fields: [(String, JSONValue)] = [
        ("event", .string("summary")), ("exercise", .string(exercise.rawValue)),
        ("total", .integer(tally.total)),
      ]
      switch exercise {
      case .hipRoll:
        fields += [
          ("clockwise", .integer(tally.clockwise)),
          ("counterclockwise", .integer(tally.counterclockwise)),
        ]
      case .kneeLift:
        fields += [
          ("right", .integer(tally.right)), ("left", .integer(tally.left)),
          ("unknownSide", .integer(tally.unknownSide)),
        ]
      case .twist, .any:
        break
      }
      fields += [("partial", .integer(tally.partial)), ("seconds", .finite(seconds, digits: 1))]
      writeLine(JSONValue.object(fields).text)
      return
    }
    writeLine(indent + summaryLine(tally, seconds: seconds))
  }

  func summaryLine(_ tally: RepTally, seconds: Double) -> String {
    var parts: [String] = []
    switch exercise {
    case .hipRoll:
      parts.append("\(tally.clockwise) clockwise, \(tally.counterclockwise) counter-clockwise")
    case .kneeLift:
      parts.append("\(tally.right) right, \(tally.left) left, \(tally.unknownSide) side unknown")
    case .twist, .any:
      break
    }
    parts.append("\(tally.partial) partial")
    parts.append(fixed(seconds, digits: 1) + " s")
    return "Total: \(tally.total) \(exercise.noun)s (" + parts.joined(separator: "; ") + ")"
  }
}

extension Exercise {
  /// How a repetition is called in human output.
  var noun: String {
    switch self {
    case .kneeLift: return "knee lift"
    case .twist: return "twist"
    case .hipRoll: return "hip roll"
    case .any: return "repetition"
    }
  }
}

/// Fixed-point formatting without trailing noise ("9.5", "-6.12").
func fixed(_ value: Double, digits: Int) -> String {
  String(format: "%.\(digits)f", value)
}

/// Writes one line to standard output and flushes it at once.
func writeLine(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
