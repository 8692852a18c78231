import MotionCore

/// What happened between two still periods: how far up moved away from the first rest, which
/// way, and how far the (bias-corrected) gyroscope turned.
public struct Movement: Hashable, Sendable {
  public var startSeconds: Double
  public var endSeconds: Double
  /// Largest angle of the (low-passed) accelerometer direction away from the rest before, °.
  public var peakAngleDegrees: Double
  /// Up at that peak minus up at rest, in the sensor frame (not normalised).
  public var upChangeAtPeak: Vector3
  /// Integral of the bias-corrected angular velocity, degrees per axis; `nil` without gyro.
  public var integratedRotationDegrees: Vector3?
  /// Whether frames were lost inside the movement.
  public var hasGap: Bool
  /// Seconds of the movement where frames were lost.
  public var lostSeconds: Double
  /// How far off `integratedRotationDegrees` may be where frames were lost, degrees: each gap is
  /// bridged by the trapezoid between the rates either side; the rate may have changed within it
  /// by as much as it differs across it, and the time across it is known to about a frame.
  public var bridgedUncertaintyDegrees: Double
  /// Angle away from rest through the movement, resampled at `traceRateHz` (reference reps).
  public var angleTraceDegrees: [Double]
  public static let traceRateHz = 50.0

  /// Measures the frames between `before` and `after` (both still periods of `frames`).
  static func measure(
    _ frames: [MotionFrame], from before: StillPeriod, to after: StillPeriod, biasDPS: Vector3?,
    settings: CalibrationSettings
  ) -> Movement {
    // Start where `before`'s trimmed stretch ends, stop where `after`'s begins: the edges belong
    // to the movement (the stillness means lag), the trimmed parts are truly still.
    let startTime = before.endSeconds - settings.edgeTrimSeconds
    let endTime = after.startSeconds + settings.edgeTrimSeconds
    var direction = VectorLowPassFilter(timeConstantSeconds: 0.1)
    direction.reset(to: before.meanAccelerationG)
    var peak = 0.0
    var changeAtPeak = Vector3.zero
    var rotation = Vector3.zero
    var hasGyro = true
    var hasGap = false
    var lostSeconds = 0.0
    var bridgedUncertainty = 0.0
    var lastPeriod = 0.0
    var previousTime: Double?
    var previousRate: Vector3?
    var trace: [Double] = []
    var nextTraceTime = startTime
    let first = max(before.frameRange.lowerBound, 0)
    let last = min(after.frameRange.upperBound, frames.count)
    for index in first..<last {
      let frame = frames[index]
      guard frame.timeSeconds >= startTime && frame.timeSeconds <= endTime else { continue }
      let dt = previousTime.map { max(0, frame.timeSeconds - $0) } ?? 0
      let bridging = previousTime != nil && frame.framesLostBefore
      if bridging {
        hasGap = true
        lostSeconds += dt
      }
      let smoothed = direction.update(frame.accelerationG, dtSeconds: dt)
      let up = smoothed.normalized ?? before.upInSensor
      let angle = up.angleDegrees(to: before.upInSensor)
      if angle > peak {
        peak = angle
        changeAtPeak = up - before.upInSensor
      }
      while nextTraceTime <= frame.timeSeconds {
        trace.append(angle)
        nextTraceTime += 1 / traceRateHz
      }
      if let gyro = frame.angularVelocityDPS {
        let rate = gyro - (biasDPS ?? .zero)
        if let previousRate, previousTime != nil {
          rotation += (rate + previousRate) * (0.5 * dt)
          if bridging {
            bridgedUncertainty +=
              (rate - previousRate).length * (0.5 * dt) + max(rate.length, previousRate.length)
              * lastPeriod
          }
        }
        previousRate = rate
      } else {
        hasGyro = false
      }
      if previousTime != nil && !bridging { lastPeriod = dt }
      previousTime = frame.timeSeconds
    }
    return Movement(
      startSeconds: startTime, endSeconds: endTime, peakAngleDegrees: peak,
      upChangeAtPeak: changeAtPeak, integratedRotationDegrees: hasGyro ? rotation : nil,
      hasGap: hasGap, lostSeconds: lostSeconds, bridgedUncertaintyDegrees: bridgedUncertainty,
      angleTraceDegrees: trace)
  }
}
