import MotionCore

/// Something noteworthy about one repetition. Raw values are the JSON and history spellings.
public enum RepFlag: String, CaseIterable, Codable, Sendable {
  /// A hip roll the other way round than the step asks for; not counted.
  case wrongDirection = "wrong-direction"
  /// A knee lift with the other leg than the step asks for (only with a calibration profile).
  case wrongSide = "wrong-side"
  /// A knee lift that looked like the other leg right after ones that matched: counted, since one
  /// odd side in the middle of a set is more often the measurement than the leg (a device that
  /// shifted in its holder misleads the side, not the count).
  case sideUnsure = "side-unsure"
  /// Quicker than the plan's tempo allows: "go gently".
  case tooFast = "too-fast"
  /// Slower than the plan's tempo.
  case tooSlow = "too-slow"
  /// Too small or unfinished to count.
  case partial
  /// Came after a long pause within the set.
  case afterLongPause = "after-long-pause"
  /// Range of motion clearly smaller than the set's median.
  case smallRange = "small-range"
  /// Much quicker than the set's median repetition.
  case quickerThanSet = "quicker-than-set"
  /// Much slower than the set's median repetition.
  case slowerThanSet = "slower-than-set"
  /// Clearly less smooth than the set's median repetition.
  case lessSmooth = "less-smooth"
  /// Its tilt path differs from the set's typical repetition (dynamic time warping); set by the
  /// report, which has the stored signal.
  case differentShape = "different-shape"
  /// Its shape differs from the user's reference repetitions (from calibration).
  case unlikeReference = "unlike-reference"
  /// Added by hand (keyboard or pad button).
  case manual
  /// Belonged to the next step: the user had moved on, so it counts there.
  case creditedToNextStep = "credited-to-next-step"
}

/// Something noteworthy about a whole step. Raw values are the JSON and history spellings.
public enum StepFlag: String, CaseIterable, Codable, Sendable {
  /// The user moved on to the next step before reaching the target.
  case movedOn = "moved-on"
  /// The session ended before this step reached its target.
  case incomplete
  /// The session ended before this step started.
  case skipped
  /// Reached its target (possibly with manual corrections).
  case complete
  /// The count was corrected by hand.
  case manuallyAdjusted = "manually-adjusted"
  case wrongDirection = "wrong-direction"
  case wrongSide = "wrong-side"
  case tooFast = "too-fast"
  case longPause = "long-pause"
  case partialReps = "partial-reps"
  /// Repetition durations vary a lot (coefficient of variation above the threshold).
  case unevenTempo = "uneven-tempo"
  /// Ranges of motion vary a lot.
  case unevenRange = "uneven-range"
  /// The last repetitions were clearly smaller than the first ones.
  case rangeLost = "range-lost"
}

/// Why a step ended.
public enum StepEnding: String, Codable, Sendable {
  case targetReached = "target"
  case movedOn = "moved-on"
  case sessionEnded = "session-ended"
  case notStarted = "not-started"
}

/// One repetition as the session saw it: the detector's event plus where it went.
public struct SessionRep: Hashable, Sendable {
  public var stepIndex: Int
  public var event: RepEvent
  /// Counted toward the step's target.
  public var counted: Bool
  /// The step's count right after this repetition.
  public var stepCount: Int
  public var flags: [RepFlag]
  /// Position in the whole session (0-based, every detected or manual repetition), a stable id.
  public var sequence: Int
  /// How alike its shape is to the user's reference repetitions, 0 … 1; `nil` without them.
  public var referenceSimilarity: Double?

  public var isManual: Bool { flags.contains(.manual) }

  public init(
    stepIndex: Int, event: RepEvent, counted: Bool, stepCount: Int, flags: [RepFlag],
    sequence: Int
  ) {
    self.stepIndex = stepIndex
    self.event = event
    self.counted = counted
    self.stepCount = stepCount
    self.flags = flags
    self.sequence = sequence
  }
}

/// How one step went.
public struct StepResult: Hashable, Sendable {
  public var index: Int
  public var step: PlanStep
  public var count: Int
  public var partialCount: Int
  /// Net manual correction (+1/−1 presses), already included in `count`.
  public var manualAdjustment: Int
  public var ending: StepEnding
  public var flags: [StepFlag]
  /// Every repetition seen during the step, counted or not, in time order.
  public var reps: [SessionRep]
  public var feedback: SetFeedback
  public var startSeconds: Double?
  public var endSeconds: Double?

  public init(
    index: Int, step: PlanStep, count: Int, partialCount: Int, manualAdjustment: Int,
    ending: StepEnding, flags: [StepFlag], reps: [SessionRep], feedback: SetFeedback,
    startSeconds: Double?, endSeconds: Double?
  ) {
    self.index = index
    self.step = step
    self.count = count
    self.partialCount = partialCount
    self.manualAdjustment = manualAdjustment
    self.ending = ending
    self.flags = flags
    self.reps = reps
    self.feedback = feedback
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
  }
}

/// What the tracker reports while it runs.
public enum SessionEvent: Hashable, Sendable {
  /// A repetition was detected (counted or not) or added by hand.
  case rep(SessionRep)
  /// A manual −1 took a repetition off the current step.
  case removed(stepIndex: Int, stepCount: Int)
  /// A step ended; the next one (if any) is now current.
  case stepEnded(StepResult)
  /// No movement for a while within a step.
  case longPause(stepIndex: Int, seconds: Double)
}
