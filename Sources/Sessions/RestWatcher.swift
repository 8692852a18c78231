import MotionCore

/// How the body is placed for an exercise.
public enum BodyPosture: String, Sendable {
  case standing
  case lying

  var other: BodyPosture { self == .standing ? .lying : .standing }
}

extension Exercise {
  /// The posture the exercise is done in: knee lifts lying on the back, twists and hip rolls
  /// standing. `nil` for the generic counter, which may be anything.
  public var posture: BodyPosture? {
    switch self {
    case .kneeLift: return .lying
    case .twist, .hipRoll: return .standing
    case .any: return nil
    }
  }
}

/// Finds where the device comes to rest between movements: each time it has been still for
/// `restSeconds`, the direction of up in the sensor frame, once per rest.
///
/// The tracker compares these rests with the rest its repetitions started from to tell a change
/// of posture (standing up, lying down) from a pause: the pelvis turns by about 90° between
/// standing and lying on the back, far more than it drifts while resting in one posture.
/// Allocation-free and driven by the frames' own time, like the detectors.
public struct RestWatcher: Sendable {
  /// How long the device must stay still to be at rest: a person settling after lying down
  /// may start fidgeting after a second, and the dwell at the top of a slow repetition is
  /// shorter.
  public static let restSeconds = 0.8
  /// Still means the acceleration stays this close to its own recent mean (tremor and breathing
  /// stay under 0.02 g; deliberate movement exceeds it; a mean rather than 1 g, since cheap
  /// accelerometers read several per cent off)…
  public static let stillAccelerationDeviationG = 0.05
  /// …and, with a gyroscope, the device turns slower than this (well above an uncorrected
  /// gyroscope offset of a few degrees per second).
  public static let stillAngularVelocityDPS = 15.0
  /// Time constant of that running mean: short, so a rest is recognised soon after the movement
  /// that led into it.
  static let meanTimeConstantSeconds = 0.25

  private var meanAccelerationG: Vector3?
  private var lastTimeSeconds: Double?
  private var stillSinceSeconds: Double?
  private var stillSumG = Vector3.zero
  private var reportedThisRest = false

  public init() {}

  /// Consumes one frame; returns up in the sensor frame when a rest has just lasted long enough.
  public mutating func process(_ frame: MotionFrame) -> Vector3? {
    let acceleration = frame.accelerationG
    defer { lastTimeSeconds = frame.timeSeconds }
    guard let mean = meanAccelerationG, let last = lastTimeSeconds, !frame.framesLostBefore
    else {
      meanAccelerationG = acceleration
      endRest()
      return nil
    }
    let step = max(0, frame.timeSeconds - last)
    // A held pause (no clock, values unchanged) is still by definition: the driver sent nothing
    // because nothing moved beyond its fuzz.
    let weight = min(1, step / Self.meanTimeConstantSeconds)
    let updated = mean + (acceleration - mean) * weight
    meanAccelerationG = updated
    let isTurning = frame.angularVelocityDPS.map { $0.length >= Self.stillAngularVelocityDPS }
    guard (acceleration - updated).length < Self.stillAccelerationDeviationG, isTurning != true
    else {
      endRest()
      return nil
    }
    if stillSinceSeconds == nil {
      stillSinceSeconds = frame.timeSeconds
      stillSumG = .zero
    }
    stillSumG += acceleration
    guard !reportedThisRest, let since = stillSinceSeconds,
      frame.timeSeconds - since >= Self.restSeconds
    else { return nil }
    reportedThisRest = true
    return stillSumG.normalized
  }

  private mutating func endRest() {
    stillSinceSeconds = nil
    reportedThisRest = false
  }
}
