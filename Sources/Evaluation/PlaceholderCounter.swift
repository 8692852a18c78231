import MotionCore

/// A deliberately trivial counter, kept so the evaluation harness can be exercised on its own
/// (`repcount eval --placeholder`): it counts peaks of motion intensity (gyroscope magnitude, or
/// the accelerometer's deviation from its slow mean) above a fixed threshold, at least 1.2 s
/// apart. It knows nothing about directions, sides or partial reps. Not a detector to ship.
public struct PlaceholderPeakCounter: RepDetector {
  public let exercise: Exercise
  private var slowAcceleration: Vector3?
  private var smoothedIntensity = 0.0
  private var previousIntensity = 0.0
  private var rising = false
  private var lastPeakSeconds = -Double.infinity
  private var lastTimeSeconds: Double?
  private var repStartSeconds: Double?
  private var count = 0

  public init(exercise: Exercise) {
    self.exercise = exercise
  }

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let dt = lastTimeSeconds.map { min(max(frame.timeSeconds - $0, 0), 0.2) } ?? 0
    lastTimeSeconds = frame.timeSeconds
    let slow = slowAcceleration ?? frame.accelerationG
    let blend = min(1, dt / 2)
    slowAcceleration = slow + (frame.accelerationG - slow) * blend
    let intensity: Double
    let threshold: Double
    if let rate = frame.angularVelocityDPS {
      intensity = rate.length
      threshold = 15
    } else {
      intensity = (frame.accelerationG - slow).length
      threshold = 0.06
    }
    smoothedIntensity += (intensity - smoothedIntensity) * min(1, dt / 0.15)
    defer { previousIntensity = smoothedIntensity }
    if repStartSeconds == nil && smoothedIntensity > threshold / 2 {
      repStartSeconds = frame.timeSeconds
    }
    if smoothedIntensity > previousIntensity {
      rising = true
      return nil
    }
    guard rising else { return nil }
    rising = false
    guard previousIntensity > threshold, frame.timeSeconds - lastPeakSeconds > 1.2 else {
      return nil
    }
    let start = max(repStartSeconds ?? lastPeakSeconds, lastPeakSeconds)
    lastPeakSeconds = frame.timeSeconds
    repStartSeconds = frame.timeSeconds
    count += 1
    return RepEvent(
      exercise: exercise, index: count, startSeconds: start.isFinite ? start : frame.timeSeconds,
      endSeconds: frame.timeSeconds,
      metrics: RepMetrics(rangeDegrees: 0, peakAngularVelocityDPS: 0, smoothness: .nan))
  }

  public mutating func finish() -> [RepEvent] { [] }
}
