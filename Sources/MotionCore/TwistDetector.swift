/// Counts standing waist twists: one repetition is one left-and-right cycle.
///
/// With a gyroscope the signal is the yaw angle about "up" (the bias-corrected angular velocity
/// projected on the slow mean of up, integrated with a slow leak against drift), a 1-D
/// oscillation whose rest is in the middle, counted by phase. Without one it is the low-passed
/// acceleration, less its recent mean, along its dominant direction: the lever arm between the
/// spine and the sensor, and the sideways lean that goes with a twist. Which of the two
/// dominates sets whether the signal runs with the twist or against it, so it is counted by its
/// lobes, which does not need to know (`LobeCounter`).
public struct TwistDetector: RepDetector {
  public var exercise: Exercise { .twist }
  public let settings: DetectorSettings

  private var preprocessor: MotionPreprocessor
  private var meanUp: VectorLowPassFilter
  private var yawDegrees = 0.0
  private let leakSeconds: Double
  private var smoothedAcceleration = VectorLowPassFilter(timeConstantSeconds: 0.1)
  private var accelerationAxis: DominantAxisTracker
  private var settledStep = SettledStepDetector(
    stillDistance: settledStillG, smallestStep: smallestSettledStepG)
  private var gyroCounter: OscillationCounter
  private var swingStart: SwingStartWatcher
  private var accelerometerCounter: LobeCounter
  private var countedReps = 0
  private var usesGyroscope: Bool?
  private var previousRate = 0.0
  private var leakSmoothing = SmoothingFactorCache()
  private var impact = ImpactMeter()
  /// Up where the body last stood still, and since when it has been still now. Still again with
  /// up pointing elsewhere, the device was turned in its holder (or the posture changed): the
  /// cycle in progress is not a twist and the yaw starts afresh.
  private var stillUp: Vector3?
  /// Since when the movement has been jolty without a break (nil: it is not). Followed with a
  /// gyroscope only, where walking restarts the yaw.
  private var joltySinceSeconds: Double?
  /// Whether the body walked (or was jolted as long) since it last settled still.
  private var hasWalkedSinceStill = false
  /// Whether the jolty stretch under way has lasted long enough to be walking.
  private var isWalking = false
  private var stillSinceSeconds: Double?
  /// Below this angular speed the body is still, °/s.
  static let stillRateDPS = 3.0
  /// Still this long settles where the body is, seconds.
  static let settledSeconds = 0.5
  /// Memory of the acceleration's dominant direction, seconds: short, so that the tilt a fidget
  /// leaves behind stops steering the axis within a twist or two (with the 4 s baseline the axis
  /// stayed on the tilt for over 10 s and the first twists of a set went uncounted).
  static let accelerationAxisSeconds = 1.5
  /// Without a gyroscope, the smoothed acceleration held within this distance is still, g.
  static let settledStillG = 0.02
  /// Without a gyroscope, the smoothed acceleration settled this far from its mean has stepped
  /// (the device was turned in its holder), g: a fidget turns it by 10° or more, a step of about
  /// 0.17 g or more, while a twist's lobes, even as large, turn back instead of resting.
  static let smallestSettledStepG = 0.16
  /// Without a gyroscope, a report further than this from the smoothed acceleration counts only
  /// this far, g: a knock's single report of several g would otherwise swing the dominant axis
  /// and make a lobe of its own.
  static let largestStepG = 1.0
  /// Jolty this long without a break is walking, seconds: footsteps keep the jolt meter up for
  /// the whole of a walk (over 1.5 s in every simulated one), while a vigorous twist's own jolt,
  /// from the lever arm's swing, lasts under a second.
  static let walkingJoltSeconds = 1.2
  /// Up moved this much between two stills: the device was turned, degrees.
  static let turnedDeviceDegrees = 5.0
  /// Turning about up slower than this, the body rests before a set (a held device still
  /// drifts a few °/s after a fidget), °/s.
  static let restRateDPS = 8.0

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    meanUp = VectorLowPassFilter(timeConstantSeconds: settings.baselineSeconds)
    leakSeconds = 2 * settings.baselineSeconds
    accelerationAxis = DominantAxisTracker(timeConstantSeconds: Self.accelerationAxisSeconds)
    gyroCounter = OscillationCounter(
      settings: settings, rest: .centre, minimumSpan: 2 * settings.minimumTwistYawDegrees,
      reportsRange: true)
    // A swing that tells is one that opens the counter's gate.
    swingStart = SwingStartWatcher(restRate: Self.restRateDPS, minimumSwing: gyroCounter.gateSpan)
    accelerometerCounter = LobeCounter(
      settings: settings, minimumSpan: 2 * settings.minimumTwistAccelerationG)
  }

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    let dt = input.dtSeconds
    let mean = meanUp.update(input.upInSensor, dtSeconds: dt).renormalized ?? input.upInSensor
    if usesGyroscope == nil { usesGyroscope = input.angularVelocityDPS != nil }
    impact.update(accelerationMagnitudeG: input.accelerationMagnitudeG, dtSeconds: dt)
    // Footsteps: a cycle ending this jolty was walking, not a twist.
    let isJolty = impact.rmsG > settings.maximumExerciseJoltG
    let judged: JudgedCycle?
    if usesGyroscope == true {
      if !isJolty {
        joltySinceSeconds = nil
        isWalking = false
      } else if joltySinceSeconds == nil {
        joltySinceSeconds = input.timeSeconds
      }
      let gyro = input.angularVelocityDPS ?? .zero
      let yawRate = gyro.dot(mean)
      var continuity = input.continuity
      let angularSpeedSquared = gyro.lengthSquared
      let wasTurned = deviceWasTurned(input: input, angularSpeedSquared: angularSpeedSquared)
      // Walking turns the body too. Its phase must not carry into the set, or the set's cycles
      // are counted from the walk's turning and end half a twist late (the last one then looks
      // partial): once the body has walked and then settled still, the yaw starts afresh. It
      // starts afresh too as soon as the footsteps show a walk: the cycle under way was the
      // turn on the spot that begins one (after a fidget, it came back round after the walk and
      // counted, with a hand-held device that never settled still).
      var beganWalking = false
      if let since = joltySinceSeconds, input.timeSeconds - since >= Self.walkingJoltSeconds {
        beganWalking = !isWalking
        isWalking = true
        hasWalkedSinceStill = true
      }
      let settledAfterWalking = hasWalkedSinceStill && isSettled(atSeconds: input.timeSeconds)
      if settledAfterWalking { hasWalkedSinceStill = false }
      if wasTurned || beganWalking || settledAfterWalking {
        continuity = .broken
      }
      // Trapezoidal: across a bridged gap the rate is taken as the mean of both ends.
      if continuity == .broken {
        yawDegrees = 0
      } else {
        yawDegrees += (yawRate + previousRate) * 0.5 * dt
      }
      previousRate = yawRate
      let leak = leakSmoothing.value(dtSeconds: dt, timeConstantSeconds: leakSeconds)
      yawDegrees -= yawDegrees * leak
      judged = gyroCounter.update(
        timeSeconds: input.timeSeconds, dtSeconds: dt, continuity: continuity,
        x: yawDegrees, v: yawRate - yawDegrees / leakSeconds, gate: yawDegrees,
        angularSpeedSquared: angularSpeedSquared)
      // A set starts from rest in the middle of its swing: once the swing shows where that was,
      // the count's cycles begin there (a fidget before may have fixed them half a cycle off).
      if continuity == .broken {
        swingStart.reset()
      } else if let start = swingStart.update(
        timeSeconds: input.timeSeconds, dtSeconds: dt, rate: yawRate, position: yawDegrees,
        isWatching: gyroCounter.opensSet(startSeconds: input.timeSeconds))
      {
        gyroCounter.beginCyclesAtMiddle(
          startSeconds: start.seconds, direction: start.direction, lowest: start.lowest,
          highest: start.highest)
      }
    } else {
      // A single report this far from the smoothed acceleration is a knock or a glitch, not
      // the body: its excess is left out (the lobes of a twist are tenths of a g).
      var sample = input.accelerationG
      if smoothedAcceleration.isPrimed {
        let excess = sample - smoothedAcceleration.value
        let size = excess.length
        if size > Self.largestStepG {
          sample = smoothedAcceleration.value + excess * (Self.largestStepG / size)
        }
      }
      let smoothed = smoothedAcceleration.update(sample, dtSeconds: dt)
      accelerationAxis.update(smoothed, dtSeconds: dt)
      // Settled at a new level after a fidget: that level is the zero now. The mean and axis
      // would take seconds to forget the step, and swallow the first way of a set.
      if settledStep.update(
        smoothed, mean: accelerationAxis.mean, timeSeconds: input.timeSeconds,
        continuity: input.continuity)
      {
        accelerationAxis.restart(at: smoothed)
        accelerometerCounter.restartLobe(atSeconds: input.timeSeconds)
      }
      let signal = (smoothed - accelerationAxis.mean).dot(accelerationAxis.axis)
      judged = accelerometerCounter.update(
        timeSeconds: input.timeSeconds, dtSeconds: dt, continuity: input.continuity,
        signal: signal, isJolty: isJolty)
    }
    guard let judged, !isJolty else { return nil }
    return event(from: judged)
  }

  public var gyroBias: GyroBiasTracker { preprocessor.orientation.gyroBias }

  public mutating func finish() -> [RepEvent] {
    let judged =
      usesGyroscope == true ? gyroCounter.finishStream() : accelerometerCounter.finishStream()
    return judged.map { [event(from: $0)] } ?? []
  }

  /// True once, when the body has settled still with up more than `turnedDeviceDegrees` away
  /// from where it was last still.
  private mutating func deviceWasTurned(input: PreprocessedFrame, angularSpeedSquared: Double)
    -> Bool
  {
    let t = input.timeSeconds
    guard angularSpeedSquared < Self.stillRateDPS * Self.stillRateDPS,
      input.continuity != .broken
    else {
      stillSinceSeconds = nil
      if input.continuity == .broken { stillUp = nil }
      return false
    }
    if stillSinceSeconds == nil { stillSinceSeconds = t }
    guard isSettled(atSeconds: t) else { return false }
    let up = input.upInSensor
    defer { stillUp = up }
    guard let previous = stillUp else { return false }
    return angleDegrees(up, previous) > Self.turnedDeviceDegrees
  }

  /// Whether the body has been still for `settledSeconds` (as `deviceWasTurned` last saw it).
  private func isSettled(atSeconds t: Double) -> Bool {
    guard let since = stillSinceSeconds else { return false }
    return t - since >= Self.settledSeconds
  }

  private mutating func event(from judged: JudgedCycle) -> RepEvent {
    if !judged.isPartial { countedReps += 1 }
    return RepEvent(
      exercise: .twist, index: judged.isPartial ? countedReps + 1 : countedReps,
      startSeconds: judged.cycle.startSeconds, endSeconds: judged.cycle.endSeconds,
      isPartial: judged.isPartial, metrics: judged.metrics)
  }
}
