/// Counts knee lifts (lying on the back, one knee pulled toward the chest, held, lowered) and,
/// with a calibration profile, tells the side.
///
/// A knee lift is an excursion from rest and back to the same rest: "up" in the sensor frame
/// leaves its resting direction (the pelvis tilts backwards for a waist-worn sensor, the thigh
/// flexes for a thigh-worn one), stays away for the hold, and comes back. The signal is the angle
/// between up and the resting up, so it needs no axis and no mounting. The rest is learnt while
/// the body is quiet. An excursion that settles somewhere else instead of coming back (the device
/// turned in its holder, a change of posture) is not a repetition: after a quiet stretch longer
/// than a hold, that orientation becomes the new rest (unless the body then comes back to the old
/// one: a lift held there as a stretch, counted on the way down). Before then, the places the
/// body stopped at are remembered, and a return to either of the last two closes a repetition
/// from there: a lift from a shifted rest back to that rest counts even while the old rest is
/// still the reference. Back at the last one (the top of a lift) after turning most of the way
/// back to the one before without stopping there, the body lowered the knee straight into the
/// next rise: the lift went from the one before, and the next lift from the turn. A set's
/// first lift may also end at a stop well short of its rest, once past its top: a hand-held
/// device goes onto the knee as the lift starts and stays there.
///
/// The first lift of a set is reported up to `firstLiftHoldSeconds` late: one followed at once
/// by a much larger turn was the start of lying down, not a lift. With no lift yet to measure it
/// against, it must also be `liftOverRestWanderFactor` times the device's own wander at rest: a
/// controller lying beside the body wanders a few degrees by itself. Nor was it a lift when the
/// body, at a lift's pace, swings on through its rest and stops well past it: the device was
/// turned in its holder and lay still at the "lift's" top, and the swing is a lift from there.
///
/// Side: lifting the right knee rolls the pelvis toward the right, so up moves toward the body's
/// left; the sign of that movement along `BodyProfile.rightInSensor` at the top of the lift gives
/// the side. Without a profile the side is `.unknown`.
///
/// The calibrated right axis holds while the device sits in its holder as it did. When it turns
/// there (a fidget) and the body comes to rest again, the gyroscope's record of that turn
/// carries the axis along: the body lay still, so the whole turn was the device's. A still
/// standing rest followed by a still lying one measures the axis afresh (it is across both
/// ups), which covers turns while standing and devices without a gyroscope. With the
/// calibration's postures the direction of a lift is known too (up moves toward the feet), so
/// a rest that a fidget left at the top of the lifts is recognised and moved to where the lifts
/// start.
///
/// Without them, the set's lifts show the way they go (two in a row alike). Within the set an
/// excursion the other way that comes back is no lift, however large and long: a hand-held
/// device taken off the knee at the set's end, laid still, and put on the other knee for the
/// next set. Unless the body heads there again next: then the rest was the top of the lifts
/// (a fidget turned the device against them), and that is a lowering, measured from there.
public struct KneeLiftDetector: RepDetector {
  public var exercise: Exercise { .kneeLift }
  public let settings: DetectorSettings

  /// Below this rate of change of up (°/s) the body is quiet: resting or holding. A gentle lift
  /// is slow: an 8° pelvic tilt raised in 3 s turns at about 4 °/s at its fastest, and a lift
  /// under this rate all the way is taken for a rest that drifts.
  static let quietRateDPS = 3.0
  /// Or below this fraction of the fastest turning of the last lift (or of the one in progress):
  /// a hand holding the knee, or a thigh, is never as still as a pelvis, but far stiller than
  /// while it moves.
  static let quietFractionOfLiftRate = 0.06
  /// Or, away from the rest, below this many times the device's wander at rest (RMS, degrees)
  /// per second: a hand-held device lying still wanders slowly (0.1–0.5 Hz) but at several
  /// degrees a second, more than a pelvis's quiet rate and, before any lift, than a twentieth
  /// of the pace of lying down. A wander of w° (as measured, about its mean over a second)
  /// mostly turns at under 4w °/s; a faster one is still taken for movement. A pelvis or a
  /// thigh wanders a few tenths of a degree, which leaves its quiet as it was.
  static let quietWanderRatePerSecond = 4.0
  /// An excursion ends when it is back within this fraction of its peak angle.
  static let returnFraction = 0.35
  /// A new excursion starts beyond this fraction of the set's typical lift (and the absolute
  /// minimum).
  static let onsetFraction = 0.15
  /// Quiet this long away from rest is a new rest rather than a hold (a hold is brief), or as
  /// long as the last counted lift took from leaving its rest to coming back (`lastCountedLiftSeconds`):
  /// a hold is part of a lift, and a gentle set's holds (up to 4 s) outlast a brisk set's
  /// whole lifts. Seconds.
  static let longestHoldSeconds = 2.5
  /// A rest this far from the last one is another posture. Degrees.
  static let newPostureDegrees = 45.0
  /// After a lift, the next rest is taken where the body is first quiet within this. Seconds.
  static let settleSeconds = 0.8

  /// A lift with no yardstick yet must be this many times the device's wander at rest (RMS):
  /// a hand-held device lying beside the body wanders a few degrees on its own, which would
  /// pass the absolute minimum; a pelvis moves a few tenths of a degree as it breathes.
  static let liftOverRestWanderFactor = 4.0
  /// The wander assumed before the device was seen quietly at rest (a hand-held device's is
  /// 1.5–5° RMS): a lift right at the start must be clearly more than a hand's wander. Degrees.
  static let unseenRestWanderDegrees = 2.5
  /// The wander is measured over about this much quiet rest. Seconds.
  static let restWanderSeconds = 1.0

  private enum Phase {
    case resting
    case lifting
  }

  /// Quiet this long marks a place the body stopped at (a rest, or the top of a hold). Seconds.
  static let stopSeconds = 0.4
  /// Back at a stop already made, quiet this long closes the lift from there: after a fidget the
  /// next lift may follow the last one within half a second. Seconds.
  static let returnQuietSeconds = 0.15

  /// A place the body stopped at during an excursion, and how far it has moved from it since.
  private struct Stop {
    var up: Vector3
    /// The last quiet moment there: when the body left it.
    var leftSeconds: Double
    var farthestDegrees = 0.0
    /// Where and when the body was farthest from here (nil: here).
    var farthestUp: Vector3?
    var farthestSeconds = 0.0
    /// The roll toward the body's right since leaving.
    var roll = RollTally()
    /// The body's right in the sensor frame while stopped here.
    var right: Vector3?
    /// The device's wander (RMS) when the body left here: a lift from here is judged by it.
    var wanderDegrees: Double
    /// The fastest turning of the movement that arrived here, °/s.
    var arrivalPeakRateDPS = 0.0
    /// The fastest turning since the body left the stop before (`stopBefore` when this stop was
    /// recorded), °/s: the whole way here, through any stops it drifted on from. Nil: a rest
    /// taken, not a stop on the way (the top of a long hold, the start of a lift).
    var wayThereRateDPS: Double?
    /// The fastest turning since the body left here, °/s: a lift closed from here is as fast as
    /// that, not as the quick fidget that brought the body here before it.
    var departedPeakRateDPS = 0.0

    /// How far the body is from here, its roll from here (as `roll` from the rest) and how fast
    /// it turned: a lift that started from a stop other than the rest (the pelvis shifted
    /// between sets) is judged against where it started.
    mutating func follow(up now: Vector3, atSeconds t: Double, rateDPS: Double) {
      departedPeakRateDPS = max(departedPeakRateDPS, rateDPS)
      let degrees = angleDegrees(now, up)
      if degrees > farthestDegrees {
        farthestDegrees = degrees
        farthestUp = now
        farthestSeconds = t
      }
      if let right { roll.add(up: now, from: up, degrees: degrees, right: right) }
    }
  }

