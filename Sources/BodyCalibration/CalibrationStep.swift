/// The steps of the guided calibration, in order. The raw values appear in profiles.
public enum CalibrationStep: String, CaseIterable, Codable, Hashable, Sendable {
  /// 1. Stand upright and still: gyroscope bias, up, noise floor.
  case standStill = "stand-still"
  /// 2. Lean forward from the hips and come back: forward, hence right = forward × up.
  case leanForward = "lean-forward"
  /// 3. Lie on the back, still: lying up (the body's forward), a second estimate of right.
  case lieStill = "lie-still"
  /// 4. Lift the right knee once: which way the pelvis rolls for the right side.
  case rightKneeLift = "right-knee-lift"
  /// 5. The same with the left knee.
  case leftKneeLift = "left-knee-lift"
  /// Optional: stand up and do a few waist twists as usual: reference repetitions for the form
  /// comparison (needs a gyroscope: a twist turns about up, which gravity cannot see).
  case referenceTwists = "reference-twists"
  /// Optional: a few standing hip rolls as usual: reference repetitions for the form comparison.
  case referenceHipRolls = "reference-hip-rolls"
  /// Optional: turn the device N full turns on a table: gyroscope scale.
  case gyroScaleTurns = "gyro-scale-turns"

  /// Whether a profile can do without this step.
  public var isOptional: Bool { number == nil }

  /// The reference repetition steps: a bonus for the form comparison, never needed for a
  /// usable profile.
  public var isReferenceRepetitions: Bool {
    self == .referenceTwists || self == .referenceHipRolls
  }

  /// Steps a device without a gyroscope cannot do: a scale to check, a twist to see.
  public var needsGyroscope: Bool { self == .gyroScaleTurns || self == .referenceTwists }

  /// Step number as the prompts show it (optional steps have none).
  public var number: Int? {
    switch self {
    case .standStill: return 1
    case .leanForward: return 2
    case .lieStill: return 3
    case .rightKneeLift: return 4
    case .leftKneeLift: return 5
    case .referenceTwists, .referenceHipRolls, .gyroScaleTurns: return nil
    }
  }

  /// What to tell the user.
  public func prompt(turns: Int, referenceReps: Int = 3) -> String {
    switch self {
    case .standStill: return "Stand upright and still for about 3 seconds."
    case .leanForward:
      return "Lean forward from the hips (about 15–30°), come back up, then stand still."
    case .lieStill: return "Lie down on your back and stay still for about 3 seconds."
    case .rightKneeLift:
      return "Lift your RIGHT knee to your chest once, lower it, then stay still."
    case .leftKneeLift:
      return "Lift your LEFT knee to your chest once, lower it, then stay still."
    case .referenceTwists:
      return
        "Stand up and stay still, then do \(referenceReps) waist twists (left then right) the way "
        + "you usually do them, then stand still."
    case .referenceHipRolls:
      return
        "Do \(referenceReps) hip rolls (either direction) the way you usually do them, then stand "
        + "still."
    case .gyroScaleTurns:
      return
        "Put the device flat on a table, keep it still, turn it exactly \(turns) full turns, "
        + "then keep it still again."
    }
  }
}
