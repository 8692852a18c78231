import MotionCore

/// Tunables of the session tracker, in seconds and repetitions.
public struct TrackerSettings: Hashable, Sendable {
  /// No repetition for this long within a step is a long pause: reported once, flagged on the
  /// step, and a different movement after it is taken as moving on.
  public var longPauseSeconds: Double
  /// Consecutive repetitions in the other direction or with the other side, as the next step
  /// asks, that show the user has moved on.
  public var movedOnEvidenceReps: Int
  /// Consecutive repetitions of the next step's exercise (from its own detector, with none of
  /// the current exercise in between) that show the user has moved on. Higher than
  /// `movedOnEvidenceReps` because another exercise's detector sometimes answers to this one.
  public var movedOnOtherExerciseReps: Int
  /// Without a long pause, moving on is accepted only once this fraction of the target is done,
  /// so a user who starts the wrong way round is told so instead of losing the step.
  public var movedOnMinimumFraction: Double

  public init(
    longPauseSeconds: Double = 10, movedOnEvidenceReps: Int = 2,
    movedOnOtherExerciseReps: Int = 3, movedOnMinimumFraction: Double = 0.5
  ) {
    self.longPauseSeconds = longPauseSeconds
    self.movedOnEvidenceReps = movedOnEvidenceReps
    self.movedOnOtherExerciseReps = movedOnOtherExerciseReps
    self.movedOnMinimumFraction = movedOnMinimumFraction
  }
}

/// Follows a plan over a stream of frames: runs one detector per exercise of the plan, counts
/// the current step's repetitions, advances on target, and notices when the user has moved on
/// so a missed repetition never blocks the session.
///
/// The detectors come from a factory so tests can inject scripted ones and the command the real
/// ones. Every event the tracker returns is final except one case: a repetition first reported
/// as not counted (`counted == false`) may be reported again, with the same `sequence`, as
/// counted for the next step once the tracker sees that the user had moved on.
public struct SessionTracker {
  public let plan: Plan
  public let settings: TrackerSettings
  public private(set) var currentStepIndex: Int
  /// Steps that have ended, in plan order.
  public private(set) var results: [StepResult]

  private var detectors: [DetectorSlot]
  private var progress: StepProgress
  /// Repetitions that look like the next step's, oldest first (already reported, not counted).
  private var evidence: [SessionRep] = []
  /// A knee lift whose side looked wrong right after matching ones, not yet counted.
  private var pendingUnsure: SessionRep?
  private var evidenceFollowsPause = false
  private var nextSequence: Int
  public private(set) var lastFrameSeconds: Double?
  /// The user's reference repetitions, and the recent movement to compare with them (only kept
  /// when there are references).
  private let references: ReferenceComparison?
  private var traceRecorder: RepTraceRecorder?
  /// With a calibration: each repetition's tilt about the body's own axes.
  private var bodyTilt: BodyTiltRecorder?
  private var restWatcher = RestWatcher()
  /// The latest two rests the watcher recognised (a repetition with a hold in it has one of its
  /// own after the rest it started from).
  private var recentRests: (latest: Rest?, previous: Rest?) = (nil, nil)
  /// The rest the latest counted repetition started from, and the posture its step is done in.
  private var postureReference: (upInSensor: Vector3, posture: BodyPosture)?
  /// Since the last counted repetition the user came to rest in the other posture, the one the
  /// next step is done in: a single repetition of the next step then shows they have moved on.
  private var restsInNextStepPosture = false

  private struct Rest {
    var upInSensor: Vector3
    /// When the rest was recognised (it began `RestWatcher.restSeconds` earlier).
    var seconds: Double
  }

  /// A rest this far from the posture reference is the other posture. Standing and lying on the
  /// back differ by about 90° at the pelvis (less with the hips flexed); resting in one posture
  /// moves a device at the waist by well under 30°. A hand-held device or one on the thigh can
  /// turn as far without a change of posture (a hold at the top of a knee lift), which is why a
  /// repetition of the next exercise must confirm it.
  static let otherPostureDegrees = 55.0
  /// A rest this close to the posture reference is back in the step's posture.
  static let samePostureDegrees = 30.0

  private struct DetectorSlot {
    var exercise: Exercise
    var detector: any RepDetector
  }