  private var preprocessor: MotionPreprocessor
  /// The last two stops of the excursion: coming back to either (quiet, near it) after moving
  /// away from it closes a repetition, whatever happened before (the device turned in its
  /// holder and settled; the hand moved to the other knee).
  private var lastStop: Stop?
  private var stopBefore: Stop?
  /// The rest an excursion left before it settled elsewhere, with the excursion's extent.
  private var restBeforeSettling: Stop?
  private var stopRecorded = false
  private var phase = Phase.resting
  /// Just back from a lift: the body settles somewhere near the old rest, and that place is the
  /// rest for the next lift (the hand moving to the other knee shifts the pelvis a little).
  private var awaitingRestSince: Double?
  /// While awaiting that rest: where and when the body came nearest the old rest (the turn
  /// from the return into whatever follows), and how far from it that was, degrees.
  private var settleNearestUp = Vector3(0, 0, 1)
  private var settleNearestSeconds = 0.0
  private var settleNearestDegrees = 0.0
  /// The peak of the excursion that just ended, degrees, and whether it was counted.
  private var settleAfterPeakDegrees = 0.0
  private var settleAfterCountedLift = false
  private var restUp = Vector3(0, 0, 1)
  private var hasRest = false
  private var restFilter = VectorLowPassFilter(timeConstantSeconds: 1.0)
  /// The device's wander: the mean square of the angle of up from where it lies still (at the
  /// rest, or at a place that will turn out to be a new rest), degrees²; whether it was still
  /// on the last frame, and the mean up of this still stretch.
  private var restWanderSquaredDegrees = LowPassFilter(
    timeConstantSeconds: KneeLiftDetector.restWanderSeconds)
  /// The wander as an RMS angle, degrees.
  private var restWanderDegrees: Double { restWanderSquaredDegrees.value.squareRoot() }
  private var wasStill = false
  private var quietMeanUp = VectorLowPassFilter(
    timeConstantSeconds: KneeLiftDetector.restWanderSeconds)
  /// The wander (RMS, degrees) when the excursion in progress started. A lift is judged by the
  /// lower of this and the wander now: its own slow parts, quiet by the rate, must not raise
  /// the bar, while its quiet hold is more of the device seen still (the first lift can come
  /// soon after the body lay down, before the assumed wander has given way to a measured one).
  private var wanderAtDepartureDegrees = KneeLiftDetector.unseenRestWanderDegrees
  private var upRateDPS = LowPassFilter(timeConstantSeconds: 0.1)
  private var previousUp = Vector3(0, 0, 1)
  private var smoothedUp = VectorLowPassFilter(timeConstantSeconds: 0.1)
  private var quietSinceSeconds: Double?
  /// Up when the quiet began (restarted where the body drifted on while lifting).
  private var quietAnchorUp = Vector3(0, 0, 1)
  /// Whether the body drifted on from where it last stopped in the lift in progress: from
  /// then on, quiet is judged by the turning since that stop, not by the excursion's (a quick
  /// fidget before the stop would make a gentle lift after it quiet all the way).
  private var movedOnFromStop = false
  private var departureSeconds = 0.0
  private var peakDegrees = 0.0
  /// Where and when the excursion in progress was farthest from the rest.
  private var peakUp = Vector3(0, 0, 1)
  private var peakSeconds = 0.0
  private var judge: RepJudge
  private var metrics = RepMetricsAccumulator()
  /// The body's right in the sensor frame at the current rest (the calibrated axis, carried
  /// along by turns of the device in its holder; nil without a profile), and the same carried
  /// through the movement since by the gyroscope, as if the body were still.
  private var restRight: Vector3?
  private var carriedRight: Vector3?
  /// Where the carrying started: the rest the body left.
  private var carriedFromUp = Vector3(0, 0, 1)
  /// Whether the device reports a gyroscope (known from its first frame).
  private var hasGyroscope = false
  /// Up lying on the back, from the calibration: the axis is carried only between two rests
  /// there (standing, the body itself turns; lying, it barely can).
  private let lyingUpInSensor: Vector3?
  private let standingUpInSensor: Vector3?
  /// +1 or −1: the calibrated right is this times standing up × lying up (nil without both
  /// postures).
  private let rightAcrossPosturesSign: Double?
  /// Up at the last still standing rest, until the body next lies still.
  private var standingRestUp: Vector3?
  /// Whether the last counted lift started lying down (by the calibration's postures).
  private var lastLiftWasLying = false
  /// The roll of the lift in progress from the rest it left.
  private var roll = RollTally()
  private var rollClusters = RollClusters()
  private var countedReps = 0
  /// Fastest turning of up in the excursion in progress, and in the last counted lift, °/s.
  private var liftPeakRateDPS = 0.0
  /// Fastest turning since the excursion's last stop (or its start), °/s.
  private var sinceStopPeakRateDPS = 0.0
  private var lastLiftPeakRateDPS = 0.0
  private var lastTimeSeconds = 0.0

  public init(settings: DetectorSettings = DetectorSettings(), profile: BodyProfile? = nil) {
    self.settings = settings
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    judge = RepJudge(
      settings: settings, minimumRange: settings.minimumKneeLiftDegrees,
      minimumRepSeconds: settings.minimumKneeLiftSeconds, yardstickReps: 1)
    // A twitch or a fidget in the pause between two sets (too short or too small to be even a
    // partial lift) is no lift of either: the next set still opens after the pause, measured
    // against its own lifts (the other leg's may be far smaller).
    judge.ignoredContinuesSet = false
    judge.relearnsUnmeasuredMinimum = true
    restRight = profile?.rightInSensor?.normalized
    carriedRight = restRight
    lyingUpInSensor = profile?.lyingUpInSensor?.normalized
    standingUpInSensor = profile?.standingUpInSensor?.normalized
    if let standing = standingUpInSensor, let lying = lyingUpInSensor, let right = restRight {
      let across = standing.cross(lying).dot(right)
      rightAcrossPosturesSign = abs(across) > Self.posturesAcrossSine ? (across > 0 ? 1 : -1) : nil
    } else {
      rightAcrossPosturesSign = nil
    }
  }

  /// Diagnostics: the angle of up from the resting up, degrees.
  public private(set) var angleFromRestDegrees = 0.0

  /// The first lift of a set is held back this long before it is reported (or until the next
  /// one ends). Lying down passes through a crouch and sitting: the pelvis tilts forward and
  /// swings back through upright, a knee-lift-sized excursion, then turns far more on the way
  /// down. Seconds.
  static let firstLiftHoldSeconds = 1.5
  /// A held first lift is dropped when, before it is reported, the body turns this many times
  /// its size away from where it came back to (and at least `postureChangeMarginDegrees` more).
  static let postureChangeFactor = 2.0
  static let postureChangeMarginDegrees = 20.0

  private var heldLift: RepEvent?
  private var heldUntilSeconds = 0.0
  /// Whether the held lift is smaller than a partial of the last set: then it is held until the
  /// next counted lift of its set ends (a partial one, the knee twitching, tells nothing of the
  /// set's size), or the set turns out to have no other, and a next lift more than twice its
  /// size makes it a partial. After a pause a slow partial lift looks like the first of a new
  /// set, which has no yardstick; but the next set (the other leg) may well be smaller than the
  /// last, so the last set's size alone cannot tell, only the next lift can. A next lift that
  /// is itself smaller than a partial of the last set takes the held one's place, as uncertain.
  private var heldIsUncertain = false
  /// The next lift is of the held uncertain lift's set when it leaves the rest within this of
  /// where the held one ended. Longer than a set's pause (`RepJudge.newSetPauseSeconds`): a
  /// partial lift ends when it is back within a third of its peak, well before a slow lowering
  /// is over, and a gentle next lift leaves late, so a rest of 2–3 s after a partial (the
  /// longest usual within a set at a gentle tempo) measures up to a second and a half more.
  /// Seconds.
  static let uncertainPauseSeconds = 4.5
  /// When the held uncertain lift's set was last seen going on: the held lift's end, or the end
  /// of a partial lift since (the hand going off the knee and back, a twitch). The pause to the
  /// next lift is counted from here, as the judge counts a set's pause.
  private var heldSetSeenSeconds = 0.0
  /// When the last counted lift ended, and how long it took from leaving its rest until then.
  private var lastCountedEndSeconds = -Double.infinity
  private var lastCountedLiftSeconds = 0.0
  /// The typical range of the last counted lifts (kept when the judge forgets the set).
  private var lastTypicalDegrees: Double?
  /// The typical range before the held lift was counted.
  private var typicalBeforeHeldDegrees: Double?
  /// A held lift that a lift opening a newer set replaced: reported on the next frame.
  private var supersededHeldLift: RepEvent?
  /// Up where the held lift ended, and up now.
  private var heldEndUp = Vector3(0, 0, 1)
  /// The rest the held lift was judged against, and the direction from it to the lift's top
  /// (nil when the lift came back to a stop rather than to that rest: then which way it went is
  /// not known here).
  private var heldRestUp = Vector3(0, 0, 1)
  private var heldLiftDirection: Vector3?
  /// Whether, since the held lift ended, the body swung on through its rest and past it,
  /// against the lift, by more than `returnFraction` of the lift: lowering a knee comes back
  /// to the rest, while lying down swings the pelvis forward into a crouch (a lift-sized
  /// excursion), back through upright to sitting, and on down. Such a body is kept waiting
  /// until it stops (quiet for `stopSeconds`) or for `heldWhileSwingingSeconds` more, so the
  /// far larger turn that follows can drop the lift.
  private var heldSwungPastRest = false
  static let heldWhileSwingingSeconds = 3.0
  /// Where the body stopped at the top of the held lift (nil: it did not stop there). A body
  /// that swung on through the held lift's rest and stopped on the far side was not lifting
  /// from that rest: the device was turned in its holder (a fidget along the lifts, roughly
  /// against them), the body lay still at this stop, and the swing is a lift from here, now at
  /// its top. Each later lift would otherwise pass back through the old rest and count twice,
  /// once each way.
  private var heldTopStop: Stop?
  private var currentUp = Vector3(0, 0, 1)
  /// A lift that ended while another was held: reported on the next frame.
  private var queuedLift: RepEvent?

