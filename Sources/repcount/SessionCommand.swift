import ArgumentParser
import Foundation
import MotionCore
import MotionInput
import Sessions

#if canImport(Glibc)
  import Glibc
#endif

struct SessionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "session",
    abstract: "Follow a plan: count each step, check direction and side, remember it all.",
    discussion: """
      Plans: the built-in 'back-basics' (default) and 'gentle', or a YAML file:
        name: my-morning
        steps:
          - exercise: knee-lift     # knee-lift | twist | hip-roll | any
            side: right             # knee lifts only
            reps: 10
            tempo-seconds: [1, 8]   # optional: seconds per repetition
          - exercise: hip-roll
            direction: clockwise    # hip rolls only: clockwise | counterclockwise
            reps: 10

      A step ends at its target, or when you have moved on without reaching it, so a missed repetition never blocks the session: a few repetitions of the next step's exercise (or direction, or side) once half the target is done or after a pause of 10 s or more, or a single one after you came to rest in the next step's posture (lay down after the twists, stood up after the knee lifts). The step is then closed with what it counted and marked "moved on".

      Every repetition is saved to the history as it happens. If the session stops early (Ctrl-C, q, device unplugged, crash), `repcount session --resume` carries on where it stopped. Live keys on a terminal: + or ↑ adds one, - or ↓ takes one off, q stops.

      With --device, the controller's own buttons correct the count too, when its gamepad (or buttons) node is readable: R1 adds one and L1 takes one off on a DualSense, DualShock or Steam Deck; R and L on a Switch Pro Controller; SR and SL on a single Joy-Con (held sideways); Plus and Minus on a Wii Remote. Other controllers: the right and left shoulder buttons (BTN_TR, BTN_TL), or what a device table entry names (padButtons, see Calibration/README.md).

      --json prints JSON Lines: {"event":"rep",...} per repetition, {"event":"step",...} when each step ends, then {"event":"summary","status":"finished",...}. A session stopped early ends with {"event":"summary","status":"interrupted","stoppedAtStep":N,"stepCount":C,...} instead: the steps that ended, and where --resume carries on.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Built-in plan name (back-basics, gentle) or a plan YAML file.", valueName: "name|file"))
  var plan: String?

  @OptionGroup var input: InputOptions

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Calibration profile (JSON, from `repcount calibrate`); gives knee-lift sides and the "
        + "reference repetitions your form is compared with. Default: "
        + "the profile stored for the live device, if any; without one, sides follow the plan.",
      valueName: "file"))
  var profile: String?

  @Flag(
    name: .long, help: "Print JSON Lines (rep, step and summary events) instead of the live view.")
  var json = false

  @Flag(name: .long, help: "Carry on the most recent session that stopped before its end.")
  var resume = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --input: replay at this multiple of real time (1 = as recorded; default: as fast as possible).",
      valueName: "factor"))
  var replaySpeed: Double?

  @OptionGroup var history: HistoryOptions

  func validate() throws {
    if resume && plan != nil {
      throw ValidationError("--resume continues the stored plan; leave out --plan.")
    }
    if let replaySpeed {
      guard input.input != nil else {
        throw ValidationError("--replay-speed applies to --input only.")
      }
      guard replaySpeed > 0, replaySpeed.isFinite else {
        throw ValidationError("--replay-speed must be a positive number.")
      }
    }
  }

  func run() throws {
    let store = try history.open()

    // Plan and tracker: fresh, or where the last unfinished session stopped. The input opens
    // before the history gets a session, so a wrong path leaves no empty session behind.
    let resumePoint = resume ? try store.resumePoint() : nil
    if resume && resumePoint == nil {
      throw ValidationError("No unfinished session to resume in \(store.path).")
    }
    let freshPlan = resume ? nil : try resolvePlan(plan ?? BuiltInPlans.defaultName)
    // Ctrl-C stops a live source's wait and, between frames, the replay of a recording.
    let interrupt = try InterruptSignal.install()
    var frames = try input.openFrameSource(notice: { sessionNotice($0) })
    let calibration = try resolveProfile(
      explicitPath: profile, liveDevice: input.device != nil ? frames.device : nil,
      notice: { sessionNotice($0) })
    let bodyProfile = calibration?.bodyProfile
    let references = referenceComparison(calibration)
    let detectorFactory: (Exercise) -> any RepDetector = { exercise in
      makeRepDetector(for: exercise, profile: bodyProfile)
    }

    let sessionPlan: Plan
    var tracker: SessionTracker
    let sessionID: Int64
    let segment: Int
    let source = input.input.map { "file \($0)" } ?? "device \(input.device ?? "auto")"
    if let point = resumePoint {
      sessionPlan = point.plan
      tracker = SessionTracker(
        plan: point.plan, detectorFactory: detectorFactory, resumeAtStep: point.stepIndex,
        resumeCount: point.stepCount, priorResults: point.priorResults,
        firstSequence: point.nextSequence, references: references, bodyProfile: bodyProfile)
      sessionID = point.session.id
      segment = try store.resumeSession(point.session.id)
      sessionNotice(
        "Resuming session \(sessionID) at step \(point.stepIndex + 1) (\(point.stepCount) counted)."
      )
    } else {
      sessionPlan = freshPlan ?? Plan(name: "empty", steps: [])
      tracker = SessionTracker(
        plan: sessionPlan, detectorFactory: detectorFactory, references: references,
        bodyProfile: bodyProfile)
      sessionID = try store.startSession(plan: sessionPlan, source: source, at: Date())
      segment = 1
    }
    // The controller's buttons correct the count, when its pad node can be read; which buttons
    // is the device table's choice for this controller.
    let liveSource = frames as? LiveMotionSource
    let liveReader = liveSource?.reader
    let padButtons = liveSource?.assembler.entry.padButtonsOrStandard ?? .standard
    let quiet = json
    let padNotice: (String) -> Void = { if !quiet { sessionNotice($0) } }
    var pad = liveReader.flatMap {
      PadButtons(motionNode: $0.devicePath, buttons: padButtons, notice: padNotice)
    }
    // After an unplug the pad node is gone too; the buttons follow the controller when it is back.
    var padReconnections = liveReader?.reconnections ?? 0
    let isTerminal = isatty(STDOUT_FILENO) == 1
    var view = LiveView(
      mode: json
        ? .plain
        : LiveView.mode(
          standardOutputIsTerminal: isTerminal, environment: ProcessInfo.processInfo.environment),
      plan: sessionPlan)
    // Keys only when a person is at a terminal and the frames come live (or paced like live).
    let keys = (input.device != nil || replaySpeed != nil) && !json ? TerminalKeys() : nil
    defer { keys?.restore() }

    if !json, let pad {
      sessionNotice("Buttons on \(pad.path): \(pad.summary).")
    }
    if !json {
      if !sessionPlan.summary.isEmpty {
        sessionOut(sessionPlan.name + ": " + sessionPlan.summary + "\n")
      }
      sessionOut(view.stepHeading(index: tracker.currentStepIndex))
      if keys != nil { sessionOut("(+/↑ add one, -/↓ take one off, q stop)\n") }
    }

    var trace = SignalTraceRecorder()
    var pendingSamples: [SignalSample] = []
    pendingSamples.reserveCapacity(64)
    var pacer = ReplayPacer(speed: replaySpeed)
    var stoppedEarly = false
    var deviceError: Error?
    // JSON times count from the first frame, as `count --json` does.
    var originSeconds: Double?

    func emit(_ events: [SessionEvent]) throws {
      for event in events {
        try store.record(event, session: sessionID, segment: segment, at: Date())
        if json {
          sessionOut(SessionJSON.line(for: event, originSeconds: originSeconds ?? 0) + "\n")
        } else {
          sessionOut(view.render(event))
        }
      }
      if !events.isEmpty, !json {
        sessionOut(
          view.statusLine(stepIndex: tracker.currentStepIndex, count: tracker.currentCount))
      }
    }

    frameLoop: while !tracker.isFinished {
      let frame: MotionFrame?
      do {
        frame = try frames.nextFrame()
      } catch {
        deviceError = error
        stoppedEarly = true
        break
      }
      guard let frame else {
        // A live source ends only on Ctrl-C; a recording at its end (or on Ctrl-C).
        stoppedEarly = input.device != nil || interrupted(interrupt)
        break
      }
      if originSeconds == nil {
        originSeconds = frame.timeSeconds
        if let note = accelerometerOnlyTwistNote(
          firstFrame: frame, exercises: sessionPlan.steps.map(\.exercise))
        {
          sessionNotice(note)
        }
      }
      pacer.wait(until: frame.timeSeconds)
      if let sample = trace.process(frame) {
        pendingSamples.append(sample)
        if pendingSamples.count >= 50 {
          try store.appendSignal(pendingSamples, session: sessionID, segment: segment)
          pendingSamples.removeAll(keepingCapacity: true)
        }
      }
      try emit(tracker.process(frame))
      if let liveReader, liveReader.reconnections != padReconnections {
        padReconnections = liveReader.reconnections
        pad = nil  // closes the dead node before the new one opens
        pad = PadButtons(
          motionNode: liveReader.devicePath, buttons: padButtons, notice: padNotice)
        if !json, let pad {
          sessionNotice("Buttons back on \(pad.path): \(pad.summary).")
        }
      }
      for key in (keys?.pendingKeys() ?? []) + (pad?.pendingKeys() ?? []) {
        switch key {
        case .plusOne: try emit(tracker.adjustCount(by: 1, atSeconds: frame.timeSeconds))
        case .minusOne: try emit(tracker.adjustCount(by: -1, atSeconds: frame.timeSeconds))
        case .quit:
          stoppedEarly = true
          break frameLoop
        }
      }
      if input.input != nil, interrupted(interrupt) {
        stoppedEarly = true
        break
      }
    }
    try store.appendSignal(pendingSamples, session: sessionID, segment: segment)

    if stoppedEarly && !tracker.isFinished {
      try store.endSession(sessionID, status: .interrupted, at: Date())
      let message =
        "Session \(sessionID) saved at step \(tracker.currentStepIndex + 1) with \(tracker.currentCount) counted; "
        + "carry on with `repcount session --resume`."
      if json {
        // Scripts still get a last line: what ended before the stop, and where to resume.
        let done = SessionSummary(planName: sessionPlan.name, results: tracker.results)
        let stop = SessionJSON.StopPoint(
          stepIndex: tracker.currentStepIndex, stepCount: tracker.currentCount)
        sessionOut(SessionJSON.summaryLine(done, sessionID: sessionID, stoppedAt: stop) + "\n")
      }
      if let deviceError {
        throw SessionStopped(message: "\(deviceError) \(message)")
      }
      if !json { sessionOut("\n") }
      sessionNotice(message)
      return
    }
    try emit(tracker.finish())
    try store.endSession(sessionID, status: .finished, at: Date())
    let summary = SessionSummary(planName: sessionPlan.name, results: tracker.results)
    if let bias = tracker.gyroBias, let note = gyroBiasNote(bias) { sessionNotice(note) }
    if json {
      sessionOut(SessionJSON.summaryLine(summary, sessionID: sessionID) + "\n")
    } else {
      sessionOut(view.summary(summary))
      sessionOut(
        "Saved as session \(sessionID); `repcount report last --html report.html` draws it.\n")
    }
  }

  private func resolvePlan(_ nameOrPath: String) throws -> Plan {
    if let builtIn = BuiltInPlans.plan(named: nameOrPath) { return builtIn }
    guard FileManager.default.fileExists(atPath: nameOrPath) else {
      let names = BuiltInPlans.sources.map(\.name).joined(separator: ", ")
      throw ValidationError(
        "No built-in plan or file named '\(nameOrPath)' (built-in plans: \(names)).")
    }
    return try PlanParser.parse(fileAt: nameOrPath)
  }

  /// True once Ctrl-C (or SIGTERM) arrived: the interrupt pipe has a byte.
  private func interrupted(_ descriptor: Int32) -> Bool {
    var byte: UInt8 = 0
    return read(descriptor, &byte, 1) > 0
  }
}

/// The session stopped because of the device; what was counted is saved.
struct SessionStopped: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Sleeps so a recording plays back at `speed` × real time (device time → wall time).
private struct ReplayPacer {
  let speed: Double?
  private var origin: (device: Double, wall: ContinuousClock.Instant)?

  init(speed: Double?) { self.speed = speed }

  mutating func wait(until deviceSeconds: Double) {
    guard let speed else { return }
    guard let origin else {
      self.origin = (deviceSeconds, ContinuousClock.now)
      return
    }
    let due = origin.wall + .nanoseconds(Int64((deviceSeconds - origin.device) / speed * 1e9))
    let now = ContinuousClock.now
    if due > now {
      let left = (due - now).components
      Thread.sleep(forTimeInterval: Double(left.seconds) + Double(left.attoseconds) * 1e-18)
    }
  }
}

private func sessionOut(_ text: String) {
  guard !text.isEmpty else { return }
  FileHandle.standardOutput.write(Data(text.utf8))
}

private func sessionNotice(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