  private struct StepProgress {
    var count = 0
    var partialCount = 0
    var manualAdjustment = 0
    var reps: [SessionRep] = []
    var flags: Set<StepFlag> = []
    var startSeconds: Double?
    /// End of the last repetition of this step's exercise (counted or not).
    var lastActivitySeconds: Double?
    var pauseReported = false
    /// The last repetition of this step's exercise was counted with the step's side.
    var lastRepMatched = false
  }

  /// - Parameters:
  ///   - detectorFactory: makes the detector for one exercise; called once per distinct exercise.
  ///   - resumeAtStep: the step to start at when resuming an interrupted session.
  ///   - resumeCount: repetitions already counted in that step.
  ///   - priorResults: results of the steps before it, from the history.
  ///   - firstSequence: the sequence number the first repetition gets (continues a resumed one).
  ///   - references: the calibration's reference repetitions, which each counted repetition is
  ///     compared with.
  ///   - bodyProfile: the calibration's axes, for each repetition's tilt about the body's own
  ///     axes (`RepMetrics.bodyTilt`).
  public init(
    plan: Plan,
    settings: TrackerSettings = TrackerSettings(),
    detectorFactory: (Exercise) -> any RepDetector,
    resumeAtStep: Int = 0,
    resumeCount: Int = 0,
    priorResults: [StepResult] = [],
    firstSequence: Int = 0,
    references: ReferenceComparison? = nil,
    bodyProfile: BodyProfile? = nil
  ) {
    self.plan = plan
    bodyTilt = bodyProfile.flatMap { BodyTiltRecorder(profile: $0) }
    self.settings = settings
    let usefulReferences = references.flatMap { comparison in
      plan.steps.contains { comparison.hasReferences(for: $0.exercise) } ? comparison : nil
    }
    self.references = usefulReferences
    traceRecorder = usefulReferences.map { _ in RepTraceRecorder() }
    var exercises: [Exercise] = []
    for step in plan.steps where !exercises.contains(step.exercise) {
      exercises.append(step.exercise)
    }
    detectors = exercises.map { DetectorSlot(exercise: $0, detector: detectorFactory($0)) }
    currentStepIndex = min(max(resumeAtStep, 0), plan.steps.count)
    results = priorResults
    progress = StepProgress()
    progress.count = max(resumeCount, 0)
    nextSequence = firstSequence
  }

  public var isFinished: Bool { currentStepIndex >= plan.steps.count }
  /// The gyroscope bias the detectors work with (they all see the same frames).
  public var gyroBias: GyroBiasTracker? { detectors.first?.detector.gyroBias }
  public var currentStep: PlanStep? {
    isFinished ? nil : plan.steps[currentStepIndex]
  }
  /// Repetitions counted so far in the current step.
  public var currentCount: Int { progress.count }
  /// All repetitions seen in the current step so far.
  public var currentReps: [SessionRep] { progress.reps }

  /// Feeds one frame to every detector; returns what happened (usually nothing).
  public mutating func process(_ frame: MotionFrame) -> [SessionEvent] {
    guard !isFinished else { return [] }
    lastFrameSeconds = frame.timeSeconds
    if progress.startSeconds == nil { progress.startSeconds = frame.timeSeconds }
    traceRecorder?.process(frame)
    bodyTilt?.process(frame)
    var events: [SessionEvent] = []
    for slot in detectors.indices {
      if let rep = detectors[slot].detector.process(frame) {
        handle(bodyTilt?.annotated(rep) ?? rep, into: &events)
      }
    }
    if let restingUp = restWatcher.process(frame) {
      recentRests = (Rest(upInSensor: restingUp, seconds: frame.timeSeconds), recentRests.latest)
      noticePosture(restingUp: restingUp)
    }
    reportLongPause(at: frame.timeSeconds, into: &events)
    return events
  }

  /// Ends the session: flushes the detectors, closes the current step and marks the rest as
  /// not started.
  public mutating func finish() -> [SessionEvent] {
    var events: [SessionEvent] = []
    for slot in detectors.indices {
      for rep in detectors[slot].detector.finish() where !isFinished {
        handle(bodyTilt?.annotated(rep) ?? rep, into: &events)
      }
    }
    guard !isFinished else { return events }
    closeStep(ending: .sessionEnded, into: &events)
    while !isFinished {
      closeStep(ending: .notStarted, into: &events)
    }
    return events
  }