  public mutating func process(_ frame: MotionFrame) -> RepEvent? {
    let event = detect(frame)
    if let superseded = supersededHeldLift {
      supersededHeldLift = nil
      if let newer = event { queuedLift = newer }
      return superseded
    }
    if let held = heldLift {
      let size = held.metrics.rangeDegrees
      if !heldSwungPastRest, let along = heldLiftDirection,
        (currentUp - heldRestUp).dot(along) * degreesPerRadian < -Self.returnFraction * size
      {
        heldSwungPastRest = true
      }
      let stopped = quietSinceSeconds.map { lastTimeSeconds - $0 >= Self.stopSeconds } ?? false
      if heldSwungPastRest, stopped, phase == .lifting, let top = heldTopStop,
        let along = heldLiftDirection,
        (currentUp - heldRestUp).dot(along) * degreesPerRadian
          < -settings.partialRangeFraction * size,
        // At a lift's pace: a quick turn there was the device turned after a lift.
        liftPeakRateDPS < Self.quickTurnFactor * max(lastLiftPeakRateDPS, Self.quietRateDPS)
      {
        // Stopped on the far side of the held lift's rest: the held "lift" was the device
        // turning in its holder, and the body is at the top of a lift from where it lay still.
        heldLift = nil
        countedReps -= 1
        judge.forgetSet()
        lastTypicalDegrees = typicalBeforeHeldDegrees
        liftDirection = directionBeforeHeld
        reanchor(at: top, up: currentUp)
      } else if angleDegrees(currentUp, heldEndUp)
        > max(Self.postureChangeFactor * size, size + Self.postureChangeMarginDegrees)
      {
        // A change of posture, not a set starting: forget the lift and the yardstick it set.
        heldLift = nil
        countedReps -= 1
        judge.forgetSet()
        lastTypicalDegrees = typicalBeforeHeldDegrees
        liftDirection = directionBeforeHeld
        // Nor was it a counted lift to settle after: if the body is still settling, the turn
        // that dropped it is a movement of its own from where the body turned (a lift, when the
        // dropped one was the hand going onto the knee), not the lift's settling.
        settleAfterCountedLift = false
      } else if lastTimeSeconds >= heldUntilSeconds
        && (!heldSwungPastRest || stopped
          || lastTimeSeconds >= heldUntilSeconds + Self.heldWhileSwingingSeconds)
        || event?.isPartial == false
        // At rest the departure follows the present, and stays where a lift on its way to the
        // onset left: no lift of the held one's set came.
        || (heldIsUncertain && phase == .resting
          && departureSeconds - heldSetSeenSeconds > Self.uncertainPauseSeconds)
      {
        heldLift = nil
        queuedLift = event
        return held
      }
    }
    if event == nil, let queued = queuedLift {
      queuedLift = nil
      return queued
    }
    return event
  }

