#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Counts standing hip rolls and tells their direction, clockwise or counter-clockwise seen from
/// above.
///
/// The signal is the tilt vector: "up" measured in the sensor frame, minus its slow mean,
/// projected on the plane perpendicular to that mean. A pelvis circling while it tilts makes this
/// vector circle once per repetition; its phase, counted by a `PhaseCounter` in both directions,
/// gives the count and, by its sign, the direction (the basis is right-handed about up, so the
/// sense does not depend on how the device is mounted). A change of direction is a phase
/// reversal: the unfinished turn is dropped and the new direction counts from the turning point.
///
/// A small first circle of a set (see `heldCircleTiltFactor`) is reported one circle late, when
/// the set's second circle ends (or, when it has none, 3 to 5 s after it, once the set is over):
/// with no circle before it to measure it against, a start much smaller than the circle after
/// it (under `partialRangeFraction` of it, by its middle and by its whole extent) was a partial
/// circle, not a repetition. Likewise a set's first whole turn under the size that counts
/// (`minimumHipRollTiltDegrees`) is held as partial and counted after all when the circle after
/// it shows it was no partial start. Every other circle is reported as it ends. The cost is
/// latency: such a set's first count shows a circle late (1.5 to 10 s).
///
/// A held circle is dropped if the body walks before it is reported (`walkedJoltSeconds`): a
/// walk begins with a turn on the spot, whose pull toward the turning axis (and its speeding up
/// and slowing down) the accelerometer takes for a tilt, out and round and back, before the
/// first footstep jolts; so does a fidget before a walk.
public struct HipRollDetector: RepDetector {
  public var exercise: Exercise { .hipRoll }
  public let settings: DetectorSettings

  private var preprocessor: MotionPreprocessor
  private var meanUp: VectorLowPassFilter
  private var basisX = Vector3(1, 0, 0)
  private var radiusEnvelope = PeakEnvelope()
  private var rateEnvelope = PeakEnvelope()
  /// The two envelopes' smoothing factors: they share their time constants.
  private var envelopeDecay = SmoothingFactorCache()
  private var envelopeAttack = SmoothingFactorCache()
  private var smoothedGyro = VectorLowPassFilter(timeConstantSeconds: 0.08)
  /// Whether the body was tilting, or its tilt going round, on the last frame; while it was
  /// neither (standing still), the mean settles fast.
  private var wasMoving = false
  /// Whether, on the last frame, the body stood still with its tilt out beyond
  /// `leftBehindTiltDegrees`: the mean was left behind, and settles at once.
  private var wasLeftBehind = false
  /// Without a gyroscope, the body's own tilting rate is that of "up": up on the last frame, and
  /// its velocity (per second), smoothed like the tilt's.
  private var lastUp: Vector3?
  private var upVelocity = VectorLowPassFilter(timeConstantSeconds: Self.tiltRateSeconds)
  /// The tilt's turning about the centre, r × v (°²/s, + counter-clockwise: the radius squared
  /// times the turn rate in rad/s), smoothed over about a second.
  private var circling = 0.0
  /// The tilt's distance from the centre times its speed, r·|v| (°²/s), smoothed like
  /// `circling`: what the turning would be if all of the tilt's movement went round.
  private var circlingScale = 0.0
  private var tiltRateX = SmoothedDerivative(timeConstantSeconds: Self.tiltRateSeconds)
  private var tiltRateY = SmoothedDerivative(timeConstantSeconds: Self.tiltRateSeconds)
  private var counter: PhaseCounter
  private var metrics = RepMetricsAccumulator()
  private var impact = ImpactMeter()
  /// How long the jolt meter has stayed over `maximumExerciseJoltG` without a break, seconds.
  private var joltySeconds = 0.0
  private var judge: RepJudge
  private var countedReps = 0
  private var lastTimeSeconds = 0.0
  /// The tilt's extents over the middle half of the turn in progress (a quarter to three
  /// quarters of the way round): the size judged for "partial". The turn's ends may reach into
  /// the circles before and after it (its boundaries can lag a fifth of a turn), and a small,
  /// partial circle beside a full one would measure nearly full.
  private var middleOfTurn = PlaneExtents()
  /// The tilt's nearest approach to the centre, degrees, since it was last tracked.
  private var untrackedClosestTiltDegrees = Double.infinity