  /// A manual correction of the current step's count (+1 or −1 from a key or a pad button), at
  /// the given device time.
  public mutating func adjustCount(by delta: Int, atSeconds time: Double) -> [SessionEvent] {
    guard !isFinished, delta != 0 else { return [] }
    var events: [SessionEvent] = []
    if progress.startSeconds == nil { progress.startSeconds = time }
    if delta > 0 {
      for _ in 0..<delta where !isFinished {
        let step = plan.steps[currentStepIndex]
        let event = RepEvent(
          exercise: step.exercise, index: progress.count + 1, startSeconds: time,
          endSeconds: time, direction: step.direction, side: step.side,
          metrics: RepMetrics(rangeDegrees: .nan, peakAngularVelocityDPS: .nan, smoothness: .nan))
        progress.manualAdjustment += 1
        count(event, flags: [.manual], into: &events)
      }
    } else {
      let removed = min(-delta, progress.count)
      guard removed > 0 else { return [] }
      progress.count -= removed
      progress.manualAdjustment -= removed
      events.append(.removed(stepIndex: currentStepIndex, stepCount: progress.count))
    }
    return events
  }

  // MARK: - Routing one detected repetition

  private mutating func handle(_ rep: RepEvent, into events: inout [SessionEvent]) {
    guard !isFinished else { return }
    let step = plan.steps[currentStepIndex]
    let next = currentStepIndex + 1 < plan.steps.count ? plan.steps[currentStepIndex + 1] : nil
    // A repetition that ended before this step began belongs to the previous movement.
    if let start = progress.startSeconds, rep.endSeconds <= start { return }
    let reference = progress.lastActivitySeconds ?? progress.startSeconds ?? rep.startSeconds
    let followsPause = rep.startSeconds - reference >= settings.longPauseSeconds

    if rep.exercise == step.exercise {
      progress.lastActivitySeconds = rep.endSeconds
      progress.pauseReported = false
      if rep.isPartial {
        progress.partialCount += 1
        progress.flags.insert(.partialReps)
        report(rep, counted: false, flags: [.partial], into: &events)
        return
      }
      if let mismatch = mismatch(of: rep, with: step) {
        // One odd side right after matching ones is held back: if the next repetition matches
        // again, it was the measurement (sides are the less certain one) and it is counted then,
        // marked unsure; a second odd side in a row is taken at its word.
        let isolated = mismatch == .wrongSide && progress.lastRepMatched
        progress.lastRepMatched = false
        pendingUnsure = nil
        if !isolated {
          progress.flags.insert(mismatch == .wrongDirection ? .wrongDirection : .wrongSide)
        }
        let reported: SessionRep
        if let next, next.exercise == step.exercise, matches(rep, next) {
          let step = currentStepIndex
          let before = evidence.count
          addEvidence(rep, flags: [mismatch], followsPause: followsPause, into: &events)
          // (Unless it completed the evidence and the user has moved on.)
          guard currentStepIndex == step, evidence.count == before + 1, let last = evidence.last
          else { return }
          reported = last
        } else {
          reported = report(rep, counted: false, flags: [mismatch], into: &events)
        }
        if isolated { pendingUnsure = reported }
        return
      }
      if let pending = pendingUnsure {
        pendingUnsure = nil
        evidence.removeAll()
        let stepBefore = currentStepIndex
        count(pending.event, flags: [.sideUnsure], sequence: pending.sequence, into: &events)
        if currentStepIndex != stepBefore {
          handle(rep, into: &events)
          return
        }
      }
      // Same exercise, sides unknown (no calibration): after a long pause near the target,
      // the next repetition starts the next side.
      if followsPause, let next, next.exercise == step.exercise, step.side != nil,
        next.side != step.side, rep.side == nil || rep.side == .unknown,
        progress.count >= step.targetReps - sameExerciseSlack(step)
      {
        moveOn(into: &events)
        count(rep, flags: [], into: &events)
        return
      }
      if followsPause && progress.count > 0 { progress.flags.insert(.longPause) }
      evidence.removeAll()
      progress.lastRepMatched = true
      count(rep, flags: followsPause && progress.count > 0 ? [.afterLongPause] : [], into: &events)
    } else if let next, rep.exercise == next.exercise, !rep.isPartial, matches(rep, next) {
      let otherReference = evidence.last?.event.endSeconds ?? reference
      addEvidence(
        rep, flags: [],
        followsPause: rep.startSeconds - otherReference >= settings.longPauseSeconds
          || followsPause,
        into: &events)
    }
    // Anything else is another detector answering to this step's movement: ignored.
  }