  private mutating func detect(_ frame: MotionFrame) -> RepEvent? {
    let input = preprocessor.process(frame)
    let t = input.timeSeconds
    let dt = input.dtSeconds
    let up = input.upInSensor
    lastTimeSeconds = t
    let upBefore = currentUp
    currentUp = up
    if !hasGyroscope && input.angularVelocityDPS != nil { hasGyroscope = true }
    if input.continuity == .broken && hasRest
      && angleDegrees(up, upBefore) < 0.6 * settings.minimumKneeLiftDegrees
    {
      // Up is where it was before the gap (a device that sends nothing while nothing moves
      // was still until the reports were lost): the body did not move, or not so that it
      // shows, and the rest and the lift in progress still hold. Only the rates restart, and
      // the quiet is counted from here.
      previousUp = up
      smoothedUp.reset(to: up)
      upRateDPS.reset(to: 0)
      metrics.resetDerivatives()
      if quietSinceSeconds != nil { quietSinceSeconds = t }
      wasStill = false
      return nil
    }
    if input.continuity == .broken || !hasRest {
      // Nothing is known about where the body rests now: start from here, quietly.
      phase = .resting
      awaitingRestSince = nil
      restUp = up
      restFilter.reset(to: up)
      carriedRight = restRight
      carriedFromUp = up
      previousUp = up
      smoothedUp.reset(to: up)
      upRateDPS.reset(to: 0)
      quietSinceSeconds = nil
      departureSeconds = t
      metrics.resetDerivatives()
      restWanderSquaredDegrees.reset(
        to: Self.unseenRestWanderDegrees * Self.unseenRestWanderDegrees)
      hasRest = true
      return nil
    }

    // How fast up is turning: the gyroscope's rate across up, or without one the change of a
    // smoothed up (smoothed before differencing, so the accelerometer's noise averages out
    // instead of adding up in the length).
    let instantRate: Double
    if let gyro = input.angularVelocityDPS {
      instantRate = gyro.rejecting(up).length
    } else {
      let smoothed = smoothedUp.update(up, dtSeconds: dt)
      instantRate = dt > 0 ? (smoothed - previousUp).length * degreesPerRadian / dt : 0
      previousUp = smoothed
    }
    let rate = upRateDPS.update(instantRate, dtSeconds: dt)
    let restingStill =
      phase == .resting && awaitingRestSince == nil
      && (input.angularVelocityDPS.map {
        $0.length < max(Self.quietRateDPS, Self.quietFractionOfLiftRate * lastLiftPeakRateDPS)
      } ?? true)
    if restingStill {
      // Still at rest: a turn carried since the body last moved was the device's (a fidget that
      // barely tilted up, or one the rest was re-taken in the middle of); after that the axis
      // stays put, since integrating the gyroscope's leftover bias would only drift.
      adoptCarriedRight()
      carriedRight = restRight
      carriedFromUp = restUp
    } else if let gyro = input.angularVelocityDPS, let right = carriedRight {
      // A direction fixed in the body turns the other way round the sensor: dr/dt = r × ω.
      carriedRight = (right + right.cross(gyro) * (dt / degreesPerRadian)).renormalized ?? right
    }
    if phase == .lifting {
      liftPeakRateDPS = max(liftPeakRateDPS, rate)
      sinceStopPeakRateDPS = max(sinceStopPeakRateDPS, rate)
    }
    // Within a lift, its own fastest turning already tells how still "quiet" is, before any lift
    // was counted (a hand-held device between the first lifts of a set).
    let referenceRateDPS =
      phase == .lifting
      ? max(lastLiftPeakRateDPS, movedOnFromStop ? sinceStopPeakRateDPS : liftPeakRateDPS)
      : lastLiftPeakRateDPS
    // Away from the rest, turning no faster than the device's own wander is quiet too: a hand
    // lying still after lying down, before any lift has shown how fast the lifts turn.
    let wanderRateDPS =
      phase == .lifting ? Self.quietWanderRatePerSecond * restWanderDegrees : 0
    if rate
      < max(
        Self.quietRateDPS, Self.quietFractionOfLiftRate * referenceRateDPS, wanderRateDPS)
    {
      if quietSinceSeconds == nil {
        quietSinceSeconds = t
        quietAnchorUp = up
      } else if phase == .lifting && hasGyroscope
        && (up - quietAnchorUp).lengthSquared > quietDriftLimitSquaredRadians
      {
        // Slow, but moving on: a gentle lift turning below the quiet rate, or after a quick
        // fidget below its fraction. The body is quiet where it stays, not where it passes.
        quietSinceSeconds = t
        quietAnchorUp = up
        movedOnFromStop = true
      }
    } else {
      quietSinceSeconds = nil
    }
    let quietSeconds = quietSinceSeconds.map { t - $0 } ?? 0
    // The wander is measured where the body is still by the absolute rate only: after fast
    // lifts, quiet by their fraction includes slow movements, which the mean lags behind.
    let still = rate < Self.quietRateDPS
    if still && !wasStill {
      quietMeanUp.reset(to: up)
    } else if still {
      let mean = quietMeanUp.update(up, dtSeconds: dt).renormalized ?? up
      // The chord between the unit vectors is the angle to within 0.1 % up to 10°: no
      // arc cosine per still frame.
      let wanderSquaredDegrees = (up - mean).lengthSquared * (degreesPerRadian * degreesPerRadian)
      restWanderSquaredDegrees.update(wanderSquaredDegrees, dtSeconds: dt)
    }
    wasStill = still

    var angle = angleDegrees(up, restUp)
    angleFromRestDegrees = angle
    // The last lifts set the onset only within their set. After a set's pause the next lift
    // opens a set and may be far smaller (a thigh-worn device sees its own leg flex by 50–110°
    // and the other only through the pelvis, by 5–15°): it need only leave the device's own
    // wander as far as a lift with no yardstick must reach to count. The set may not have been
    // forgotten yet: the body never lay quiet that long (a fidget between the sets).
    var onsetOfTypical = Self.onsetFraction * (judge.typicalRange ?? 0)
    if judge.opensSet(startSeconds: t) {
      onsetOfTypical = min(onsetOfTypical, Self.liftOverRestWanderFactor * restWanderDegrees)
    }
    let onset = max(0.6 * settings.minimumKneeLiftDegrees, onsetOfTypical)

    switch phase {
    case .resting:
      if awaitingRestSince != nil {
        if angle < settleNearestDegrees {
          settleNearestDegrees = angle
          settleNearestUp = up
          settleNearestSeconds = t
        }
        if !settleAfterCountedLift
          && angle - settleNearestDegrees
            > max(onset, Self.returnFraction * settleAfterPeakDegrees)
        {
          // After an excursion too small or too short to count (the knee twitching as the lift
          // begins), moving away again before it was quiet is the lift itself, not a settling.
          // Its rest is where the body turned; waiting for quiet would take the rest on the way
          // up or at the top, and the lift would be measured from there. (After a counted lift
          // the body may well move on at once: a rest at the top of the lifts, taken for the
          // bottom, is left again straight away, and that is a lowering, not a new lift.)
          awaitingRestSince = nil
          restUp = settleNearestUp
          restFilter.reset(to: settleNearestUp)
          departureSeconds = settleNearestSeconds
          angle = angleDegrees(up, restUp)
        } else {
          departureSeconds = t
        }
      }
      if let since = awaitingRestSince {
        if quietSeconds > 0 {
          restUp = up
          restFilter.reset(to: up)
          adoptCarriedRight()
          awaitingRestSince = nil
        } else if t - since > Self.settleSeconds {
          awaitingRestSince = nil
        }
        return nil
      }
      if quietSeconds > 0 {
        // Follow slow changes of the resting posture (breathing, settling).
        restUp = restFilter.update(up, dtSeconds: dt).renormalized ?? up
        if quietSeconds > Self.postureRestSeconds { notePostureRest() }
      }
      if angle < 0.5 * onset || quietSeconds > 0 { departureSeconds = t }
      // A long rest ends the set: the next one (the other leg) has its own size.
      if quietSeconds > judge.newSetPauseSeconds { judge.forgetSet() }
      guard angle > onset else { return nil }
      if quietSinceSeconds != nil {
        // Quiet at the rest is no hold: a lift that leaves it slower than the quiet rate (a
        // gentle one of a few degrees) is quiet from here, or a rest of a few seconds before it
        // would already make its first moment "settled elsewhere", and its top the rest.
        quietSinceSeconds = t
        quietAnchorUp = up
      }
      phase = .lifting
      wanderAtDepartureDegrees = restWanderDegrees
      liftPeakRateDPS = 0
      sinceStopPeakRateDPS = 0
      movedOnFromStop = false
      lastStop = Stop(
        up: restUp, leftSeconds: departureSeconds, farthestDegrees: angle, right: restRight,
        wanderDegrees: wanderAtDepartureDegrees)
      // A return to the rest before a long hold closes the held lift, if it is not too long ago.
      stopBefore = restBeforeSettling.flatMap {
        t - $0.leftSeconds < settings.maximumRepSeconds ? $0 : nil
      }
      restBeforeSettling = nil
      stopRecorded = false
      peakDegrees = angle
      peakUp = up
      peakSeconds = t
      roll = RollTally()
      metrics.startRep()
      metrics.includeExtent(x: 0, y: 0)
      metrics.add(
        x: angle, y: 0, angularSpeedSquared: input.angularVelocityDPS?.lengthSquared ?? 0,
        dtSeconds: dt)
      if let against = againstStop {
        againstStop = nil
        if departureSeconds - againstEndSeconds <= judge.newSetPauseSeconds,
          let way = tangent(from: restUp, to: up),
          let there = tangent(from: restUp, to: against.up),
          way.dot(there) > Self.againstLiftFraction
        {
          // Heading back to where the turn against the lifts went: the rest was the top of the
          // lifts (a fidget turned the device against them, and the way back was a lift's
          // rise), and this is the lowering, from there. The lift reached as far from there
          // as the body went since it left.
          reanchor(at: against, up: up)
          if let top = against.farthestUp, against.farthestDegrees > peakDegrees {
            peakDegrees = against.farthestDegrees
            peakUp = top
            peakSeconds = against.farthestSeconds
          }
        }
      }
      return nil

    case .lifting:
      metrics.add(
        x: angle, y: 0, angularSpeedSquared: input.angularVelocityDPS?.lengthSquared ?? 0,
        dtSeconds: dt)
      if angle > peakDegrees {
        peakDegrees = angle
        peakUp = up
        peakSeconds = t
      }
      // The roll across the top of the lift (weighted by the angle squared), not one sample:
      // it is a degree or two beside a tilt many times larger.
      if let right = restRight { roll.add(up: up, from: restUp, degrees: angle, right: right) }
      if angle < Self.returnFraction * peakDegrees {
        if reanchorIfAgainstLifts(
          from: restUp, farthestDegrees: peakDegrees, farthestUp: peakUp,
          farthestSeconds: peakSeconds, laterStop: lastStop, up: up)
          || reanchorAfterQuickTurn(up: up)
        {
          return nil
        }
        // Where the body stopped at the top of this lift, when it ended back at its rest.
        var topStop: Stop?
        var liftStartUp = restUp
        var liftTopUp: Vector3? = peakUp
        var liftLeftSeconds = departureSeconds
        var liftTopSeconds = peakSeconds
        if let stop = stopReturnedTo(up) {
          // Coming back to where the body stopped on the way as much as to the rest it left (a
          // fidget turned the device and it lay still there before the lift): the lift went
          // from that stop, and the turn before it is neither its range nor its roll.
          departed(from: stop)
          liftStartUp = stop.up
          liftTopUp = stop.farthestUp
          liftLeftSeconds = stop.leftSeconds
          liftTopSeconds = stop.farthestSeconds
        } else {
          topStop = lastStop.flatMap {
            $0.leftSeconds > departureSeconds
              && angleDegrees($0.up, restUp) >= Self.liftTopFraction * peakDegrees ? $0 : nil
          }
        }
        phase = .resting
        awaitingRestSince = t
        settleNearestUp = up
        settleNearestSeconds = t
        settleNearestDegrees = angle
        settleAfterPeakDegrees = peakDegrees
        return finishLift(
          endSeconds: t, from: liftStartUp, leftSeconds: liftLeftSeconds, top: liftTopUp,
          topSeconds: liftTopSeconds, topStop: topStop)
      }
      if let event = trackStops(up: up, t: t, rateDPS: rate, quietSeconds: quietSeconds) {
        return event
      }
      if phase == .resting { return nil }
      if quietSeconds >= max(Self.longestHoldSeconds, lastCountedLiftSeconds)
        || t - departureSeconds > settings.maximumRepSeconds
      {
        // It settled elsewhere: not a repetition, and here is the new rest. A new posture
        // (standing up, lying down) starts the side groups afresh: what was learnt there were
        // other movements.
        if angle > Self.newPostureDegrees {
          rollClusters = RollClusters(signMargin: rollClusters.signMargin)
        }
        // Unless the body comes back to where the held movement started: then this was the
        // top of a lift held longer than a hold usually is (a stretch held for seconds), counted
        // on the way down. It started at the old rest, or at the stop before this one when the
        // body lay still elsewhere on the way (a fidget turned the device, and it lay still
        // there before the lift).
        let heldFrom = stopBefore.flatMap { stop in
          angleDegrees(stop.up, restUp) >= settings.minimumKneeLiftDegrees
            && angleDegrees(stop.up, up) >= settings.minimumKneeLiftDegrees ? stop : nil
        }
        restBeforeSettling =
          heldFrom
          ?? Stop(
            up: restUp, leftSeconds: departureSeconds, farthestDegrees: peakDegrees,
            farthestUp: peakUp, farthestSeconds: peakSeconds, roll: roll, right: restRight,
            wanderDegrees: wanderAtDepartureDegrees, departedPeakRateDPS: liftPeakRateDPS)
        comeToRest(at: up)
        departureSeconds = t
      }
      return nil
    }
  }