  /// The first counted circle of a set, held back until the set's next circle ends; its gating
  /// range (the judge's, over the middle of the turn).
  private var heldCircle: RepEvent?
  private var heldGateRange = 0.0
  /// A partial turn that ended while a circle was held: it does not release the held circle
  /// (only the set's next whole circle can measure it), and is reported right after it.
  private var partialAfterHeld: RepEvent?
  /// Events that ended while the held one was reported: reported on the next frames, in order.
  private var queuedCircle: RepEvent?
  private var queuedAfter: RepEvent?

  /// One turn in the shortest repetition, rad/s.
  private let fastestTurnRate: Double
  /// A tilt farther out than this, degrees, while the body is still is no circle's: the slowest
  /// circle followed (`slowCircleTurnRate`) moves at `minimumHipRollRateDPS` at this radius.
  private let leftBehindTiltDegrees: Double

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    fastestTurnRate = 2 * Double.pi / settings.minimumRepSeconds
    leftBehindTiltDegrees = settings.minimumHipRollRateDPS / Self.slowCircleTurnRate
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    meanUp = VectorLowPassFilter(timeConstantSeconds: settings.baselineSeconds)
    var counterSettings = PhaseCounter.Settings()
    counterSettings.countsBackward = true
    counterSettings.maximumBridgeSeconds = settings.maximumBridgedGapSeconds
    counterSettings.maximumPauseSeconds = settings.maximumPauseSeconds
    counterSettings.maximumBridgedTempoFactor = settings.maximumBridgedTempoFactor
    counter = PhaseCounter(settings: counterSettings, boundary: .fromStart)
    judge = RepJudge(settings: settings, minimumRange: settings.minimumHipRollTiltDegrees)
    judge.directionStartsSet = true
    judge.provisionalPartialRangeFraction = Self.firstCircleYardstickFraction
    judge.newSetPauseRepetitions = Self.newSetPauseCircles
  }

  /// Diagnostics: phase travelled in the current turn (radians, + counter-clockwise) and
  /// whether a turn is being tracked.
  public var phaseTravelRadians: Double { counter.travelRadians }
  public var isTracking: Bool { counter.isActive }

  /// Tilt of the current "up" from its slow mean, degrees, in a right-handed basis about up.
  public private(set) var tiltDegrees: (x: Double, y: Double) = (0, 0)

  // Inlined, with `detect`, into the protocol witness that callers reach through
  // `any RepDetector`: the 81-byte `RepEvent?` is written once into the caller's buffer instead
  // of being copied through two return buffers, each copy reading in 16-byte loads what was just
  // stored in 8-byte halves (a stall on every frame).
  @inline(__always)
  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    // Queued on an earlier frame, behind the held circle it released (none is held now).
    let earlier = queuedCircle
    queuedCircle = queuedAfter
    queuedAfter = nil
    let event = detect(frame)
    if let earlier {
      if let event { enqueue(event) }
      return earlier
    }
    guard event == nil, let held = heldCircle else { return event }
    // Walking before the set's next circle: the held one was the walk's turn on the spot.
    if joltySeconds > Self.walkedJoltSeconds {
      heldCircle = nil
      if !held.isPartial { countedReps -= 1 }
      defer { partialAfterHeld = nil }
      return partialAfterHeld
    }
    // No second circle: a pause as long as one that starts a new set, and no turn in progress
    // that began before it ended.
    let pauseSeconds = lastTimeSeconds - held.endSeconds
    let newSetPauseSeconds = judge.newSetPauseSeconds
    if pauseSeconds > newSetPauseSeconds
      && (!counter.isActive || counter.departureSeconds - held.endSeconds > newSetPauseSeconds)
      || pauseSeconds > settings.maximumRepSeconds
    {
      return releaseHeld()
    }
    return nil
  }

  private mutating func enqueue(_ event: RepEvent) {
    if queuedCircle == nil { queuedCircle = event } else { queuedAfter = event }
  }

  /// The held circle, with the partial turn that ended after it queued behind it.
  private mutating func releaseHeld() -> RepEvent? {
    guard let held = heldCircle else { return nil }
    heldCircle = nil
    if let partial = partialAfterHeld { enqueue(partial) }
    partialAfterHeld = nil
    return held
  }

  @inline(__always)
  private mutating func detect(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    lastTimeSeconds = input.timeSeconds
    let dt = input.dtSeconds
    if input.continuity == .broken {
      counter.reset()
      metrics.resetDerivatives()
    }
    let up = input.upInSensor
    // Standing still is the centre of the circles to come: while still, the mean settles fast.
    // (Only then: a slow circle would drag a fast mean along and shrink to nothing.) Still with
    // the tilt out beyond any slow circle's reach, the mean was left behind (the device turned
    // in its holder, 10 to 40°, and the set may begin 0.8 s later): it settles at
    // once, or the first circles go round a point off their centre and the count runs late.
    meanUp.timeConstantSeconds =
      wasMoving
      ? settings.baselineSeconds : wasLeftBehind ? Self.leftBehindSettleSeconds : 0.5
    // The envelopes that gate the tilt (a quarter of its largest radius, a fifth of its largest
    // rate) forget fast too: the set to come is measured against itself. A fidget's 60 °/s, or
    // the exercise before, held a gentle circle's 5 °/s under the gate for 5 s, a whole circle.
    let decay = envelopeDecay.value(
      dtSeconds: dt,
      timeConstantSeconds: wasMoving
        ? settings.envelopeDecaySeconds : Self.stillEnvelopeDecaySeconds)
    let attack = envelopeAttack.value(
      dtSeconds: dt, timeConstantSeconds: Self.envelopeAttackSeconds)
    // A mean of unit vectors, and the basis carried a frame along: both nearly unit already.
    let mean = meanUp.update(up, dtSeconds: dt).renormalized ?? up
    // Carry the basis along with the mean so it never jumps (parallel transport).
    var e1 = basisX.rejecting(mean)
    if e1.lengthSquared < 0.01 {
      e1 = mean.cross(abs(mean.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0))
    }
    e1 = e1.renormalized ?? Vector3(1, 0, 0)
    basisX = e1
    let e2 = mean.cross(e1)
    let deviation = up - mean
    let tx = deviation.dot(e1) * degreesPerRadian
    let ty = deviation.dot(e2) * degreesPerRadian
    tiltDegrees = (tx, ty)
    // libm's `sqrt`, which the compiler expands in place: `squareRoot()` goes through a C shim,
    // left as a call in this function grown by inlining.
    let radius = sqrt(tx * tx + ty * ty)
    radiusEnvelope.update(radius, decay: decay, attack: attack)
    var isValid =
      radius >= 0.6 * settings.minimumHipRollTiltDegrees && radius >= 0.25 * radiusEnvelope.maximum
    // The phase is the tilt's angle, but it only advances while the body is actually tilting
    // (gyroscope's horizontal rate, or the tilt's own rate without one): a mean that settles
    // after a set, or sway, cannot creep the phase along.
    if input.continuity == .broken {
      tiltRateX.reset()
      tiltRateY.reset()
      circling = 0
      circlingScale = 0
      lastUp = nil
      upVelocity.reset(to: .zero)
    }
    // The tilt's own velocity, °/s (with a gyroscope too: the tilt from a mean that follows a
    // slow circle runs ahead of the body's). One smoothing factor, first-order in dt (timestamps
    // jitter, and an exponential per frame would cost more than the rest of the test), serves
    // both axes.
    let inverseDt = dt > 0 ? 1 / dt : 0
    let alpha = min(1, dt * Self.tiltRateSmoothingPerSecond)
    let dx = tiltRateX.update(tx, inverseDtSeconds: inverseDt, alpha: alpha)
    let dy = tiltRateY.update(ty, inverseDtSeconds: inverseDt, alpha: alpha)
    let rateMagnitude: Double
    // The body's own tilting rate, °/s: the tilt's is not, as it holds the mean's settling too
    // (a mean settling from 20° out moves 5 °/s even at 4 s).
    let bodyRate: Double
    if let gyro = input.angularVelocityDPS {
      let rate = smoothedGyro.update(gyro, dtSeconds: dt)
      let rx = rate.dot(e1)
      let ry = rate.dot(e2)
      rateMagnitude = sqrt(rx * rx + ry * ry)
      bodyRate = rateMagnitude
    } else {
      rateMagnitude = sqrt(dx * dx + dy * dy)
      let velocity = lastUp.map { (up - $0) * inverseDt } ?? .zero
      lastUp = up
      bodyRate = upVelocity.update(velocity, dtSeconds: dt).length * degreesPerRadian
    }
    rateEnvelope.update(rateMagnitude, decay: decay, attack: attack)
    // How the tilt turns about the centre: r × v = r²·(turn rate) = r·|v|·sin(its angle to the
    // radius), smoothed first-order with the step's share of the memory (it only has to tell a
    // steady turn from a jitter; the exponential is not worth its cost per frame). Compared in
    // these terms, not divided out: no division per frame.
    let cross = tx * dy - ty * dx
    let circlingAlpha = min(1, dt * Self.circlingSmoothingPerSecond)
    circling += (cross - circling) * circlingAlpha
    let speedSquared = dx * dx + dy * dy
    circlingScale += (radius * sqrt(speedSquared) - circlingScale) * circlingAlpha
    let radiusSquared = radius * radius
    let slowTurn = Self.slowCircleTurnRate * radiusSquared
    // Turning faster than the briefest repetition allows at this radius is what is left over
    // from wider circles just ended (the smoothing remembers them), not a circle of this size.
    let isGoingRound =
      abs(circling) >= slowTurn && abs(circling) <= fastestTurnRate * radiusSquared
      && cross * circling > 0
    // Going round is judged over the last second, not frame by frame (see
    // `slowCircleAcrossSquared`).
    let isTilting =
      rateMagnitude >= settings.minimumHipRollRateDPS
      || (isGoingRound && radius >= settings.minimumHipRollTiltDegrees
        && circling * circling >= Self.slowCircleAcrossSquared * circlingScale * circlingScale)
    // A tilt that goes round is not standing still, however small: a gentle circle begins below
    // the size and rate that count, and a mean settling fast (0.5 s) on a circle of 10 s follows
    // it and leaves a third of it, so it would never grow past them and count.
    wasMoving = isTilting || isGoingRound
    // Judged by the body's rate: without a gyroscope a mean settling fast keeps up with a gentle
    // circle, whose tilt then seems to stand still.
    wasLeftBehind =
      !wasMoving && bodyRate < settings.minimumHipRollRateDPS && radius > leftBehindTiltDegrees
    isValid = isValid && isTilting && rateMagnitude >= 0.2 * rateEnvelope.maximum
    // Back from an untracked stretch that passed through the centre, the tilt's angle has
    // jumped about half a turn whichever way it went: it may not run the turn backwards.
    // (With a gyroscope only: without one, 3 sets of the development corpora came out worse and
    // 1 better.)
    let keepsDirection =
      isValid && input.angularVelocityDPS != nil
      && untrackedClosestTiltDegrees < Self.centreCrossingTiltDegrees
    untrackedClosestTiltDegrees = isValid ? .infinity : min(untrackedClosestTiltDegrees, radius)
    let wasActive = counter.isActive
    // The angle is only read while valid: no arctangent for the frames at rest.
    let event = counter.update(
      timeSeconds: input.timeSeconds, angleRadians: isValid ? angleRadians(y: ty, x: tx) : 0,
      isValid: isValid, keepsDirection: keepsDirection)
    impact.update(accelerationMagnitudeG: input.accelerationMagnitudeG, dtSeconds: dt)
    joltySeconds = impact.rmsG > settings.maximumExerciseJoltG ? joltySeconds + dt : 0
    if !wasActive && counter.isActive { startRep() }
    let travel = abs(counter.travelRadians)
    if travel >= Double.pi / 2 && travel <= 3 * Double.pi / 2 {
      middleOfTurn.include(x: tx, y: ty)
    }
    let angularSpeedSquared = input.angularVelocityDPS?.lengthSquared ?? 0
    metrics.add(
      x: tx, y: ty, angularSpeedSquared: angularSpeedSquared, dtSeconds: dt,
      inverseDtSeconds: inverseDt)
    switch event {
    case .none:
      return nil
    case .completed(let cycle):
      defer { startRep() }
      return judgedEvent(cycle, completed: true)
    case .abandoned(let cycle):
      defer { startRep() }
      return judgedEvent(cycle, completed: false)
    }
  }

  /// A gentle circle tilts slower than `minimumHipRollRateDPS`. It is still followed while the
  /// tilt (at least `minimumHipRollTiltDegrees` out) goes round: about the centre at one turn in
  /// 15 s or faster (rad/s), the same way over the last second or so, and mostly across the
  /// radius over that second (its turning, r × v smoothed, at least 0.6 of r·|v| smoothed: of
  /// what it would be if all of its movement went round; squared here). Sway and a hand's wobble
  /// jitter every way, walking rocks the pelvis back and forth, and a mean settling after a set
  /// draws the tilt straight in: over a second, none of them turns. Judged frame by frame
  /// instead, a hand's own wobble (as fast as a gentle circle's tilt, and at another frequency)
  /// turns the tilt's velocity off the tangent half of the time, and the circle is lost.
  static let slowCircleTurnRate = 2 * Double.pi / 15
  static let slowCircleAcrossSquared = 0.6 * 0.6
  /// Before a set has the two circles of its yardstick, a circle under this fraction of its
  /// first is partial all the same. The first may be small for growing out of standing still,
  /// which only makes the rule more lenient; the partial circles of the corpora's truth are
  /// 0.15 to 0.3 of their set's, the set's circles within about ±30 % of each other. Without
  /// it, a second circle 0.3 the size of the first was counted (three sets of the development
  /// corpora): until it is, the set has no yardstick.
  static let firstCircleYardstickFraction = 0.35
  /// A stretch with no circle followed starts a new set (its yardstick for "partial"
  /// forgotten) only if also longer than this many of the set's last counted circle. A partial
  /// circle of a quarter of the others' size is often too small to follow at all, and leaves a
  /// gap as long as a circle: over the 3 s of `RepJudge.newSetPauseSeconds` once circles take
  /// 3 s or more. With the yardstick forgotten there, the next partial circle (or the one after
  /// the circle that follows) was counted. The cost: a slow set's pause under this long no
  /// longer starts a new set (its circles after it are as large as before); a set the other way
  /// round still starts anew by its direction.
  static let newSetPauseCircles = 1.5
  /// An untracked tilt that came this near the centre, degrees, passed through it.
  static let centreCrossingTiltDegrees = 0.8
  /// A set's first circle is held back only while its middle's radius is under this many times
  /// `minimumHipRollTiltDegrees`: a partial start is a tentative sway (1 to 2.5° of tilt in the
  /// corpora's truth, 2 to 3° measured), and the circles after one measure 5 to 11°. A larger first
  /// circle is reported as it ends instead of a circle late (1.5 to 10 s): on the development
  /// and confirmation corpora holding every first circle made no other set exact, and tripled
  /// to sextupled the latency's 95th percentile.
  static let heldCircleTiltFactor = 2.0
  /// How fast the mean settles when left behind, seconds: at once but for the rates' smoothing
  /// (0.08 to 0.15 s), which calls the body still while a device's turn in its holder still
  /// ends. (At 0.2 s four sets of the development corpora fewer came out exact; taking the tilt
  /// as the mean outright, on the first still frame, fifteen gentle sets fewer.)
  static let leftBehindSettleSeconds = 0.1
  /// Jolty this long without a break, the body walked, seconds: one footfall (or one knock: the
  /// jolt meter caps a frame's share at a firm step's) keeps the meter over the gate for about
  /// 0.4 s; two footfalls or more, longer. A hip roll's own jolt stays under the gate.
  static let walkedJoltSeconds = 0.5
  /// How fast the envelopes forget while the body stands still, seconds.
  static let stillEnvelopeDecaySeconds = 2.0
  /// How fast the envelopes rise to a new extreme, seconds: a brief spike barely registers.
  static let envelopeAttackSeconds = 1.0
  /// The tilt's velocity is smoothed over about this long, seconds.
  static let tiltRateSeconds = 0.15
  static let tiltRateSmoothingPerSecond = 1 / tiltRateSeconds
  /// 1/s: the turn rate is smoothed over about a second.
  static let circlingSmoothingPerSecond = 1.0

  public var gyroBias: GyroBiasTracker { preprocessor.orientation.gyroBias }

  public mutating func finish() -> [RepEvent] {
    // Circles held back, oldest first: the stream ended before the set's second circle.
    var events: [RepEvent] = []
    appendQueued(to: &events)
    if counter.isActive, abs(counter.travelRadians) >= Double.pi {
      let cycle = PhaseCounter.Cycle(
        startSeconds: counter.departureSeconds, endSeconds: lastTimeSeconds,
        direction: counter.travelRadians >= 0 ? 1 : -1, travelRadians: counter.travelRadians)
      counter.reset()
      // The unfinished circle releases a held one, and is queued behind it.
      if let event = judgedEvent(cycle, completed: false) { events.append(event) }
      appendQueued(to: &events)
    }
    if let held = releaseHeld() { events.append(held) }
    appendQueued(to: &events)
    return events
  }

  private mutating func appendQueued(to events: inout [RepEvent]) {
    if let queuedCircle { events.append(queuedCircle) }
    if let queuedAfter { events.append(queuedAfter) }
    queuedCircle = nil
    queuedAfter = nil
  }

  private mutating func startRep() {
    metrics.startRep()
    middleOfTurn = PlaneExtents()
  }

  private mutating func judgedEvent(_ cycle: PhaseCounter.Cycle, completed: Bool) -> RepEvent? {
    let range = metrics.radius
    // A turn abandoned before its middle is judged by all of it.
    let middleRadius = middleOfTurn.radius > 0 ? middleOfTurn.radius : range
    let isFirstOfSet = judge.opensSet(startSeconds: cycle.startSeconds)
    let verdict = judge.judge(cycle, completed: completed, gateRange: middleRadius)
    if case .ignored = verdict { return nil }
    // Footsteps: a cycle this jolty was walking, not a hip roll.
    if impact.rmsG > settings.maximumExerciseJoltG { return nil }
    let isPartial = verdict == .partial
    // Counted with no yardstick yet (one circle makes none): the first of its set.
    let opensSet = !isPartial && judge.typicalRange == nil
    // By its whole extent too: the first turn's middle may fall where the circle still grows
    // out of standing still (its phase can set off near the centre), small beside a second
    // circle no larger than it.
    if !isPartial, !opensSet, var held = heldCircle,
      heldGateRange < settings.partialRangeFraction * middleRadius,
      held.metrics.rangeDegrees < settings.partialRangeFraction * range
    {
      // The set's first circle was much smaller than its second: a partial start. The set is
      // measured from this circle.
      countedReps -= 1
      held.isPartial = true
      heldCircle = held
      judge.restartSet(withRange: middleRadius)
    }
    // A set's first whole turn, partial only for being under the size that counts, was held to
    // be measured against the circle after it instead: not a partial start by the rule above
    // (and at least half as long: not a fragment of a circle), it was the set's first.
    var confirmsHeldStart = false
    if !isPartial, opensSet, var held = heldCircle, held.isPartial,
      held.durationSeconds >= 0.5 * (cycle.endSeconds - cycle.startSeconds),
      heldGateRange >= settings.partialRangeFraction * middleRadius
        || held.metrics.rangeDegrees >= settings.partialRangeFraction * range
    {
      countedReps += 1
      held.isPartial = false
      held.index = countedReps
      heldCircle = held
      confirmsHeldStart = true
    }
    if !isPartial { countedReps += 1 }
    let event = RepEvent(
      exercise: .hipRoll, index: isPartial ? countedReps + 1 : countedReps,
      startSeconds: cycle.startSeconds, endSeconds: cycle.endSeconds,
      direction: cycle.direction > 0 ? .counterclockwise : .clockwise, isPartial: isPartial,
      metrics: metrics.metrics(
        rangeDegrees: range, durationSeconds: cycle.endSeconds - cycle.startSeconds))
    // Whatever ends after the held circle releases it, this one queued behind it; the first
    // circle of a set is held in its turn, if small enough to be a partial start, and so is a
    // first whole turn under the size that counts (a hard set's small circles measure 2 to 3°
    // over their middle, their first less while it grows out of standing still).
    // A partial turn between the held circle and the set's next whole one (a start's wander, a
    // turn abandoned as it grew) leaves the held circle to be measured against that next circle:
    // it is reported behind the held one.
    if isPartial, heldCircle != nil, partialAfterHeld == nil {
      partialAfterHeld = event
      return nil
    }
    let released = releaseHeld()
    let isUndersizedStart =
      isPartial && completed && released == nil && isFirstOfSet
      && middleRadius < settings.minimumHipRollTiltDegrees
      && (settings.minimumRepSeconds...settings.maximumRepSeconds).contains(
        cycle.endSeconds - cycle.startSeconds)
    if isUndersizedStart
      || opensSet && !confirmsHeldStart
        && middleRadius < Self.heldCircleTiltFactor * settings.minimumHipRollTiltDegrees
    {
      heldCircle = event
      heldGateRange = middleRadius
      return released
    }
    guard let released else { return event }
    enqueue(event)
    return released
  }
}