  private func mismatch(of rep: RepEvent, with step: PlanStep) -> RepFlag? {
    if let wanted = step.direction, let done = rep.direction, done != wanted {
      return .wrongDirection
    }
    if let wanted = step.side, let done = rep.side, done != .unknown, wanted != .unknown,
      done != wanted
    {
      return .wrongSide
    }
    return nil
  }

  private func matches(_ rep: RepEvent, _ step: PlanStep) -> Bool {
    rep.exercise == step.exercise && mismatch(of: rep, with: step) == nil
  }

  /// How far below target a same-exercise step may be when a long pause is taken as switching
  /// sides: one repetition per ten, at least one.
  private func sameExerciseSlack(_ step: PlanStep) -> Int { max(1, step.targetReps / 10) }

  private mutating func addEvidence(
    _ rep: RepEvent, flags: [RepFlag], followsPause: Bool, into events: inout [SessionEvent]
  ) {
    if evidence.isEmpty { evidenceFollowsPause = followsPause }
    let reported = report(rep, counted: false, flags: flags, into: &events)
    evidence.append(reported)
    let step = plan.steps[currentStepIndex]
    let minimum = Int((Double(step.targetReps) * settings.movedOnMinimumFraction).rounded(.up))
    let needed =
      restsInNextStepPosture
      ? 1
      : rep.exercise == step.exercise
        ? settings.movedOnEvidenceReps : settings.movedOnOtherExerciseReps
    if evidence.count >= needed
      && (progress.count >= minimum || evidenceFollowsPause || restsInNextStepPosture)
    {
      moveOnCreditingEvidence(into: &events)
    }
  }

  /// Compares a rest with the posture the step's repetitions started from.
  private mutating func noticePosture(restingUp: Vector3) {
    guard let reference = postureReference, let step = currentStep,
      let posture = step.exercise.posture, reference.posture == posture
    else { return }
    let angle = restingUp.angleDegrees(to: reference.upInSensor)
    if angle < Self.samePostureDegrees {
      restsInNextStepPosture = false
    } else if angle >= Self.otherPostureDegrees,
      currentStepIndex + 1 < plan.steps.count,
      plan.steps[currentStepIndex + 1].exercise.posture == posture.other
    {
      restsInNextStepPosture = true
    }
  }

  /// Closes the step as moved on and counts the repetitions that showed it for the next step.
  private mutating func moveOnCreditingEvidence(into events: inout [SessionEvent]) {
    let credited = evidence
    moveOn(into: &events)
    for earlier in credited where !isFinished {
      count(
        earlier.event, flags: [.creditedToNextStep], sequence: earlier.sequence, into: &events)
    }
  }

  private mutating func moveOn(into events: inout [SessionEvent]) {
    let firstEvidenceStart = evidence.first?.event.startSeconds
    closeStep(ending: .movedOn, into: &events)
    if let firstEvidenceStart { progress.startSeconds = firstEvidenceStart }
  }

  // MARK: - Counting and closing

  @discardableResult
  private mutating func report(
    _ rep: RepEvent, counted: Bool, flags: [RepFlag], sequence: Int? = nil,
    referenceSimilarity: Double? = nil, into events: inout [SessionEvent]
  ) -> SessionRep {
    let number: Int
    if let sequence {
      number = sequence
    } else {
      number = nextSequence
      nextSequence += 1
    }
    var event = rep
    event.index = counted ? progress.count : progress.count + 1
    var sessionRep = SessionRep(
      stepIndex: currentStepIndex, event: event, counted: counted, stepCount: progress.count,
      flags: flags, sequence: number)
    sessionRep.referenceSimilarity = referenceSimilarity
    if let index = progress.reps.firstIndex(where: { $0.sequence == number }) {
      progress.reps[index] = sessionRep
    } else {
      progress.reps.append(sessionRep)
    }
    events.append(.rep(sessionRep))
    return sessionRep
  }