  public var gyroBias: GyroBiasTracker { preprocessor.orientation.gyroBias }

  public mutating func finish() -> [RepEvent] {
    // Lifts held back, oldest first: the stream ended before their hold did, and nothing
    // contradicts them.
    var events: [RepEvent] = []
    if let supersededHeldLift { events.append(supersededHeldLift) }
    if let heldLift { events.append(heldLift) }
    if let queuedLift { events.append(queuedLift) }
    supersededHeldLift = nil
    heldLift = nil
    queuedLift = nil
    guard phase == .lifting, peakDegrees >= settings.minimumKneeLiftDegrees else { return events }
    phase = .resting
    let cycle = PhaseCounter.Cycle(
      startSeconds: departureSeconds, endSeconds: lastTimeSeconds, direction: 1,
      travelRadians: Double.pi)
    _ = judge.judge(cycle, completed: false, gateRange: peakDegrees)
    let unfinished = RepEvent(
      exercise: .kneeLift, index: countedReps + 1, startSeconds: cycle.startSeconds,
      endSeconds: cycle.endSeconds, side: side, isPartial: true,
      metrics: metrics.metrics(
        rangeDegrees: peakDegrees, durationSeconds: cycle.endSeconds - cycle.startSeconds))
    events.append(unfinished)
    return events
  }

  /// Follows the stops of an excursion; a return to one of the last two closes a repetition
  /// (from leaving that stop to arriving back) and makes it the rest.
  private mutating func trackStops(
    up: Vector3, t: Double, rateDPS: Double, quietSeconds: Double
  ) -> RepEvent? {
    lastStop?.follow(up: up, atSeconds: t, rateDPS: rateDPS)
    stopBefore?.follow(up: up, atSeconds: t, rateDPS: rateDPS)
    if quietSeconds >= Self.returnQuietSeconds && !stopRecorded {
      let arrivalSeconds = t - quietSeconds
      // The last stop first, then the one before (a tuple, not an array: nothing to allocate).
      let candidates = (lastStop, stopBefore)
      for index in 0..<2 {
        guard let stop = index == 0 ? candidates.0 : candidates.1,
          stop.farthestDegrees >= settings.minimumKneeLiftDegrees,
          angleDegrees(up, stop.up) < Self.returnFraction * stop.farthestDegrees
        else { continue }
        if index == 1, let wayThere = candidates.0?.wayThereRateDPS,
          sinceStopPeakRateDPS >= Self.quickTurnFactor * max(wayThere, Self.quietRateDPS)
        {
          // Back from where the body last stopped `quickTurnFactor` times faster than it went
          // there: not a lowering (a lift comes down at much the pace it went up) but a fidget
          // that brought the device back after the body drifted off slowly (settling just after
          // lying down). No lift; the body rests here.
          comeToRest(at: up)
          departureSeconds = t
          return nil
        }
        if let farthest = stop.farthestUp,
          reanchorIfAgainstLifts(
            from: stop.up, farthestDegrees: stop.farthestDegrees, farthestUp: farthest,
            farthestSeconds: stop.farthestSeconds, laterStop: index == 1 ? candidates.0 : nil,
            up: up)
        {
          return nil
        }
        var event: RepEvent?
        if index == 0, let before = candidates.1,
          closeLiftThroughStopBefore(before, top: stop, up: up, event: &event)
        {
          return event
        }
        comeToRest(at: up)
        departed(from: stop)
        return finishLift(
          endSeconds: arrivalSeconds, from: stop.up, leftSeconds: stop.leftSeconds,
          top: stop.farthestUp, topSeconds: stop.farthestSeconds)
      }
    }
    guard quietSeconds >= Self.stopSeconds else {
      if quietSeconds == 0 { stopRecorded = false }
      if quietSeconds > 0 && stopRecorded { lastStop?.leftSeconds = t }
      return nil
    }
    if stopRecorded {
      lastStop?.leftSeconds = t
      return nil
    }
    stopRecorded = true
    if let lift = closesFirstLiftShortOfRest(up: up, stopSeconds: t - quietSeconds) {
      return finishLift(
        endSeconds: t - quietSeconds, from: lift.start, leftSeconds: departureSeconds,
        top: lift.top, topSeconds: peakSeconds)
    }
    // Arrived here by drifting on from the last stop, never faster than quiet, or by moving
    // less than the smallest lift's onset (the knee shifting a little in a gentle hold): the
    // same stop, moved; keep the one before it (where a held lift started).
    let movedFromLastStop =
      lastStop.map { angleDegrees(up, $0.up) >= 0.6 * settings.minimumKneeLiftDegrees } ?? true
    if sinceStopPeakRateDPS >= Self.quietRateDPS && movedFromLastStop {
      stopBefore = lastStop
    }
    let wayThere = max(stopBefore?.departedPeakRateDPS ?? 0, sinceStopPeakRateDPS)
    lastStop = Stop(
      up: up, leftSeconds: t, right: carriedRight,
      wanderDegrees: restWanderDegrees, arrivalPeakRateDPS: sinceStopPeakRateDPS,
      wayThereRateDPS: wayThere)
    sinceStopPeakRateDPS = 0
    movedOnFromStop = false
    return nil
  }

  /// The body is back at `top`, the last stop, having turned on the way back toward `before`,
  /// the stop it came to `top` from, most of the way there without stopping: it went down from
  /// the top of a lift and straight up again (no rest between the lifts, or one too short to
  /// be seen). That was the lift from `before`, ending where the body turned, and the next one,
  /// now at its top: not a lift from `top` (counted so, every lift of the set is measured from
  /// the top of the one before, and the last one, lowered into the rest after the set, is
  /// lost). If so, counts it (`event`: nil while a set's first lift is held back), takes the
  /// turn as the rest of the lift now at its top, and returns true.
  private mutating func closeLiftThroughStopBefore(
    _ before: Stop, top: Stop, up: Vector3, event: inout RepEvent?
  ) -> Bool {
    guard let turn = top.farthestUp,
      angleDegrees(before.up, top.up) >= settings.minimumKneeLiftDegrees,
      // A quick turn to the top was a fidget: the way back from there is a lift.
      top.arrivalPeakRateDPS
        < Self.quickTurnFactor * max(top.departedPeakRateDPS, Self.quietRateDPS)
    else { return false }
    let span = before.up - top.up
    let back = turn - top.up
    guard back.dot(span) >= (1 - Self.returnFraction) * span.lengthSquared,
      // The way up from `before` as large as a lift's, beside the way down: not a drift.
      span.lengthSquared >= settings.partialRangeFraction * settings.partialRangeFraction
        * back.lengthSquared
    else { return false }
    departed(
      from: before, peakDegrees: angleDegrees(before.up, top.up),
      peakRateDPS: max(top.arrivalPeakRateDPS, top.departedPeakRateDPS))
    comeToRest(at: turn)
    event = finishLift(
      endSeconds: top.farthestSeconds, from: before.up, leftSeconds: before.leftSeconds,
      top: top.up, topSeconds: top.leftSeconds)
    reanchor(
      at: Stop(
        up: turn, leftSeconds: top.farthestSeconds, right: carriedRight,
        wanderDegrees: restWanderDegrees),
      up: up)
    return true
  }

  /// While lifting, quiet that drifts further than this from where it began starts again: as far
  /// as starts a lift (or as the device's own wander), the chord squared, in radians.
  private var quietDriftLimitSquaredRadians: Double {
    let driftLimitDegrees = max(
      0.6 * settings.minimumKneeLiftDegrees, Self.onsetFraction * (judge.typicalRange ?? 0),
      Self.liftOverRestWanderFactor * restWanderDegrees)
    return (driftLimitDegrees / degreesPerRadian) * (driftLimitDegrees / degreesPerRadian)
  }

  /// A set's first lift may end short of the rest it left: a hand-held device rests at the
  /// side, goes onto the knee as the lift starts and stays there between lifts, so the lowered
  /// knee is a new rest, a good part of the lift away from the old one. A stop this far from
  /// the rest (as a fraction of the peak), or without one the farthest point, is the top of the
  /// lift...
  static let liftTopFraction = 0.8
  /// ...and a stop after it nearer the rest than this fraction of the peak, reached by a way
  /// down at least as long, is where the lift ended.
  static let shortOfRestFraction = 0.5

