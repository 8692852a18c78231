/// Counts any repetitive movement (`--exercise any`).
///
/// With a gyroscope: the dominant rotation axis (principal component of the bias-corrected
/// angular velocity), the rotation about it integrated to an angle. Without one: the dominant
/// direction of the low-passed, gravity-removed acceleration. Then the same phase counting as
/// the other detectors, assuming the movement rests at one end.
public struct GenericDetector: RepDetector {
  public var exercise: Exercise { .any }
  public let settings: DetectorSettings

  private var preprocessor: MotionPreprocessor
  private var gyroAxis: DominantAxisTracker
  private var angleDegrees = 0.0
  private let leakSeconds: Double
  private var smoothedAcceleration = VectorLowPassFilter(timeConstantSeconds: 0.1)
  private var accelerationAxis: DominantAxisTracker
  private var accelerationRate = SmoothedDerivative(timeConstantSeconds: 0.1)
  private var gyroCounter: OscillationCounter
  private var accelerometerCounter: OscillationCounter
  private var countedReps = 0
  private var usesGyroscope: Bool?
  private var previousRate = 0.0
  private var leakSmoothing = SmoothingFactorCache()

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    leakSeconds = 2 * settings.baselineSeconds
    gyroAxis = DominantAxisTracker(timeConstantSeconds: settings.baselineSeconds)
    accelerationAxis = DominantAxisTracker(timeConstantSeconds: settings.baselineSeconds)
    gyroCounter = OscillationCounter(
      settings: settings, rest: .extreme, minimumSpan: settings.minimumGenericDegrees,
      reportsRange: true)
    accelerometerCounter = OscillationCounter(
      settings: settings, rest: .extreme, minimumSpan: settings.minimumGenericAccelerationG,
      reportsRange: false)
  }

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    let dt = input.dtSeconds
    if usesGyroscope == nil { usesGyroscope = input.angularVelocityDPS != nil }
    let judged: JudgedCycle?
    if usesGyroscope == true {
      let gyro = input.angularVelocityDPS ?? .zero
      gyroAxis.update(gyro, dtSeconds: dt)
      let rate = gyro.dot(gyroAxis.axis)
      if input.continuity == .broken {
        angleDegrees = 0
      } else {
        angleDegrees += (rate + previousRate) * 0.5 * dt
      }
      previousRate = rate
      angleDegrees -=
        angleDegrees * leakSmoothing.value(dtSeconds: dt, timeConstantSeconds: leakSeconds)
      judged = gyroCounter.update(
        timeSeconds: input.timeSeconds, dtSeconds: dt, continuity: input.continuity,
        x: angleDegrees, v: rate - angleDegrees / leakSeconds, gate: angleDegrees,
        angularSpeedSquared: gyro.lengthSquared)
    } else {
      let smoothed = smoothedAcceleration.update(input.accelerationG, dtSeconds: dt)
      accelerationAxis.update(smoothed, dtSeconds: dt)
      let signal = (smoothed - accelerationAxis.mean).dot(accelerationAxis.axis)
      if input.continuity == .broken { accelerationRate.reset() }
      let rate = accelerationRate.update(signal, dtSeconds: dt)
      judged = accelerometerCounter.update(
        timeSeconds: input.timeSeconds, dtSeconds: dt, continuity: input.continuity,
        x: signal, v: rate, gate: signal, angularSpeedSquared: 0)
    }
    return judged.map { event(from: $0) }
  }

  public var gyroBias: GyroBiasTracker { preprocessor.orientation.gyroBias }

  public mutating func finish() -> [RepEvent] {
    let judged =
      usesGyroscope == true ? gyroCounter.finishStream() : accelerometerCounter.finishStream()
    return judged.map { [event(from: $0)] } ?? []
  }

  private mutating func event(from judged: JudgedCycle) -> RepEvent {
    if !judged.isPartial { countedReps += 1 }
    return RepEvent(
      exercise: .any, index: judged.isPartial ? countedReps + 1 : countedReps,
      startSeconds: judged.cycle.startSeconds, endSeconds: judged.cycle.endSeconds,
      isPartial: judged.isPartial, metrics: judged.metrics)
  }
}