  private mutating func count(
    _ rep: RepEvent, flags: [RepFlag], sequence: Int? = nil, into events: inout [SessionEvent]
  ) {
    let step = plan.steps[currentStepIndex]
    var allFlags = flags
    if !flags.contains(.manual) {
      if let tempo = step.tempoSeconds {
        if rep.durationSeconds < tempo.lowerBound {
          allFlags.append(.tooFast)
          progress.flags.insert(.tooFast)
        } else if rep.durationSeconds > tempo.upperBound {
          allFlags.append(.tooSlow)
        }
      }
      let earlier = progress.reps.filter { $0.counted && !$0.isManual }.map(\.event)
      allFlags += FormFeedback.compare(rep, withSet: earlier)
    }
    var similarity: Double?
    if !flags.contains(.manual), let references,
      let trace = traceRecorder?.trace(
        for: rep.exercise, fromSeconds: rep.startSeconds, toSeconds: rep.endSeconds)
    {
      similarity = references.similarity(of: trace, exercise: rep.exercise, side: rep.side)
      if let similarity,
        similarity < FeedbackThresholds.minimumReferenceSimilarity(for: rep.exercise)
      {
        allFlags.append(.unlikeReference)
      }
    }
    progress.count += 1
    if progress.startSeconds == nil { progress.startSeconds = rep.startSeconds }
    if !flags.contains(.manual) {
      // Still doing this step, in the posture of the rest it started from (not of a hold
      // within it).
      restsInNextStepPosture = false
      let restBefore = [recentRests.latest, recentRests.previous].lazy.compactMap { $0 }
        .first { $0.seconds <= rep.startSeconds }
      if let restBefore, let posture = step.exercise.posture {
        postureReference = (restBefore.upInSensor, posture)
      }
    }
    report(
      rep, counted: true, flags: allFlags, sequence: sequence, referenceSimilarity: similarity,
      into: &events)
    if progress.count >= step.targetReps {
      closeStep(ending: .targetReached, into: &events)
    }
  }

  private mutating func closeStep(ending: StepEnding, into events: inout [SessionEvent]) {
    let step = plan.steps[currentStepIndex]
    var flags = progress.flags
    switch ending {
    case .targetReached: flags.insert(.complete)
    case .movedOn: flags.insert(.movedOn)
    case .sessionEnded: flags.insert(progress.count >= step.targetReps ? .complete : .incomplete)
    case .notStarted: flags.insert(.skipped)
    }
    if progress.manualAdjustment != 0 { flags.insert(.manuallyAdjusted) }
    let detected = progress.reps.filter { $0.counted && !$0.isManual }.map(\.event)
    let feedback = FormFeedback.setFeedback(for: detected)
    flags.formUnion(feedback.flags)
    let endSeconds = progress.reps.last?.event.endSeconds ?? lastFrameSeconds
    let result = StepResult(
      index: currentStepIndex, step: step, count: progress.count,
      partialCount: progress.partialCount, manualAdjustment: progress.manualAdjustment,
      ending: ending, flags: StepFlag.allCases.filter(flags.contains), reps: progress.reps,
      feedback: feedback, startSeconds: progress.startSeconds,
      endSeconds: ending == .notStarted ? nil : endSeconds)
    results.append(result)
    events.append(.stepEnded(result))
    currentStepIndex += 1
    progress = StepProgress()
    if ending != .notStarted { progress.startSeconds = endSeconds }
    evidence.removeAll()
    evidenceFollowsPause = false
    restsInNextStepPosture = false
  }

  private mutating func reportLongPause(at time: Double, into events: inout [SessionEvent]) {
    guard !isFinished, !progress.pauseReported, !progress.reps.isEmpty,
      let last = progress.lastActivitySeconds, time - last >= settings.longPauseSeconds
    else { return }
    progress.pauseReported = true
    events.append(.longPause(stepIndex: currentStepIndex, seconds: time - last))
  }
}