  /// The body stopped at `up` (since `stopSeconds`): if this closes the set's first lift short
  /// of its rest, takes here as the rest and returns where the lift started and its top.
  private mutating func closesFirstLiftShortOfRest(
    up: Vector3, stopSeconds: Double
  ) -> (start: Vector3, top: Vector3)? {
    guard judge.opensSet(startSeconds: departureSeconds),
      peakDegrees >= settings.minimumKneeLiftDegrees
    else { return nil }
    var topUp = peakUp
    if let top = lastStop, top.leftSeconds > departureSeconds {
      // A quick turn to the top and a slow way down is a fidget, as in reanchorAfterQuickTurn.
      guard
        top.arrivalPeakRateDPS
          < Self.quickTurnFactor * max(sinceStopPeakRateDPS, Self.quietRateDPS)
      else { return nil }
      topUp = top.up
    }
    guard angleDegrees(topUp, restUp) >= Self.liftTopFraction * peakDegrees,
      angleDegrees(up, restUp) < Self.shortOfRestFraction * peakDegrees,
      angleDegrees(up, topUp) >= Self.shortOfRestFraction * peakDegrees,
      // A way "up" against the lifts was a fidget to where the lifts top out, and the way
      // "down" a lift (aFidgetThatPutsTheRestAtTheTopOfTheLifts).
      !wentAgainstLifts(from: restUp, to: topUp)
    else { return nil }
    let start = restUp
    comeToRest(at: up)
    return (start, topUp)
  }

  /// Of the excursion's last two stops since it left the rest, the one `up` is coming back to
  /// (within the return fraction of the farthest it went from there), the nearer by that
  /// fraction if both are.
  private func stopReturnedTo(_ up: Vector3) -> Stop? {
    var returnedTo: Stop?
    var nearestFraction = Self.returnFraction
    // A tuple, not an array: nothing to allocate.
    let candidates = (lastStop, stopBefore)
    for index in 0..<2 {
      guard let stop = index == 0 ? candidates.0 : candidates.1,
        stop.leftSeconds > departureSeconds,
        stop.farthestDegrees >= settings.minimumKneeLiftDegrees
      else { continue }
      let fraction = angleDegrees(up, stop.up) / stop.farthestDegrees
      if fraction < nearestFraction {
        returnedTo = stop
        nearestFraction = fraction
      }
    }
    return returnedTo
  }

  /// `start`, `top`: up where the lift started (leaving it at `leftSeconds`) and at its top
  /// (at `topSeconds`; nil: not known), for the way the lifts go. `topStop`: where the body
  /// stopped at the lift's top (kept for a held first lift).
  private mutating func finishLift(
    endSeconds: Double, from start: Vector3, leftSeconds: Double, top: Vector3?,
    topSeconds: Double, topStop: Stop? = nil
  ) -> RepEvent? {
    let cycle = PhaseCounter.Cycle(
      startSeconds: departureSeconds, endSeconds: endSeconds, direction: 1,
      travelRadians: 2 * Double.pi)
    let opensSet = judge.opensSet(startSeconds: cycle.startSeconds)
    // Back from a turn against the set's lifts: not a lift (the hand went off the knee and
    // back onto the other one), at most a partial one; unless the body heads there again next
    // (see `againstStop`).
    againstStop = nil
    if let top, wentAgainstSetsLifts(from: start, leftSeconds: leftSeconds, to: top) {
      // Where the body stopped out there (at least half the excursion away), else its top.
      let peak = peakDegrees
      func outThere(_ stop: Stop?) -> Stop? {
        stop.flatMap {
          $0.leftSeconds > leftSeconds && angleDegrees($0.up, start) >= 0.5 * peak ? $0 : nil
        }
      }
      againstStop =
        outThere(lastStop) ?? outThere(stopBefore)
        ?? Stop(
          up: top, leftSeconds: topSeconds, right: carriedRight, wanderDegrees: restWanderDegrees,
          departedPeakRateDPS: liftPeakRateDPS)
      againstEndSeconds = endSeconds
    }
    let wentAgainst = againstStop != nil
    let verdict = judge.judge(
      cycle, completed: !wentAgainst, gateRange: peakDegrees,
      unmeasuredMinimumRange: Self.liftOverRestWanderFactor
        * min(wanderAtDepartureDegrees, restWanderDegrees))
    departureSeconds = endSeconds
    settleAfterCountedLift = verdict == .counted
    if case .ignored = verdict { return nil }
    let isPartial = verdict == .partial
    if isPartial && heldLift != nil { heldSetSeenSeconds = endSeconds }
    let previousTypicalDegrees = lastTypicalDegrees
    // Whether this lift replaced a held uncertain one as the set's first and is as uncertain.
    var reopensUncertain = false
    if !isPartial {
      if heldIsUncertain, var held = heldLift,
        cycle.startSeconds - heldSetSeenSeconds <= Self.uncertainPauseSeconds,
        held.metrics.rangeDegrees < settings.partialRangeFraction * peakDegrees
      {
        // The held first lift was a partial one of this set: this lift is its first (and when
        // the pause before it was longer than a set's, the judge has started the set here
        // already; the held lift is reported as superseded below).
        countedReps -= 1
        held.isPartial = true
        heldLift = held
        judge.restartSet(withRange: peakDegrees)
        if let before = typicalBeforeHeldDegrees,
          peakDegrees < settings.partialRangeFraction * before
        {
          // Still smaller than a partial of the last set: as uncertain as the held one was
          // (a fidget, or a partial lift of the set to come), held back in its turn and
          // measured by the same last set.
          reopensUncertain = true
        }
      }
      countedReps += 1
      lastCountedEndSeconds = endSeconds
      lastCountedLiftSeconds = cycle.endSeconds - cycle.startSeconds
      lastLiftPeakRateDPS = liftPeakRateDPS
      lastTypicalDegrees = judge.typicalRange
      previousLiftDirection = liftDirection
      if let top, let along = tangent(from: start, to: top) {
        // Two lifts of a set that went the same way: the set's way.
        let isConfirmed =
          !opensSet
          && liftDirection.map { $0.goes(along: along, from: start) } ?? false
        liftDirection = LiftDirection(fromUp: start, along: along, isConfirmed: isConfirmed)
      }
    }
    let event = RepEvent(
      exercise: .kneeLift, index: isPartial ? countedReps + 1 : countedReps,
      startSeconds: cycle.startSeconds, endSeconds: cycle.endSeconds,
      side: isPartial ? side : countedSide(),
      isPartial: isPartial,
      metrics: metrics.metrics(
        rangeDegrees: peakDegrees, durationSeconds: cycle.endSeconds - cycle.startSeconds))
    if (opensSet || reopensUncertain) && !isPartial {
      if let older = heldLift { supersededHeldLift = older }
      heldLift = event
      if !reopensUncertain {
        typicalBeforeHeldDegrees = previousTypicalDegrees
        directionBeforeHeld = previousLiftDirection
      }
      heldIsUncertain =
        typicalBeforeHeldDegrees.map {
          peakDegrees < settings.partialRangeFraction * $0
        } ?? false
      heldUntilSeconds =
        heldIsUncertain
        ? endSeconds + settings.maximumRepSeconds : endSeconds + Self.firstLiftHoldSeconds
      heldEndUp = currentUp
      heldSetSeenSeconds = endSeconds
      heldRestUp = restUp
      heldLiftDirection =
        angleDegrees(restUp, peakUp) >= 0.5 * peakDegrees ? (peakUp - restUp).normalized : nil
      heldSwungPastRest = false
      heldTopStop = heldLiftDirection == nil ? nil : topStop
      return nil
    }
    return event
  }

  /// Lying on the back, a knee lift moves up toward the feet in the body's frame (the pelvis
  /// tilts back, the thigh flexes): against the calibration's standing up. An excursion that
  /// went clearly the other way (more than this fraction of it along standing up) and came back
  /// was not a lift from its rest: the rest was the top of the lifts (a fidget between two of
  /// them moved the device there), and the excursion a lowering and the next rise.
  static let againstLiftFraction = 0.5

