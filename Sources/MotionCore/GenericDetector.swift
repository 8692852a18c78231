/// Counts any repetitive movement (`--exercise any`).
///
/// With a gyroscope: the rotation (the bias-corrected angular velocity integrated with a slow
/// leak) projected on a counting axis, which moves to the dominant rotation axis (principal
/// component of the angular velocity) only when that is clearly more dominant; a movement from
/// rest outside a set chooses it afresh (`axisRestartStillSeconds`). Without one: the
/// dominant direction of the low-passed, gravity-removed acceleration. Then the same phase
/// counting as the other detectors, assuming the movement rests at one end; a set's yardstick
/// for "partial" is replaced when two alike repetitions in a row fall short of it, since it
/// knows nothing of the movement's size. `repcount eval --generic` measures it on the
/// simulated exercises: far less exact than their own detectors.
public struct GenericDetector: RepDetector {
  public var exercise: Exercise { .any }
  public let settings: DetectorSettings

  private var preprocessor: MotionPreprocessor
  private var gyroAxis: DominantAxisTracker
  /// The rotation since the recent past, per axis of the sensor (the angular velocity
  /// integrated with a slow leak), degrees: the counted position is its projection on the
  /// counting axis, so a first repetition made before that axis was known is still seen whole.
  private var angleVectorDegrees = Vector3.zero
  private var previousGyro = Vector3.zero
  /// The axis the rotation is counted about: the dominant axis, followed only when it is
  /// clearly more dominant than this one (`axisSwitchVarianceRatio`).
  private var countingAxis: Vector3?
  private let leakSeconds: Double
  private var smoothedAcceleration = VectorLowPassFilter(timeConstantSeconds: 0.1)
  private var accelerationAxis: DominantAxisTracker
  private var accelerationRate = SmoothedDerivative(timeConstantSeconds: 0.1)
  private var gyroCounter: OscillationCounter
  private var accelerometerCounter: OscillationCounter
  private var countedReps = 0
  private var usesGyroscope: Bool?
  private var leakSmoothing = SmoothingFactorCache()
  /// How long the device had been still as of the previous frame, seconds.
  private var previousStillSeconds = 0.0
  /// Until when the counting axis is fresh (`freshAxisSeconds`).
  private var freshAxisUntilSeconds = -Double.infinity
  /// The rotation where the movement that restarted the axis began (`angleVectorDegrees`).
  private var restAngleVectorDegrees = Vector3.zero
  /// The counting axis moves to the dominant one only when the rotation's variance about it is
  /// this many times that about the counting axis. A circle (a hip roll) turns the angular
  /// velocity round a plane, so every axis in that plane is as dominant as the next: followed
  /// frame by frame, the axis turned with the circle and the angle about it only grew. (Over
  /// the 4 s baseline, the exponential weighting makes a circle of 2 s or more favour the way
  /// it turned last by under 20 %.) A lift or a twist about one axis is dominant many times
  /// over.
  static let axisSwitchVarianceRatio = 1.25
  /// A movement that begins after this long at rest (the gyroscope bias tracker's stillness),
  /// outside a set, chooses the counting axis afresh: the axis tracker forgets the variance
  /// before the rest. A fidget that turned the device in its holder (fast, about its own axis)
  /// otherwise outweighed the set's first lifts for some ten seconds, and their rotation,
  /// projected on the fidget's axis, came out a fraction of itself on top of the fidget's
  /// leaking angle.
  static let axisRestartStillSeconds = 0.5
  /// For this long after such a restart the counting axis is fresh: it moves only to a
  /// rotation above `freshAxisMinimumVarianceDPS2` (the variance of the first frames is the
  /// onset's noise, and any axis is "clearly more dominant" than another in it), and a move by
  /// more than 60° (`freshAxisTurnCosine`) before a repetition is counted restarts the
  /// portrait: its scale was the old movement's (a fidget's speed, an angle about another axis)
  /// and its turn in progress began in another signal.
  static let freshAxisSeconds = 2.0
  static let freshAxisMinimumVarianceDPS2 = 4.0
  static let freshAxisTurnCosine = 0.5

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    leakSeconds = 2 * settings.baselineSeconds
    gyroAxis = DominantAxisTracker(timeConstantSeconds: settings.baselineSeconds)
    accelerationAxis = DominantAxisTracker(timeConstantSeconds: settings.baselineSeconds)
    gyroCounter = OscillationCounter(
      settings: settings, rest: .extreme, minimumSpan: settings.minimumGenericDegrees,
      reportsRange: true, relearnsYardstick: true)
    accelerometerCounter = OscillationCounter(
      settings: settings, rest: .extreme, minimumSpan: settings.minimumGenericAccelerationG,
      reportsRange: false, relearnsYardstick: true)
  }

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    let dt = input.dtSeconds
    if usesGyroscope == nil { usesGyroscope = input.angularVelocityDPS != nil }
    let judged: JudgedCycle?
    if usesGyroscope == true {
      let gyro = input.angularVelocityDPS ?? .zero
      let stillSeconds = gyroBias.stillDurationSeconds
      if previousStillSeconds >= Self.axisRestartStillSeconds && stillSeconds == 0
        && gyroCounter.opensSet(startSeconds: input.timeSeconds)
      {
        gyroAxis.restart(at: gyro)
        freshAxisUntilSeconds = input.timeSeconds + Self.freshAxisSeconds
        restAngleVectorDegrees = angleVectorDegrees
      }
      previousStillSeconds = stillSeconds
      gyroAxis.update(gyro, dtSeconds: dt)
      let isAxisFresh = input.timeSeconds <= freshAxisUntilSeconds
      let previousAxis = countingAxis
      let axis = updatedCountingAxis(isFresh: isAxisFresh)
      if isAxisFresh, let previousAxis, abs(previousAxis.dot(axis)) < Self.freshAxisTurnCosine,
        gyroCounter.opensSet(startSeconds: input.timeSeconds)
      {
        gyroCounter.restartPortrait(fromRestAt: restAngleVectorDegrees.dot(axis))
      }
      if input.continuity == .broken {
        angleVectorDegrees = .zero
      } else {
        angleVectorDegrees += (gyro + previousGyro) * (0.5 * dt)
      }
      previousGyro = gyro
      angleVectorDegrees -=
        angleVectorDegrees * leakSmoothing.value(dtSeconds: dt, timeConstantSeconds: leakSeconds)
      let angleDegrees = angleVectorDegrees.dot(axis)
      let rate = gyro.dot(axis)
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

  /// `isFresh`: the axis tracker restarted at a movement from rest (`freshAxisSeconds`).
  private mutating func updatedCountingAxis(isFresh: Bool) -> Vector3 {
    let dominant = gyroAxis.axis
    guard let current = countingAxis else {
      countingAxis = dominant
      return dominant
    }
    let dominantVariance = gyroAxis.variance(along: dominant)
    if dominantVariance > Self.axisSwitchVarianceRatio * gyroAxis.variance(along: current)
      && (!isFresh || dominantVariance > Self.freshAxisMinimumVarianceDPS2)
    {
      // Keep the sense of the old axis, so the angle does not change sign with the switch.
      let next = dominant.dot(current) < 0 ? dominant * -1 : dominant
      countingAxis = next
      return next
    }
    return current
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
