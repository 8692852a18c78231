/// Counts standing hip rolls and tells their direction, clockwise or counter-clockwise seen from
/// above.
///
/// The signal is the tilt vector: "up" measured in the sensor frame, minus its slow mean,
/// projected on the plane perpendicular to that mean. A pelvis circling while it tilts makes this
/// vector circle once per repetition; its phase, counted by a `PhaseCounter` in both directions,
/// gives the count and, by its sign, the direction (the basis is right-handed about up, so the
/// sense does not depend on how the device is mounted). A change of direction is a phase
/// reversal: the unfinished turn is dropped and the new direction counts from the turning point.
public struct HipRollDetector: RepDetector {
  public var exercise: Exercise { .hipRoll }
  public let settings: DetectorSettings

  private var preprocessor: MotionPreprocessor
  private var meanUp: VectorLowPassFilter
  private var basisX = Vector3(1, 0, 0)
  private var radiusEnvelope: RangeEnvelope
  private var rateEnvelope: RangeEnvelope
  private var smoothedGyro = VectorLowPassFilter(timeConstantSeconds: 0.08)
  private var lastRateMagnitude = 0.0
  private var tiltRateX = SmoothedDerivative(timeConstantSeconds: 0.15)
  private var tiltRateY = SmoothedDerivative(timeConstantSeconds: 0.15)
  private var counter: PhaseCounter
  private var metrics = RepMetricsAccumulator()
  private var impact = ImpactMeter()
  private var judge: RepJudge
  private var countedReps = 0
  private var lastTimeSeconds = 0.0

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    meanUp = VectorLowPassFilter(timeConstantSeconds: settings.baselineSeconds)
    radiusEnvelope = RangeEnvelope(decaySeconds: settings.envelopeDecaySeconds)
    rateEnvelope = RangeEnvelope(decaySeconds: settings.envelopeDecaySeconds)
    radiusEnvelope.attackSeconds = 1
    rateEnvelope.attackSeconds = 1
    var counterSettings = PhaseCounter.Settings()
    counterSettings.countsBackward = true
    counterSettings.maximumBridgeSeconds = settings.maximumBridgedGapSeconds
    counterSettings.maximumPauseSeconds = settings.maximumPauseSeconds
    counterSettings.maximumBridgedTempoFactor = settings.maximumBridgedTempoFactor
    counter = PhaseCounter(settings: counterSettings, boundary: .fromStart)
    judge = RepJudge(settings: settings, minimumRange: settings.minimumHipRollTiltDegrees)
    judge.directionStartsSet = true
  }

  /// Diagnostics: phase travelled in the current turn (radians, + counter-clockwise) and
  /// whether a turn is being tracked.
  public var phaseTravelRadians: Double { counter.travelRadians }
  public var isTracking: Bool { counter.isActive }

  /// Tilt of the current "up" from its slow mean, degrees, in a right-handed basis about up.
  public private(set) var tiltDegrees: (x: Double, y: Double) = (0, 0)

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    lastTimeSeconds = input.timeSeconds
    let dt = input.dtSeconds
    if input.continuity == .broken {
      counter.reset()
      metrics.resetDerivatives()
    }
    let up = input.upInSensor
    // Standing still is the centre of the circles to come: while still, the mean settles fast.
    meanUp.timeConstantSeconds =
      lastRateMagnitude < settings.minimumHipRollRateDPS ? 0.5 : settings.baselineSeconds
    let mean = meanUp.update(up, dtSeconds: dt).normalized ?? up
    // Carry the basis along with the mean so it never jumps (parallel transport).
    var e1 = basisX.rejecting(mean)
    if e1.lengthSquared < 0.01 {
      e1 = mean.cross(abs(mean.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0))
    }
    e1 = e1.normalized ?? Vector3(1, 0, 0)
    basisX = e1
    let e2 = mean.cross(e1)
    let deviation = up - mean
    let tx = deviation.dot(e1) * degreesPerRadian
    let ty = deviation.dot(e2) * degreesPerRadian
    tiltDegrees = (tx, ty)
    let radius = (tx * tx + ty * ty).squareRoot()
    radiusEnvelope.update(radius, dtSeconds: dt)
    var isValid =
      radius >= 0.6 * settings.minimumHipRollTiltDegrees && radius >= 0.25 * radiusEnvelope.maximum
    // The phase is the tilt's angle, but it only advances while the body is actually tilting
    // (gyroscope's horizontal rate, or the tilt's own rate without one): a mean that settles
    // after a set, or sway, cannot creep the phase along.
    if input.continuity == .broken {
      tiltRateX.reset()
      tiltRateY.reset()
    }
    var rateMagnitude: Double
    if let gyro = input.angularVelocityDPS {
      let rate = smoothedGyro.update(gyro, dtSeconds: dt)
      let rx = rate.dot(e1)
      let ry = rate.dot(e2)
      rateMagnitude = (rx * rx + ry * ry).squareRoot()
    } else {
      let rx = tiltRateX.update(tx, dtSeconds: dt)
      let ry = tiltRateY.update(ty, dtSeconds: dt)
      rateMagnitude = (rx * rx + ry * ry).squareRoot()
    }
    rateEnvelope.update(rateMagnitude, dtSeconds: dt)
    lastRateMagnitude = rateMagnitude
    isValid =
      isValid && rateMagnitude >= settings.minimumHipRollRateDPS
      && rateMagnitude >= 0.2 * rateEnvelope.maximum
    let wasActive = counter.isActive
    // The angle is only read while valid: no arctangent for the frames at rest.
    let event = counter.update(
      timeSeconds: input.timeSeconds, angleRadians: isValid ? angleRadians(y: ty, x: tx) : 0,
      isValid: isValid)
    impact.update(accelerationG: input.accelerationG, dtSeconds: dt)
    if !wasActive && counter.isActive { metrics.startRep() }
    let angularSpeedSquared = input.angularVelocityDPS?.lengthSquared ?? 0
    metrics.add(x: tx, y: ty, angularSpeedSquared: angularSpeedSquared, dtSeconds: dt)
    switch event {
    case .none:
      return nil
    case .completed(let cycle):
      defer { metrics.startRep() }
      return judgedEvent(cycle, completed: true)
    case .abandoned(let cycle):
      defer { metrics.startRep() }
      return judgedEvent(cycle, completed: false)
    }
  }

  public var gyroBias: GyroBiasTracker { preprocessor.orientation.gyroBias }

  public mutating func finish() -> RepEvent? {
    guard counter.isActive, abs(counter.travelRadians) >= Double.pi else { return nil }
    let cycle = PhaseCounter.Cycle(
      startSeconds: counter.departureSeconds, endSeconds: lastTimeSeconds,
      direction: counter.travelRadians >= 0 ? 1 : -1, travelRadians: counter.travelRadians)
    counter.reset()
    return judgedEvent(cycle, completed: false)
  }

  private mutating func judgedEvent(_ cycle: PhaseCounter.Cycle, completed: Bool) -> RepEvent? {
    let range = metrics.radius
    let verdict = judge.judge(cycle, completed: completed, gateRange: range)
    if case .ignored = verdict { return nil }
    // Footsteps: a cycle this jolty was walking, not a hip roll.
    if impact.rmsG > settings.maximumExerciseJoltG { return nil }
    let isPartial = verdict == .partial
    if !isPartial { countedReps += 1 }
    return RepEvent(
      exercise: .hipRoll, index: isPartial ? countedReps + 1 : countedReps,
      startSeconds: cycle.startSeconds, endSeconds: cycle.endSeconds,
      direction: cycle.direction > 0 ? .counterclockwise : .clockwise, isPartial: isPartial,
      metrics: metrics.metrics(
        rangeDegrees: range, durationSeconds: cycle.endSeconds - cycle.startSeconds))
  }
}
