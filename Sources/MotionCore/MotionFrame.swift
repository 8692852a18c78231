/// One sample of a motion sensor, in the project's single right-handed sensor frame.
///
/// This is the only stream type that crosses module boundaries: a live device, an evemu
/// recording, a CSV file and the simulator all yield the same frames, so everything downstream
/// (counting, calibration, sessions) cannot tell them apart.
public struct MotionFrame: Hashable, Sendable {
  /// Device time in seconds: monotonic and unwrapped (from `MSC_TIMESTAMP` when the device has
  /// one, else the `CLOCK_MONOTONIC` event time). Only differences are meaningful.
  public var timeSeconds: Double

  /// Specific force in g: gravity plus linear acceleration, so the upward axis reads +1 g at rest.
  public var accelerationG: Vector3

  /// Angular velocity in degrees per second, or `nil` for accelerometer-only devices.
  public var angularVelocityDPS: Vector3?

  /// Frames were lost just before this one (`SYN_DROPPED`, or a gap in the device's timestamps).
  /// A detector must not let the gap create or complete a repetition.
  public var framesLostBefore: Bool

  /// A pause before this frame held the last values rather than losing any: the device sends
  /// only what changed beyond its driver's fuzz filter and has no clock of its own (a
  /// DualShock 3, a Wii Remote lying still), so silence means "nothing moved". A detector may
  /// carry a repetition across such a pause, however long.
  public var valuesHeldBefore: Bool

  @inlinable
  public init(
    timeSeconds: Double,
    accelerationG: Vector3,
    angularVelocityDPS: Vector3? = nil,
    framesLostBefore: Bool = false,
    valuesHeldBefore: Bool = false
  ) {
    self.timeSeconds = timeSeconds
    self.accelerationG = accelerationG
    self.angularVelocityDPS = angularVelocityDPS
    self.framesLostBefore = framesLostBefore
    self.valuesHeldBefore = valuesHeldBefore
  }
}
