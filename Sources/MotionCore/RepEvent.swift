/// The exercises repcount knows. Raw values are the command-line and JSON spellings.
public enum Exercise: String, CaseIterable, Codable, Sendable {
  case kneeLift = "knee-lift"
  case twist
  case hipRoll = "hip-roll"
  /// The generic counter for any repetitive movement.
  case any
}

/// Sense of rotation about "up", as seen from above.
public enum RotationDirection: String, CaseIterable, Codable, Sendable {
  case clockwise
  case counterclockwise
}

/// The body side of a knee lift.
public enum BodySide: String, CaseIterable, Codable, Sendable {
  case left
  case right
  case unknown
}

/// How one repetition went. Angles in degrees, times in seconds (device time).
public struct RepMetrics: Hashable, Sendable, Codable {
  /// Range of motion of the exercise's own signal (tilt, yaw, flexion), in degrees.
  public var rangeDegrees: Double
  /// Largest angular speed during the repetition, in degrees per second (0 without a gyroscope).
  public var peakAngularVelocityDPS: Double
  /// Smoothness as SPARC or log dimensionless jerk; closer to 0 is smoother. NaN when unknown.
  public var smoothness: Double
  /// The tilt about the body's own axes, with a calibration profile (`BodyTiltRecorder`); nil
  /// without one.
  public var bodyTilt: BodyTiltRanges?

  public init(
    rangeDegrees: Double, peakAngularVelocityDPS: Double, smoothness: Double,
    bodyTilt: BodyTiltRanges? = nil
  ) {
    self.rangeDegrees = rangeDegrees
    self.peakAngularVelocityDPS = peakAngularVelocityDPS
    self.smoothness = smoothness
    self.bodyTilt = bodyTilt
  }
}

/// One repetition found by a detector, emitted as soon as it is complete.
public struct RepEvent: Hashable, Sendable {
  public var exercise: Exercise
  /// 1-based count of counted (non-partial) repetitions so far; partial reps carry the index the
  /// next counted rep will get.
  public var index: Int
  public var startSeconds: Double
  public var endSeconds: Double
  /// Hip rolls only.
  public var direction: RotationDirection?
  /// Knee lifts only.
  public var side: BodySide?
  /// Too small or unfinished to count: reported, never counted.
  public var isPartial: Bool
  public var metrics: RepMetrics

  public var durationSeconds: Double { endSeconds - startSeconds }

  public init(
    exercise: Exercise,
    index: Int,
    startSeconds: Double,
    endSeconds: Double,
    direction: RotationDirection? = nil,
    side: BodySide? = nil,
    isPartial: Bool = false,
    metrics: RepMetrics
  ) {
    self.exercise = exercise
    self.index = index
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.direction = direction
    self.side = side
    self.isPartial = isPartial
    self.metrics = metrics
  }
}
