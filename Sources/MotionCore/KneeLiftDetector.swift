/// Counts knee lifts (lying on the back, one knee pulled toward the chest, held, lowered) and,
/// with a calibration profile, tells the side.
///
/// The signal is how far "up" in the sensor frame has moved along its dominant direction of
/// change: the pelvis tilting backwards for a waist-worn sensor, hip flexion for a thigh-worn
/// one. The movement rests at one end, so a repetition ends when the signal is back at rest.
/// Side: lifting the right knee rolls the pelvis toward the right, so up moves toward the body's
/// left; the sign of that movement along `BodyProfile.rightInSensor` at the top of the lift
/// gives the side. Without a profile the side is `.unknown`.
public struct KneeLiftDetector: RepDetector {
  public var exercise: Exercise { .kneeLift }
  public let settings: DetectorSettings

  private var preprocessor: MotionPreprocessor
  private var upAxis: DominantAxisTracker
  private var angleRate = SmoothedDerivative(timeConstantSeconds: 0.1)
  private var counter: OscillationCounter
  private let rightInSensor: Vector3?
  private var restUp = Vector3(0, 0, 1)
  private var peakDistance = 0.0
  private var rollAtPeak = 0.0
  private var countedReps = 0

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    upAxis = DominantAxisTracker(timeConstantSeconds: settings.baselineSeconds * 1.5)
    counter = OscillationCounter(
      settings: settings, rest: .extreme, minimumSpan: settings.minimumKneeLiftDegrees,
      reportsRange: true, minimumRepSeconds: settings.minimumKneeLiftSeconds)
    rightInSensor = profile?.rightInSensor?.normalized
  }

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    let dt = input.dtSeconds
    let up = input.upInSensor
    upAxis.update(up, dtSeconds: dt)
    let axis = upAxis.axis
    let angle = (up - upAxis.mean).dot(axis) * degreesPerRadian
    if input.continuity == .broken { angleRate.reset() }
    let rate: Double
    if let gyro = input.angularVelocityDPS {
      // u̇ = u × ω: the rate of the angle along the axis, straight from the gyroscope.
      rate = up.cross(gyro).dot(axis)
    } else {
      rate = angleRate.update(angle, dtSeconds: dt)
    }
    let wasActive = counter.isActive
    let judged = counter.update(
      timeSeconds: input.timeSeconds, dtSeconds: dt, continuity: input.continuity, x: angle,
      v: rate, gate: angle, angularSpeedDPS: input.angularVelocityDPS?.length ?? 0)
    if !wasActive && counter.isActive { startSideTracking(up) }
    let distance = (up - restUp).lengthSquared
    if distance > peakDistance, let right = rightInSensor {
      peakDistance = distance
      rollAtPeak = (up - restUp).dot(right)
    }
    guard let judged else { return nil }
    let side = sideOfLift()
    startSideTracking(up)
    if !judged.isPartial { countedReps += 1 }
    return RepEvent(
      exercise: .kneeLift, index: judged.isPartial ? countedReps + 1 : countedReps,
      startSeconds: judged.cycle.startSeconds, endSeconds: judged.cycle.endSeconds, side: side,
      isPartial: judged.isPartial, metrics: judged.metrics)
  }

  public mutating func finish() -> RepEvent? {
    guard let judged = counter.finishStream() else { return nil }
    return RepEvent(
      exercise: .kneeLift, index: countedReps + 1, startSeconds: judged.cycle.startSeconds,
      endSeconds: judged.cycle.endSeconds, side: sideOfLift(), isPartial: true,
      metrics: judged.metrics)
  }

  private mutating func startSideTracking(_ up: Vector3) {
    restUp = up
    peakDistance = 0
    rollAtPeak = 0
  }

  private func sideOfLift() -> BodySide {
    guard rightInSensor != nil, rollAtPeak != 0 else { return .unknown }
    return rollAtPeak < 0 ? .right : .left
  }
}
