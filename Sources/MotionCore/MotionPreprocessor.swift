/// How a frame connects to the one before it.
public enum FrameContinuity: Hashable, Sendable {
  /// The first frame, or nothing was lost.
  case continuous
  /// A short gap: integrated across, the repetition in progress survives.
  case bridged
  /// A long gap: the repetition in progress is abandoned and filters restart.
  case broken
}

/// One frame after the work every detector shares: time step, gap handling, orientation and
/// bias-corrected angular velocity.
public struct PreprocessedFrame: Hashable, Sendable {
  public var timeSeconds: Double
  public var dtSeconds: Double
  public var continuity: FrameContinuity
  /// Unit "up" in the sensor frame.
  public var upInSensor: Vector3
  public var accelerationG: Vector3
  /// `accelerationG`'s length, g.
  public var accelerationMagnitudeG: Double
  /// Bias-corrected, scale-corrected angular velocity, °/s; `nil` without a gyroscope.
  public var angularVelocityDPS: Vector3?
}

/// Shared front end of every detector.
public struct MotionPreprocessor: Hashable, Sendable {
  public private(set) var orientation: OrientationTracker
  private let gapSeconds: Double
  private let maximumBridgedGapSeconds: Double
  private var lastTimeSeconds = 0.0
  private var hasLastTime = false
  private var previousAngularVelocityDPS: Vector3?

  public init(settings: DetectorSettings, profile: BodyProfile?) {
    orientation = OrientationTracker(
      settings: settings.orientation, initialGyroBiasDPS: profile?.gyroBiasDPS)
    orientation.gyroScale = profile?.gyroScale ?? 1
    gapSeconds = settings.gapSeconds
    maximumBridgedGapSeconds = settings.maximumBridgedGapSeconds
  }

  /// Always inlined into the detector's frame: the `PreprocessedFrame` then stays in registers
  /// instead of a return buffer stored and read straight back.
  @inline(__always)
  public mutating func process(_ frame: MotionFrame) -> PreprocessedFrame {
    var dt = 0.0
    var continuity = FrameContinuity.continuous
    if hasLastTime {
      dt = max(0, frame.timeSeconds - lastTimeSeconds)
      if frame.framesLostBefore || dt > gapSeconds {
        let heldStill = frame.valuesHeldBefore && !frame.framesLostBefore
        continuity = dt > maximumBridgedGapSeconds && !heldStill ? .broken : .bridged
      }
    }
    lastTimeSeconds = frame.timeSeconds
    hasLastTime = true
    if continuity == .broken {
      orientation.restart()
      previousAngularVelocityDPS = nil
    }
    orientation.update(
      accelerationG: frame.accelerationG, angularVelocityDPS: frame.angularVelocityDPS,
      dtSeconds: dt,
      previousAngularVelocityDPS: continuity == .broken ? nil : previousAngularVelocityDPS)
    let corrected = frame.angularVelocityDPS.map { orientation.correctedAngularVelocityDPS($0) }
    previousAngularVelocityDPS = corrected
    return PreprocessedFrame(
      timeSeconds: frame.timeSeconds, dtSeconds: dt, continuity: continuity,
      upInSensor: orientation.upInSensor, accelerationG: frame.accelerationG,
      accelerationMagnitudeG: orientation.accelerationMagnitudeG,
      angularVelocityDPS: corrected)
  }
}
