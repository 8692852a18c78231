import MotionCore

/// An ordered list of steps the user works through in one session.
public struct Plan: Hashable, Sendable {
  /// Short name shown in the live view and stored in the history.
  public var name: String
  public var steps: [PlanStep]

  public init(name: String, steps: [PlanStep]) {
    self.name = name
    self.steps = steps
  }
}

/// One step of a plan: an exercise, how many repetitions, and which side or direction.
public struct PlanStep: Hashable, Sendable {
  public var exercise: Exercise
  public var targetReps: Int
  /// Knee lifts only.
  public var side: BodySide?
  /// Hip rolls only.
  public var direction: RotationDirection?
  /// Allowed duration of one repetition, in seconds; `nil` means any tempo.
  public var tempoSeconds: ClosedRange<Double>?

  public init(
    exercise: Exercise,
    targetReps: Int,
    side: BodySide? = nil,
    direction: RotationDirection? = nil,
    tempoSeconds: ClosedRange<Double>? = nil
  ) {
    self.exercise = exercise
    self.targetReps = targetReps
    self.side = side
    self.direction = direction
    self.tempoSeconds = tempoSeconds
  }
}