  /// An excursion from `start` that reached `farthestUp` is coming back: if it went against the
  /// lifts, re-anchors on where it went (`laterStop`, when the body stopped there, at least half
  /// the excursion away; else its farthest point) and returns true.
  private mutating func reanchorIfAgainstLifts(
    from start: Vector3, farthestDegrees: Double, farthestUp: Vector3, farthestSeconds: Double,
    laterStop: Stop?, up: Vector3
  ) -> Bool {
    guard wentAgainstLifts(from: start, to: farthestUp) else { return false }
    let restAfter = laterStop.flatMap {
      angleDegrees($0.up, start) >= 0.5 * farthestDegrees ? $0 : nil
    }
    reanchor(
      at: restAfter
        ?? Stop(
          up: farthestUp, leftSeconds: farthestSeconds, right: carriedRight,
          wanderDegrees: restWanderDegrees, departedPeakRateDPS: liftPeakRateDPS),
      up: up)
    return true
  }

  /// Whether, lying on the back by the calibration's postures, up moved from `start` to `end`
  /// against the lifts (toward the head).
  private func wentAgainstLifts(from start: Vector3, to end: Vector3) -> Bool {
    guard let standing = standingUpInSensor, restIsLying == true else { return false }
    let displacement = end - start
    return displacement.dot(standing) > Self.againstLiftFraction * displacement.length
  }

  /// Whether, without the calibration's postures, up went from `start` (leaving it at
  /// `leftSeconds`) to `end` against the way the set's last lift went from a rest near
  /// `start`: a hand-held device taken off the knee at the end of a set turns back from the
  /// thigh's angle to the pelvis's, against the lifts. Only within a set: a waist-worn device
  /// sees the pelvis roll toward the lifted leg, often more than it tilts, and the other leg's
  /// lifts may well go the other way. Or just after it (within `uncertainPauseSeconds` of its
  /// last counted lift) and smaller than a partial lift of it: the hand going off the knee is a
  /// turn by the thigh's angle at rest, small beside the lifts it held the knee through, and
  /// may outlast a set's pause when the hand lies still a while before it goes on.
  private func wentAgainstSetsLifts(from start: Vector3, leftSeconds: Double, to end: Vector3)
    -> Bool
  {
    guard standingUpInSensor == nil, let lifts = liftDirection, lifts.isConfirmed,
      let way = tangent(from: start, to: end)
    else { return false }
    if judge.opensSet(startSeconds: leftSeconds) {
      guard leftSeconds - lastCountedEndSeconds <= Self.uncertainPauseSeconds,
        let last = lastTypicalDegrees, peakDegrees < settings.partialRangeFraction * last
      else { return false }
    }
    return lifts.goes(along: -way, from: start)
  }

  /// Where the last excursion went when it came back from a turn against the set's lifts, and
  /// when it came back. The next excursion decides what it was: one heading there again, within
  /// a set's pause, was a lowering from a rest taken at the top of the lifts (a fidget turned
  /// the device against them, and the body rose from where it left it), and the lift is
  /// measured from there; one going the lifts' way is a lift, and the turn was no lift.
  private var againstStop: Stop?
  private var againstEndSeconds = 0.0

  /// The way the lifts go: from the rest a lift left, along the sphere (the direction in which
  /// up left it toward the top).
  private struct LiftDirection {
    var fromUp: Vector3
    /// A unit vector perpendicular to `fromUp`.
    var along: Vector3
    /// Whether the lift before went the same way in the same set (one lift alone may have
    /// been something else: the body settling as it lay down).
    var isConfirmed: Bool

    /// Whether `way` (a unit vector perpendicular to `start`) from `start`, a rest near this
    /// one, goes this way: within 60° of it, carried to `start`.
    func goes(along way: Vector3, from start: Vector3) -> Bool {
      guard angleDegrees(start, fromUp) < KneeLiftDetector.newPostureDegrees,
        let carried = along.rejecting(start).normalized
      else { return false }
      return way.dot(carried) > KneeLiftDetector.againstLiftFraction
    }
  }

  /// Without the calibration's postures, the way the last counted lift went (the lifts of a set
  /// all go one way: one leg flexes, the pelvis tilts back and rolls toward it, a hand on the
  /// knee goes with it), and the same before the last one and before the held lift (restored
  /// when a held first lift is dropped).
  private var liftDirection: LiftDirection?
  private var previousLiftDirection: LiftDirection?
  private var directionBeforeHeld: LiftDirection?

  /// The direction in which up leaves `start` toward `end`, perpendicular to `start` (nil when
  /// they coincide).
  private func tangent(from start: Vector3, to end: Vector3) -> Vector3? {
    (end - start).rejecting(start).normalized
  }

  /// A lift goes up and comes down at much the same pace; a fidget turns the device in its
  /// holder several times faster than a gentle lift moves. The way out this many times faster
  /// than the way back (room for a lowering slower or quicker than the rise) is a fidget that
  /// left the device still at the stop between, and the way back a lift from there.
  static let quickTurnFactor = 4.0

  /// An excursion is back near the rest it left: if it went out by a quick turn, stopped, and
  /// came back at a lift's pace, it is a lift from that stop (now at its top), not a lift from
  /// the rest: re-anchors there and returns true.
  private mutating func reanchorAfterQuickTurn(up: Vector3) -> Bool {
    guard let stop = lastStop, stop.leftSeconds > departureSeconds,
      angleDegrees(stop.up, restUp) >= settings.minimumKneeLiftDegrees,
      angleDegrees(up, stop.up) >= settings.minimumKneeLiftDegrees,
      stop.arrivalPeakRateDPS
        >= Self.quickTurnFactor * max(sinceStopPeakRateDPS, Self.quietRateDPS)
    else { return false }
    reanchor(at: stop, up: up)
    // The lift's own fastest turning, not the fidget's, tells how still its hold is.
    liftPeakRateDPS = sinceStopPeakRateDPS
    return true
  }

  /// The lift being finished went from `stop`: its departure, roll and the wander it is judged
  /// against are the stop's, and so are its size and fastest turning unless given (the stop's
  /// farthest excursion and the turning on the way there).
  private mutating func departed(
    from stop: Stop, peakDegrees: Double? = nil, peakRateDPS: Double? = nil
  ) {
    departureSeconds = stop.leftSeconds
    self.peakDegrees = peakDegrees ?? stop.farthestDegrees
    roll = stop.roll
    wanderAtDepartureDegrees = stop.wanderDegrees
    liftPeakRateDPS = peakRateDPS ?? stop.departedPeakRateDPS
  }

  /// Takes `rest`, where the excursion went, as the body's rest: what is under way now is a
  /// lift from there, at its top, judged when it comes back.
  private mutating func reanchor(at rest: Stop, up: Vector3) {
    restUp = rest.up
    restFilter.reset(to: rest.up)
    if let right = rest.right { restRight = right }
    departureSeconds = rest.leftSeconds
    peakDegrees = angleDegrees(up, rest.up)
    peakUp = up
    peakSeconds = lastTimeSeconds
    roll = rest.roll
    wanderAtDepartureDegrees = rest.wanderDegrees
    lastStop = rest
    stopBefore = nil
    stopRecorded = false
    phase = .lifting
    awaitingRestSince = nil
    metrics.startRep()
    metrics.includeExtent(x: 0, y: 0)
  }

  /// A rest this long is a posture the body holds (standing still, lying still). Seconds.
  static let postureRestSeconds = 1.0
  /// Standing up and lying up must be this far from parallel (sine of their angle, 60°) for the
  /// right axis across them to be trusted; upright and on the back they are about 90° apart.
  static let posturesAcrossSine = 0.866

  /// Standing still, then lying still on the back: the body's right is across both ups (it is
  /// perpendicular to the head-to-feet axis and to the front), wherever the device now sits in
  /// its holder. A turn of the device while standing, which the gyroscope cannot tell from the
  /// body's own turning, or any turn of an accelerometer-only device, is measured so, as the
  /// calibration measured the axis in the first place; the hips' flexion lying down turns the
  /// pelvis about right itself and changes nothing.
  private mutating func notePostureRest() {
    guard let sign = rightAcrossPosturesSign, let isLying = restIsLying, let right = restRight
    else { return }
    guard isLying else {
      standingRestUp = restUp
      return
    }
    guard let standing = standingRestUp else { return }
    standingRestUp = nil
    let across = standing.cross(restUp)
    guard across.length > Self.posturesAcrossSine, let observed = (across * sign).normalized
    else { return }
    // Right is seen whole again: the sign of the roll can be trusted.
    if rollClusters.signMargin > 0 { rollClusters = RollClusters() }
    guard angleDegrees(observed, right) > Self.deviceTurnedDegrees else { return }
    restRight = observed
    carriedRight = observed
  }

