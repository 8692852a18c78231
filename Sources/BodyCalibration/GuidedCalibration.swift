import MotionCore

/// What the live prompts show after a frame.
public enum GuidedUpdate: Hashable, Sendable {
  /// Nothing new to show.
  case none
  /// The step in progress: 0 … 1, and what the user is doing now.
  case progress(CalibrationStep, fraction: Double, status: String)
  /// The step is done and clean; the next prompt follows.
  case stepDone(StepOutcome)
  /// The step was not clean (or not recognised): do it again.
  case retry(StepOutcome)
  /// Every step is done.
  case finished
}

/// The live calibration: one step at a time, each judged by the same `CalibrationProcedure` as
/// a recording (run on everything seen so far once the step's movement has settled), so live
/// and replayed calibrations agree. Frames are kept for that (a calibration lasts a minute).
public struct GuidedCalibration: Sendable {
  public let settings: CalibrationSettings
  /// The steps in order; those that need a gyroscope are dropped when the first frame has none.
  public private(set) var steps: [CalibrationStep]
  public private(set) var stepIndex = 0
  public private(set) var frames: [MotionFrame] = []
  /// The latest analysis (after the last judged step).
  public private(set) var result: CalibrationResult?

  private var classifier: StillnessClassifier
  private var stillSinceSeconds: Double?
  /// When the frames inside the current still period stopped looking still (a noise spike).
  private var spikeSinceSeconds: Double?
  private var movedSinceStepStart = false
  private var lastStatus = ""

  public init(settings: CalibrationSettings = CalibrationSettings()) {
    self.settings = settings
    steps = CalibrationStep.allCases.filter(settings.asks(for:))
    classifier = StillnessClassifier(settings: settings)
  }

  public var currentStep: CalibrationStep? { stepIndex < steps.count ? steps[stepIndex] : nil }
  public var isFinished: Bool { currentStep == nil }

  private var stillNeededSeconds: Double {
    guard let step = currentStep else { return 0 }
    switch step {
    case .standStill, .lieStill: return settings.targetStillSeconds + settings.edgeTrimSeconds
    default: return settings.minimumStillSeconds + settings.edgeTrimSeconds
    }
  }

  private var needsMovement: Bool { currentStep != .standStill }

  public mutating func process(_ frame: MotionFrame) -> GuidedUpdate {
    // The first frame tells whether the device has a gyroscope; without one, the steps that
    // need it are not asked for (none of them is the first step).
    if frames.isEmpty && frame.angularVelocityDPS == nil {
      steps.removeAll(where: \.needsGyroscope)
    }
    guard let step = currentStep else { return .none }
    frames.append(frame)
    if classifier.isStill(frame) {
      if stillSinceSeconds == nil { stillSinceSeconds = frame.timeSeconds }
      spikeSinceSeconds = nil
    } else if stillSinceSeconds != nil,
      frame.timeSeconds - (spikeSinceSeconds ?? frame.timeSeconds) <= settings.mergeGapSeconds
    {
      // A noise spike inside a still period, as the recording segmenter also forgives (a coarse
      // accelerometer such as the Wii Remote's flickers by a whole count now and then). It is
      // timed from its own first frame: a device that reports only changes may have sent
      // nothing for a while before it.
      if spikeSinceSeconds == nil { spikeSinceSeconds = frame.timeSeconds }
    } else {
      stillSinceSeconds = nil
      spikeSinceSeconds = nil
      movedSinceStepStart = true
    }
    let stillSeconds = stillSinceSeconds.map { frame.timeSeconds - $0 } ?? 0
    if needsMovement && !movedSinceStepStart {
      return report(step, 0, "waiting for you to move")
    }
    guard stillSeconds >= stillNeededSeconds else {
      let fraction =
        (needsMovement ? 0.5 : 0) + (needsMovement ? 0.5 : 1) * stillSeconds / stillNeededSeconds
      return report(step, fraction, stillSeconds > 0 ? "hold still" : "moving")
    }
    let analysis = CalibrationProcedure(settings: settings).run(frames: frames)
    result = analysis
    movedSinceStepStart = false
    stillSinceSeconds = nil
    guard let outcome = analysis.outcome(step) else { return .none }
    if outcome.isClean(settings) {
      stepIndex += 1
      lastStatus = ""
      return stepDone(outcome)
    }
    // Putting the device on the table, or standing up, is a movement too: wait for the turns
    // or the repetitions themselves.
    if step.isOptional && !outcome.found { return .none }
    lastStatus = ""
    return .retry(outcome)
  }

  private func stepDone(_ outcome: StepOutcome) -> GuidedUpdate {
    .stepDone(outcome)
  }

  private mutating func report(_ step: CalibrationStep, _ fraction: Double, _ status: String)
    -> GuidedUpdate
  {
    lastStatus = status
    return .progress(step, fraction: clamp01(fraction), status: status)
  }
}