  /// The device turned at least this far in its holder before the carried axis is taken: less is
  /// a lift's own small leftover turn and the gyroscope's drift over it. Degrees.
  static let deviceTurnedDegrees = 5.0

  /// The lift is over and the body rests at `up`: the new rest, with the right axis carried
  /// there.
  private mutating func comeToRest(at up: Vector3) {
    phase = .resting
    restUp = up
    restFilter.reset(to: up)
    adoptCarriedRight()
  }

  /// The body came to rest: what the gyroscope carried the right axis to is its right now.
  private mutating func adoptCarriedRight() {
    if !hasGyroscope {
      carryRightByUpWithoutGyroscope()
      return
    }
    // Called on every still frame at rest, where nothing was carried: equal, no arc cosine.
    guard let carried = carriedRight, let right = restRight, carried != right,
      let lying = lyingUpInSensor, angleDegrees(carried, right) > Self.deviceTurnedDegrees,
      angleDegrees(carriedFromUp, lying) < Self.newPostureDegrees,
      angleDegrees(restUp, lying) < Self.newPostureDegrees
    else { return }
    restRight = carried
  }

  /// Cosine of `deviceTurnedDegrees`: the rest up moved further than this is a turn to carry.
  private static let deviceTurnedCosine = cosine(degrees: deviceTurnedDegrees)

  /// Without a gyroscope only up is seen to turn: a lying rest that moved from the last one is
  /// taken as the device turning in its holder, and the axis turns with up by the shortest
  /// rotation. That is right for a turn about any horizontal axis (the pelvis tilting back after
  /// a set turns up about right itself, which leaves right as it was); a turn about up itself
  /// stays unseen.
  private mutating func carryRightByUpWithoutGyroscope() {
    // Called on every still frame at rest, where up has not moved: one dot product.
    let from = carriedFromUp
    let cosine = from.dot(restUp)
    guard cosine < Self.deviceTurnedCosine, let right = restRight, let lying = lyingUpInSensor,
      angleDegrees(from, lying) < Self.newPostureDegrees,
      angleDegrees(restUp, lying) < Self.newPostureDegrees
    else { return }
    // Rodrigues' rotation taking `from` to `restUp`, without trigonometry: with w = from × to,
    // v' = v + w × v + w × (w × v) / (1 + cos).
    let axis = from.cross(restUp)
    let turned = right + axis.cross(right) + axis.cross(axis.cross(right)) * (1 / (1 + cosine))
    restRight = turned.normalized ?? right
    carriedRight = restRight
    carriedFromUp = restUp
    // The unseen part of the turn shifts both legs' roll fractions alike, by about as much as
    // the seen part would: from here the sign tells a side only beyond that (the sine of the
    // seen turn; turns add up), and otherwise two groups of lifts seen since do.
    rollClusters = RollClusters(signMargin: rollClusters.signMargin + axis.length)
  }

  /// The side from the sign of the roll alone.
  private var side: BodySide {
    guard restRight != nil, roll.weight > 0, restIsLying != false else { return .unknown }
    return rollClusters.sideBySign(ofRollFraction: roll.sum / roll.weight)
  }

  /// Whether the rest is lying on the back rather than standing, by the calibration's two
  /// postures; nil without them.
  private var restIsLying: Bool? {
    guard let lying = lyingUpInSensor, let standing = standingUpInSensor else { return nil }
    // Nearer in angle is larger in cosine: no arc cosine (this is asked on every quiet frame).
    return restUp.dot(lying) > restUp.dot(standing)
  }

  /// The side of a counted lift, from how its roll compares with the lifts before it.
  private mutating func countedSide() -> BodySide {
    guard restRight != nil, roll.sum != 0, roll.weight > 0 else { return .unknown }
    if let isLying = restIsLying {
      // Knee lifts are done lying on the back. Standing, an excursion is another movement (a
      // hip roll, a step): it has no side, and it must not shape the groups the lying lifts
      // will be judged by, so they start afresh on lying down.
      defer { lastLiftWasLying = isLying }
      guard isLying else { return .unknown }
      if !lastLiftWasLying { rollClusters = RollClusters(signMargin: rollClusters.signMargin) }
    }
    return rollClusters.side(ofRollFraction: roll.sum / roll.weight)
  }
}

/// The roll toward the body's right across a movement, weighted by the squared angle from where
/// it started (the top of a lift counts most), and the displacement under the same weights:
/// `sum / weight` is the fraction of the movement that went toward the right (−1…1).
struct RollTally: Sendable {
  private(set) var sum = 0.0
  private(set) var weight = 0.0

  /// Adds the sample `up`, `degrees` from `start`.
  mutating func add(up: Vector3, from start: Vector3, degrees: Double, right: Vector3) {
    let squared = degrees * degrees
    sum += (up - start).dot(right) * squared
    weight += degrees / degreesPerRadian * squared
  }
}

/// Knee-lift sides learnt from the lifts themselves.
///
/// A lift's roll fraction (how much of its movement went toward the body's right, −1…1) is
/// nearly the same for every lift of one leg, and the two legs' differ: right lifts roll toward
/// the right, so up moves left (negative). With the calibrated axis exact the sign alone tells
/// the side; but a device that turned in its holder after the calibration mixes some of the
/// pelvic tilt into the roll, and then both legs can read the same sign (−0.8 and −0.2, say).
/// So the lifts are grouped: while one group is known its sign decides; a lift clearly unlike a
/// tight first group is the other leg; once lifts of a second group have come (two in a row,
/// alike), the group with the lower fraction is the right leg.
struct RollClusters: Sendable {
  /// Roll fractions further apart than this belong to different legs. The lifts of one leg
  /// agree within a few hundredths; the legs differ by 0.3 to 1.
  static let separation = 0.15

  /// A second group is believed only when the first one is this tight (mean absolute
  /// deviation): a hand-held device's roll wanders from lift to lift, and groups drawn from it
  /// are noise.
  static let tightSpread = 0.05
  /// Lifts the first group needs before a second one is believed.
  static let settledCount = 3

  private struct Group {
    var mean: Double
    var count: Int
    var spread = 0.0

    mutating func add(_ value: Double) {
      count += 1
      spread += (abs(value - mean) - spread) / Double(count)
      mean += (value - mean) / Double(count)
    }

    var isSettled: Bool { count >= RollClusters.settledCount && spread <= RollClusters.tightSpread }
  }

  private var first: Group?
  private var second: Group?
  /// A lift unlike the first group, waiting for one more like it.
  private var candidate: Double?
  /// How far from 0 a roll fraction must be for its sign to tell the side: 0, but more after an
  /// accelerometer-only device turned in its holder, where part of the turn is unseen and
  /// shifts both legs' fractions alike. Nearer 0 only the order of two groups tells, and a
  /// lift before the second group has no side.
  let signMargin: Double

  init(signMargin: Double = 0) {
    self.signMargin = signMargin
  }

  /// The side by the sign of `fraction` alone, `.unknown` within the margin.
  func sideBySign(ofRollFraction fraction: Double) -> BodySide {
    guard abs(fraction) > signMargin, fraction != 0 else { return .unknown }
    return fraction < 0 ? .right : .left
  }

  mutating func side(ofRollFraction fraction: Double) -> BodySide {
    let bySign = sideBySign(ofRollFraction: fraction)
    guard var first else {
      self.first = Group(mean: fraction, count: 1)
      return bySign
    }
    if var second {
      let joinsFirst = abs(fraction - first.mean) <= abs(fraction - second.mean)
      if joinsFirst { first.add(fraction) } else { second.add(fraction) }
      self.first = first
      self.second = second
      let joinedIsLower = joinsFirst ? first.mean < second.mean : second.mean < first.mean
      return joinedIsLower ? .right : .left
    }
    if abs(fraction - first.mean) <= Self.separation {
      first.add(fraction)
      self.first = first
      candidate = nil
      return sideBySign(ofRollFraction: first.mean)
    }
    // Without the sign, two alike lifts clearly unlike the first group are the other leg's
    // group even before the first is settled: there is nothing better to go by.
    if first.isSettled || signMargin > 0, let earlier = candidate,
      abs(fraction - earlier) <= Self.separation
    {
      let group = Group(mean: (earlier + fraction) / 2, count: 2)
      second = group
      candidate = nil
      return group.mean < first.mean ? .right : .left
    }
    candidate = fraction
    // Clearly unlike a tight group of one leg's lifts: most likely the other leg, whatever the
    // sign says (a turned device gives both legs one sign), and the lower of the two is the
    // right, as when both groups are known (the group's own sign is a guess when it is near 0).
    if first.isSettled { return fraction < first.mean ? .right : .left }
    return bySign
  }
}
