import Foundation
import MotionCore
import Testing

private let fourRightThenFourLeft: [BodySide?] =
  Array(repeating: .right, count: 4) + Array(repeating: .left, count: 4)

/// The counted lifts of `pose` seen through a random mount (from `mountState`), with the profile
/// a calibration made of that mount before anything moved: the body's right is x, its head y,
/// its front z.
private func countedWithCalibration(
  pose: (Double) -> BodyPose, durationSeconds: Double, mountState: UInt64, seed: UInt64,
  withGyroscope: Bool = true
) -> [RepEvent] {
  var random = TestRandom(state: mountState)
  let mount = random.rotation()
  let profile = BodyProfile(
    rightInSensor: mount.transposed.apply(Vector3(1, 0, 0)),
    standingUpInSensor: mount.transposed.apply(Vector3(0, 1, 0)),
    lyingUpInSensor: mount.transposed.apply(Vector3(0, 0, 1)))
  var detector = KneeLiftDetector(profile: profile)
  return run(
    &detector,
    FrameSynthesizer(rateHz: 100, mount: mount, withGyroscope: withGyroscope, seed: seed).frames(
      durationSeconds: durationSeconds, pose: pose)
  ).counted
}

/// Knee lifts (pelvic tilt and a little roll, as `Motions.kneeLifts`) of the given sizes
/// (degrees), each after its own rest (seconds), then 3 s of rest.
private func liftSequence(
  _ lifts: [(degrees: Double, restBeforeSeconds: Double)], riseSeconds: Double,
  holdSeconds: Double, lowerSeconds: Double
) -> (duration: Double, pose: (Double) -> BodyPose) {
  let liftSeconds = riseSeconds + holdSeconds + lowerSeconds
  var starts: [Double] = []
  var time = 0.0
  for lift in lifts {
    time += lift.restBeforeSeconds
    starts.append(time)
    time += liftSeconds
  }
  let pose = { (t: Double) -> BodyPose in
    guard let index = starts.lastIndex(where: { $0 <= t }) else {
      return BodyPose(orientation: .identity, positionMeters: .zero)
    }
    let u = t - starts[index]
    let angle =
      lifts[index].degrees * Double.pi / 180 * smoothRamp(u, start: 0, duration: riseSeconds)
      * (1 - smoothRamp(u, start: riseSeconds + holdSeconds, duration: lowerSeconds))
    let tilt = Rotation(axis: Vector3(1, 0, 0), angleRadians: -angle)
    let roll = Rotation(axis: Vector3(0, 1, 0), angleRadians: 0.4 * angle)
    return BodyPose(orientation: tilt * roll, positionMeters: .zero)
  }
  return (time + 3, pose)
}

/// A hand's slow wander: a turn of the device of about `rmsDegrees` RMS about each axis, three
/// sinusoids of 0.1–0.5 Hz per axis drawn from `seed`.
private func handWander(rmsDegrees: Double, seed: UInt64) -> (Double) -> Rotation {
  var random = TestRandom(state: seed)
  let each = rmsDegrees * Double.pi / 180 * (2.0 / 3).squareRoot()
  let terms = (0..<9).map { _ in
    (
      radians: each * (0.6 + 0.8 * random.uniform()), hertz: 0.1 + 0.4 * random.uniform(),
      phase: 2 * Double.pi * random.uniform()
    )
  }
  return { t in
    var turn = [0.0, 0.0, 0.0]
    for (index, term) in terms.enumerated() {
      turn[index / 3] += term.radians * sin(2 * Double.pi * term.hertz * t + term.phase)
    }
    let vector = Vector3(turn[0], turn[1], turn[2])
    return Rotation(axis: vector, angleRadians: vector.length)
  }
}

@Suite struct KneeLiftDetectorTests {
  @Test(arguments: [10.0, 100, 1000])
  func countsLiftsAtAnyRate(rateHz: Double) {
    let sides: [Double] = [1, 1, 1, 1, 1, -1, -1, -1, -1, -1]
    let motion = Motions.kneeLifts(sides: sides, liftDegrees: Array(repeating: 12, count: 10))
    for seed: UInt64 in [1, 2] {
      var random = TestRandom(state: seed * 13)
      let synthesizer = FrameSynthesizer(rateHz: rateHz, mount: random.rotation(), seed: seed)
      var detector = KneeLiftDetector()
      let events = run(
        &detector,
        synthesizer.frames(
          durationSeconds: motion.duration, pose: motion.pose))
      #expect(events.counted.count == 10, "rate \(rateHz) seed \(seed)")
      #expect(events.allSatisfy { $0.side == .unknown })
      for event in events.counted.dropFirst() {
        #expect(abs(event.metrics.rangeDegrees - 12) < 3, "range \(event.metrics.rangeDegrees)")
      }
    }
  }

  /// The knee twitches just before each lift: an excursion too short to count, back at rest as
  /// the lift begins. The lift is measured from the rest, not from where the body was first
  /// quiet after the twitch (on its way up, or at the top: then the lift is too short to count).
  @Test func aTwitchJustBeforeEachLift() {
    let lifts = 6
    let leadSeconds = 3.0
    let twitchSeconds = 0.3
    let repSeconds = 4.6
    let pose = { (time: Double) -> BodyPose in
      let u = time - leadSeconds - Double(Int((time - leadSeconds) / repSeconds)) * repSeconds
      guard time > leadSeconds && time < leadSeconds + Double(lifts) * repSeconds else {
        return BodyPose(orientation: .identity, positionMeters: .zero)
      }
      let twitchDegrees =
        4 * smoothRamp(u, start: 0, duration: twitchSeconds / 2)
        * (1 - smoothRamp(u, start: twitchSeconds / 2, duration: twitchSeconds / 2))
      // The rise follows the twitch's return without a pause, and reaches the top within the
      // settling time after it.
      let start = 0.8 * twitchSeconds
      let liftDegrees =
        12 * smoothRamp(u, start: start, duration: 0.5)
        * (1 - smoothRamp(u, start: start + 1.5, duration: 0.8))
      let angle = (twitchDegrees + liftDegrees) * Double.pi / 180
      return BodyPose(
        orientation: Rotation(axis: Vector3(1, 0, 0), angleRadians: -angle), positionMeters: .zero)
    }
    for withGyroscope in [true, false] {
      var random = TestRandom(state: 5)
      let synthesizer = FrameSynthesizer(
        rateHz: 100, mount: random.rotation(), withGyroscope: withGyroscope)
      var detector = KneeLiftDetector()
      let counted = run(
        &detector,
        synthesizer.frames(
          durationSeconds: leadSeconds * 2 + Double(lifts) * repSeconds, pose: pose)
      ).counted
      #expect(counted.count == lifts, "gyroscope \(withGyroscope)")
    }
  }

  /// The stream ends during a lift, while the set's first lift (counted) is still held back to
  /// see whether a posture change follows: both are reported, the held one counted and the
  /// unfinished one partial. (`finish` used to return only one of them.)
  @Test func theEndOfTheStreamLosesNoHeldLift() {
    let motion = Motions.kneeLifts(
      sides: [1, 1], liftDegrees: [15, 15], restSeconds: 0.3, leadSeconds: 3)
    // 3 s still, the first lift (2.4 s), 0.3 s rest, then most of the second lift's rise:
    // within the 1.5 s the first is held after it ends.
    let endSeconds = 3 + 2.4 + 0.3 + 0.6
    for seed: UInt64 in 1...3 {
      var random = TestRandom(state: seed * 17)
      let synthesizer = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed)
      var detector = KneeLiftDetector()
      let events = run(
        &detector, synthesizer.frames(durationSeconds: endSeconds, pose: motion.pose))
      #expect(
        events.counted.count == 1, "seed \(seed): \(events.map { ($0.startSeconds, $0.isPartial) })"
      )
      #expect(events.filter(\.isPartial).count == 1, "seed \(seed)")
    }
  }

  @Test func sideComesFromTheProfile() {
    let sides: [Double] = [1, 1, 1, 1, -1, -1, -1, -1]
    let motion = Motions.kneeLifts(sides: sides, liftDegrees: Array(repeating: 15, count: 8))
    var random = TestRandom(state: 99)
    let mount = random.rotation()
    // Body right in the sensor frame: sensor → body is the mount, so body → sensor is its inverse.
    let profile = BodyProfile(rightInSensor: mount.transposed.apply(Vector3(1, 0, 0)))
    var detector = KneeLiftDetector(profile: profile)
    let counted = run(
      &detector,
      FrameSynthesizer(rateHz: 100, mount: mount).frames(
        durationSeconds: motion.duration, pose: motion.pose)
    ).counted
    #expect(counted.count == 8)
    #expect(
      counted.map(\.side) == Array(repeating: .right, count: 4) + Array(repeating: .left, count: 4))
  }

  /// The device turns 50° in its holder after the calibration, mostly about the body's front
  /// (which, lying on the back, gravity cannot see): the calibrated right axis is then far off,
  /// and only the gyroscope's record of the turn, carried over to the new rest, keeps the sides.
  @Test func sidesFollowTheDeviceTurningInItsHolder() {
    let sides: [Double] = [1, 1, 1, 1, -1, -1, -1, -1]
    let lifts = Motions.kneeLifts(
      sides: sides, liftDegrees: Array(repeating: 15, count: 8), leadSeconds: 6)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(0, 0.6, 0.8), degrees: 50, startSeconds: 1, durationSeconds: 1)
    for seed: UInt64 in [1, 2, 3] {
      let counted = countedWithCalibration(
        pose: pose, durationSeconds: lifts.duration, mountState: seed * 7, seed: seed)
      #expect(counted.count == 8, "seed \(seed)")
      #expect(counted.map(\.side) == fourRightThenFourLeft, "seed \(seed)")
    }
  }

  /// A fidget turns the device 12° in its holder and it lies still there for a second before the
  /// first lift. The lift goes from where the device lay, not from before the fidget: its start,
  /// its range and its roll (the side) leave the turn out.
  @Test func aFidgetThenAShortStillBeforeTheFirstLift() {
    let lifts = Motions.kneeLifts(
      sides: [1, 1, 1, 1, -1, -1, -1, -1], liftDegrees: Array(repeating: 15, count: 8),
      leadSeconds: 4)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(0.3, 0.25, 0.92).normalized ?? Vector3(0, 0, 1), degrees: 12,
      startSeconds: 2.2, durationSeconds: 0.6)
    for seed: UInt64 in [1, 2, 3] {
      let counted = countedWithCalibration(
        pose: pose, durationSeconds: lifts.duration, mountState: seed * 17, seed: seed)
      #expect(counted.count == 8, "seed \(seed)")
      #expect(counted.map(\.side) == fourRightThenFourLeft, "seed \(seed)")
      if let first = counted.first {
        #expect(abs(first.startSeconds - 4) < 0.5, "seed \(seed): starts \(first.startSeconds)")
        #expect(abs(first.metrics.rangeDegrees - 15) < 3, "seed \(seed)")
      }
    }
  }

  /// A quick fidget (the device turned 30° in a quarter of a second) and 0.6 s still, then
  /// gentle lifts: 8° raised in 2–3 s turns slower than a twentieth of the fidget's pace, quiet
  /// by that measure all the way up. The rest is not taken where that quiet ran out, partway up
  /// the first lift, but where the body stayed; and the places the quiet passed on the way up
  /// are not stops a lift comes back to: each lift counts, once.
  @Test(arguments: [2.0, 2.5, 3])
  func gentleLiftsAfterAQuickFidget(riseSeconds: Double) {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 8, count: 6),
      riseSeconds: riseSeconds, holdSeconds: 1, lowerSeconds: riseSeconds, restSeconds: 1.5,
      leadSeconds: 5)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(0.3, 1, 0.2).normalized ?? Vector3(0, 1, 0), degrees: 30,
      startSeconds: 4.15, durationSeconds: 0.25)
    for seed: UInt64 in 1...4 {
      var detector = KneeLiftDetector()
      let counted = run(
        &detector, durationSeconds: lifts.duration, pose: pose, mountState: seed * 23, seed: seed
      ).counted
      #expect(counted.count == 6, "seed \(seed)")
    }
  }

  /// A hand-held device rests at the side and goes onto the knee as the first lift starts, with
  /// no stop between, and stays there: the lowered knee, where every later lift starts and
  /// ends, is a good third of the first lift away from the rest at the side. The first lift
  /// ends there all the same; it is not a rest that moved.
  @Test func theHandGoesOntoTheKneeAsTheFirstLiftStarts() {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 50, count: 6),
      riseSeconds: 1.5, holdSeconds: 1.5, lowerSeconds: 1.5, restSeconds: 1.5, leadSeconds: 5)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(1, 0, 0.3).normalized ?? Vector3(1, 0, 0), degrees: -30,
      startSeconds: 4.7, durationSeconds: 0.5)
    forEachKneeLiftRun(durationSeconds: lifts.duration, pose: pose, mountFactor: 29) {
      events, label in
      let counted = events.counted
      #expect(counted.count == 6, "\(label)")
    }
  }

  /// The hand settles on the knee with a small turn of its own (12° out and back over 1.2 s,
  /// as long as a brisk lift) and the first lift follows at once, without a stop. The small
  /// turn is taken for the set's first lift and held back; the lift, far larger, shows it was
  /// not one. The lift is then not the settling after a counted lift: it counts, from its rise.
  @Test func aSmallTurnJustBeforeTheFirstLiftIsNotItsSettling() {
    let leadSeconds = 5.0
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5), liftDegrees: Array(repeating: 40, count: 5),
      riseSeconds: 0.5, holdSeconds: 0.3, lowerSeconds: 0.5, restSeconds: 1.5,
      leadSeconds: leadSeconds)
    let pose = turnedInHolder(
      turnedInHolder(
        lifts.pose, axis: Vector3(1, 0, 0), degrees: -12, startSeconds: leadSeconds - 1.3,
        durationSeconds: 0.6),
      axis: Vector3(1, 0, 0), degrees: 12, startSeconds: leadSeconds - 0.7, durationSeconds: 0.6)
    forEachKneeLiftRun(durationSeconds: lifts.duration, pose: pose, mountFactor: 41) {
      events, label in
      let counted = events.counted
      #expect(counted.count == 5, "\(label)")
      if let first = counted.first {
        #expect(abs(first.startSeconds - leadSeconds) < 0.5, "\(label): \(first.startSeconds)")
      }
    }
  }

  /// A hand-held device wanders on its own (as the simulator's hand: about 1.7° RMS about each
  /// axis at 0.1–0.5 Hz) at several degrees a second, faster than a pelvis is when quiet and
  /// than a twentieth of the pace of lying down (90° in 2 s). After lying down it lies still
  /// for 2.3 s, then the lifts begin: still by its own wander, it stops there, and the first
  /// lift goes from there and counts. Not every wander stays under four times its RMS a
  /// second, so this holds for most draws of it, not all: three in four here (before: about
  /// one in two).
  @Test func aHandHeldDeviceLyingStillBeforeTheFirstLift() {
    let lyingDownSeconds = 3.0
    let liftsStart = lyingDownSeconds + 2 + 2.3
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 60, count: 6),
      leadSeconds: liftsStart)
    // Up to 1.5 s after the last lift's rest: what the wander does in a long rest after the
    // set is another matter.
    let durationSeconds = lifts.duration - liftsStart + 1.5
    var cases = 0
    var allFromTheLyingRest = 0
    for withGyroscope in [true, false] {
      for seed: UInt64 in 1...24 {
        let wander = handWander(rmsDegrees: 1.7, seed: seed * 43)
        let pose = { (t: Double) -> BodyPose in
          let standing = 90 * (1 - smoothRamp(t, start: lyingDownSeconds, duration: 2))
          let posture = Rotation(axis: Vector3(1, 0, 0), angleRadians: standing * Double.pi / 180)
          return BodyPose(
            orientation: posture * lifts.pose(t).orientation * wander(t), positionMeters: .zero)
        }
        var detector = KneeLiftDetector()
        let counted = run(
          &detector, durationSeconds: durationSeconds, pose: pose, mountState: seed * 47,
          seed: seed, withGyroscope: withGyroscope
        ).counted
        cases += 1
        // The first lift from where the device lay after lying down, not from standing (150°).
        if counted.count == 6, let first = counted.first,
          first.startSeconds > lyingDownSeconds + 2, abs(first.metrics.rangeDegrees - 60) < 15
        {
          allFromTheLyingRest += 1
        }
      }
    }
    #expect(4 * allFromTheLyingRest >= 3 * cases, "\(allFromTheLyingRest) of \(cases)")
  }

  /// A fidget tips the device 10° in its holder before the set, and the lifts then follow each
  /// other with half a second down between them. Each lift comes back to where the device lay
  /// after the fidget, not to the rest before it, and is quiet there only briefly: that closes
  /// it all the same, instead of running on into the next lift.
  @Test func liftsInQuickSuccessionAfterAFidget() {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 15, count: 6),
      restSeconds: 0.5, leadSeconds: 5)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(0.2, 1, 0.3).normalized ?? Vector3(0, 1, 0), degrees: 10,
      startSeconds: 2.5, durationSeconds: 0.6)
    for withGyroscope in [true, false] {
      for seed: UInt64 in [1, 2, 3] {
        var random = TestRandom(state: seed * 19)
        let synthesizer = FrameSynthesizer(
          rateHz: 100, mount: random.rotation(), withGyroscope: withGyroscope, seed: seed)
        var detector = KneeLiftDetector()
        let counted = run(
          &detector, synthesizer.frames(durationSeconds: lifts.duration, pose: pose)
        ).counted
        #expect(counted.count == 6, "gyroscope \(withGyroscope) seed \(seed)")
      }
    }
  }

  /// A fidget tips the device 10° in its holder, along the lifts, and it lies still there for
  /// a second and a half; then the lifts follow each other without a rest between them, each
  /// lowering running straight into the next rise. The body never stops at the bottom, only at
  /// the tops; yet each lift is counted from its rise, not from the top of the one before (then
  /// the last one, lowered into the rest after the set, would be lost).
  @Test func liftsWithoutARestBetweenThemAfterAFidget() {
    let leadSeconds = 5.0
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 15, count: 6),
      riseSeconds: 1, holdSeconds: 0.8, lowerSeconds: 1, restSeconds: 0, leadSeconds: leadSeconds)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(1, 0, 0), degrees: -10, startSeconds: 3, durationSeconds: 0.5)
    forEachKneeLiftRun(durationSeconds: lifts.duration, pose: pose, mountFactor: 31) {
      events, label in
      let counted = events.counted
      #expect(counted.count == 6, "\(label)")
      for (index, lift) in counted.enumerated() {
        let rise = leadSeconds + Double(index) * 2.8
        #expect(
          abs(lift.startSeconds - rise) < 0.8, "\(label): lift \(index) starts \(lift.startSeconds)"
        )
      }
    }
  }

  /// A fidget tips the device 12° in its holder a second and a half before the first lift;
  /// at the top of that lift, held for 3 s, the knee shifts by a degree and back, a pause
  /// between each. Stops that close are one place (a lift moves the body further than
  /// that): the shifts do not push the place the lift started from out of those remembered,
  /// and the lift ends when the body is back there.
  @Test func aShiftAtTheTopOfAGentleLiftAfterAFidget() {
    let leadSeconds = 5.0
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5), liftDegrees: Array(repeating: 8, count: 5),
      riseSeconds: 1.5, holdSeconds: 3, lowerSeconds: 1.5, restSeconds: 1.5,
      leadSeconds: leadSeconds)
    let fidget = turnedInHolder(
      lifts.pose, axis: Vector3(0.3, 1, 0.2).normalized ?? Vector3(0, 1, 0), degrees: 12,
      startSeconds: 3, durationSeconds: 0.5)
    let pose = twitched(
      fidget, axis: Vector3(1, 0, 0), degrees: -1, startSeconds: leadSeconds + 2.2,
      rampSeconds: 0.3, backAfterSeconds: 1.1)
    forEachKneeLiftRun(durationSeconds: lifts.duration, pose: pose, mountFactor: 37) {
      events, label in
      let counted = events.counted
      #expect(counted.count == 5, "\(label)")
      if let first = counted.first {
        #expect(abs(first.startSeconds - leadSeconds) < 0.8, "\(label): \(first.startSeconds)")
      }
    }
  }

  /// Without a gyroscope, the device turns 30° in its holder between two right lifts, mostly
  /// about the body's front, which gravity cannot see while lying: the calibrated right is then
  /// off by about as much as the roll that tells the legs apart, one way or the other. No lift
  /// may get the wrong side; the left lifts get theirs from being unlike the right ones since.
  @Test func withoutGyroscopeAnUnseenTurnGivesNoWrongSide() {
    let sides: [Double] = [1, 1, 1, 1, -1, -1, -1, -1]
    let lifts = Motions.kneeLifts(
      sides: sides, liftDegrees: Array(repeating: 15, count: 8), restSeconds: 2.4,
      leadSeconds: 6)
    let turnAxis = Vector3(0, 0.5, 0.87).normalized ?? Vector3(0, 0, 1)
    for turnDegrees in [30.0, -30] {
      // After the second lift is down (6 s + 4.8 s + 2.4 s), still again by 14.3 s.
      let pose = turnedInHolder(
        lifts.pose, axis: turnAxis, degrees: turnDegrees, startSeconds: 13.5,
        durationSeconds: 0.8)
      for seed: UInt64 in [1, 2, 3] {
        let counted = countedWithCalibration(
          pose: pose, durationSeconds: lifts.duration, mountState: seed * 23, seed: seed,
          withGyroscope: false)
        let label = "turn \(turnDegrees)° seed \(seed)"
        #expect(counted.count == 8, "\(label)")
        let wrong = zip(counted, fourRightThenFourLeft).filter {
          $0.side != .unknown && $0.side != $1
        }
        #expect(wrong.isEmpty, "\(label): \(counted.map(\.side))")
        #expect(counted.prefix(2).allSatisfy { $0.side == .right }, "\(label)")
        #expect(counted.suffix(4).filter { $0.side == .left }.count >= 2, "\(label)")
      }
    }
  }

  /// Just before the set, the device tips in its holder by a lift's size the other way than a
  /// lift tilts it: every lift's top is then where the device rested before. Counted from that
  /// old rest, each "lift" would be one lift's lowering and the next one's rise, with the roll
  /// reversed; a lift moves up toward the feet, so the excursion that went toward the head shows
  /// the rest was wrong.
  @Test func aFidgetThatPutsTheRestAtTheTopOfTheLifts() {
    let sides: [Double] = [1, 1, 1, 1, -1, -1, -1, -1]
    let lifts = Motions.kneeLifts(
      sides: sides, liftDegrees: Array(repeating: 15, count: 8), leadSeconds: 6)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(1, 0, 0), degrees: 15, startSeconds: 3.5, durationSeconds: 0.8)
    for seed: UInt64 in [1, 2, 3] {
      let counted = countedWithCalibration(
        pose: pose, durationSeconds: lifts.duration, mountState: seed * 11, seed: seed)
      #expect(counted.count == 8, "seed \(seed)")
      #expect(counted.map(\.side) == fourRightThenFourLeft, "seed \(seed)")
      // Each lift ends when it is back down (rise, hold and lower take 2.4 s from 6 s + 3.6 s
      // per lift), not at the top of the next.
      for (index, lift) in counted.enumerated() {
        let trueEnd = 6 + Double(index) * 3.6 + 2.4
        #expect(abs(lift.endSeconds - trueEnd) < 0.8, "seed \(seed) lift \(index)")
      }
    }
  }

  /// Without a profile, a fidget just before the set tips the device in its holder by half a
  /// lift the other way than a lift tilts it (a thigh-worn device slipping on the thigh), and
  /// the body lies still there briefly: every lift then starts and ends where the fidget left
  /// the device and passes back through the old rest on its way up and down. The fidget, which
  /// comes back "through" that old rest as the first lift starts, is not a lift; nor does each
  /// lift count twice, once each way through the old rest.
  @Test(arguments: [25.0, 30])
  func aFidgetAlongTheLiftsWithoutAProfile(fidgetDegrees: Double) {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 60, count: 6),
      riseSeconds: 2, holdSeconds: 1.5, lowerSeconds: 2, restSeconds: 1.5, leadSeconds: 6)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(1, 0, 0), degrees: fidgetDegrees, startSeconds: 4,
      durationSeconds: 0.6)
    for seed: UInt64 in [1, 2, 3] {
      var detector = KneeLiftDetector()
      let counted = run(
        &detector, durationSeconds: lifts.duration, pose: pose, mountState: seed * 29, seed: seed
      ).counted
      #expect(counted.count == 6, "fidget \(fidgetDegrees)° seed \(seed)")
      if let first = counted.first {
        #expect(abs(first.startSeconds - 6) < 0.6, "seed \(seed): starts \(first.startSeconds)")
      }
    }
  }

  /// Standing, the device turns 80° in its holder, mostly about the body's front: the
  /// gyroscope is not trusted there (the body turns itself while standing), and the calibrated
  /// right axis is far off. The still standing rest and then the still lying rest measure the
  /// body's right again (it is across both ups), so the lifts that follow get their sides.
  @Test func sidesAfterTheDeviceTurnedWhileStanding() {
    let sides: [Double] = [1, 1, 1, 1, -1, -1, -1, -1]
    let lifts = Motions.kneeLifts(
      sides: sides, liftDegrees: Array(repeating: 15, count: 8), leadSeconds: 12)
    let turned = turnedInHolder(
      lifts.pose, axis: Vector3(0, 0.3, 0.95), degrees: 80, startSeconds: 1, durationSeconds: 1)
    let pose = { (t: Double) -> BodyPose in
      // Upright until 5 s, then lying down on the back over 2 s.
      let upright = Rotation(
        axis: Vector3(1, 0, 0),
        angleRadians: Double.pi / 2 * (1 - smoothRamp(t, start: 5, duration: 2)))
      return BodyPose(orientation: upright * turned(t).orientation, positionMeters: .zero)
    }
    for seed: UInt64 in [1, 2, 3] {
      let counted = countedWithCalibration(
        pose: pose, durationSeconds: lifts.duration, mountState: seed * 5, seed: seed
      ).filter { $0.startSeconds > 11 }
      #expect(counted.count == 8, "seed \(seed)")
      #expect(counted.map(\.side) == fourRightThenFourLeft, "seed \(seed)")
    }
  }

  /// Standing, an excursion of the pelvis is another movement: counted or not, it has no side.
  @Test func noSideStanding() {
    let motion = Motions.kneeLifts(
      sides: [1, 1, 1, 1], liftDegrees: Array(repeating: 15, count: 4))
    // The same movement with the body upright: its front is horizontal, its head up.
    let upright = Rotation(axis: Vector3(1, 0, 0), angleRadians: Double.pi / 2)
    let pose = { (t: Double) -> BodyPose in
      BodyPose(orientation: upright * motion.pose(t).orientation, positionMeters: .zero)
    }
    let profile = BodyProfile(
      rightInSensor: Vector3(1, 0, 0), standingUpInSensor: Vector3(0, 1, 0),
      lyingUpInSensor: Vector3(0, 0, 1))
    var detector = KneeLiftDetector(profile: profile)
    let events = run(
      &detector, FrameSynthesizer(rateHz: 100).frames(durationSeconds: motion.duration, pose: pose))
    #expect(!events.isEmpty)
    #expect(events.allSatisfy { $0.side == .unknown })
  }

  /// A lift far smaller than the others never closes a turn of the portrait, so it is neither
  /// counted nor reported; one that stops halfway is reported as partial.
  @Test func smallLiftIsNotCounted() {
    let lifts: [Double] = [14, 14, 14, 14, 4, 14, 14]
    let motion = Motions.kneeLifts(sides: Array(repeating: 1, count: 7), liftDegrees: lifts)
    var detector = KneeLiftDetector()
    let events = run(
      &detector,
      FrameSynthesizer(rateHz: 100).frames(
        durationSeconds: motion.duration, pose: motion.pose))
    #expect(events.counted.count == 6)
    #expect(events.counted.allSatisfy { $0.metrics.rangeDegrees > 8 })
  }

  /// Lying down by way of a crouch and sitting: the pelvis tilts 25° forward, swings back
  /// through upright (a lift's shape, back within a third of its size), and goes on 90° onto
  /// the back. Not a repetition; the lifts lying down all are.
  @Test func lyingDownThroughACrouchIsNotALift() {
    liftsAfterLyingDown(legSeconds: (1, 1, 1.5), lyingStillSeconds: 3.5)
  }

  /// Lying down as slowly as people do, each leg (crouch, sitting, onto the back) taking up to
  /// 2 s: the swing back from the crouch comes within a third of the rest while still fast, and
  /// the body passes sitting, 25° past the rest the other way, and turns on down only after the
  /// first lift's usual hold is over. Not a repetition either.
  @Test(arguments: [1.6, 2.0])
  func lyingDownSlowlyThroughACrouchIsNotALift(legSeconds: Double) {
    liftsAfterLyingDown(legSeconds: (legSeconds, legSeconds, legSeconds), lyingStillSeconds: 3)
  }

  /// Standing still for 3 s, lying down (a crouch, 25° forward; the swing back through upright
  /// to sitting, 25° past it; on down onto the back, 65° more, each leg taking its own time),
  /// lying still, then five 12° lifts: the five count, and nothing before them does.
  private func liftsAfterLyingDown(
    legSeconds: (crouch: Double, sitting: Double, back: Double), lyingStillSeconds: Double
  ) {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5), liftDegrees: Array(repeating: 12, count: 5))
    let crouchSeconds = 3.0
    let liftsSeconds =
      crouchSeconds + legSeconds.crouch + legSeconds.sitting + legSeconds.back + lyingStillSeconds
    let tiltAxis = Vector3(1, 0, 0)
    let pose = { (t: Double) -> BodyPose in
      let sittingStart = crouchSeconds + legSeconds.crouch
      let degrees =
        25 * smoothRamp(t, start: crouchSeconds, duration: legSeconds.crouch)
        - 50 * smoothRamp(t, start: sittingStart, duration: legSeconds.sitting)
        - 65
        * smoothRamp(t, start: sittingStart + legSeconds.sitting, duration: legSeconds.back)
      let lying = Rotation(axis: tiltAxis, angleRadians: degrees * Double.pi / 180)
      guard t >= liftsSeconds else { return BodyPose(orientation: lying, positionMeters: .zero) }
      let lift = lifts.pose(t - liftsSeconds)
      return BodyPose(orientation: lying * lift.orientation, positionMeters: .zero)
    }
    for seed: UInt64 in [1, 2, 3] {
      var random = TestRandom(state: seed * 31)
      let synthesizer = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed)
      var detector = KneeLiftDetector()
      let events = run(
        &detector,
        synthesizer.frames(durationSeconds: liftsSeconds + lifts.duration, pose: pose))
      #expect(events.counted.count == 5, "legs \(legSeconds), seed \(seed)")
      #expect(
        events.counted.allSatisfy { $0.startSeconds > liftsSeconds },
        "legs \(legSeconds), seed \(seed)")
    }
  }

  /// Standing still for 3 s, lying down onto the back (90° in 1.5 s), lying still 0.6 s, the
  /// body settling 13° away (rolling to a side, in `settleSeconds`), lying still 2 s (less
  /// than a rest needs), and a fidget bringing the device back to where it first lay (in 0.3 s,
  /// five times quicker), then 3 s still and five 12° lifts. The way back was no lowering:
  /// only the five count.
  @Test(arguments: [1.6, 2.0])
  func aQuickFidgetBackAfterSettlingIsNotALift(settleSeconds: Double) {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5), liftDegrees: Array(repeating: 12, count: 5))
    let lyingStart = 3.0
    let settleStart = lyingStart + 1.5 + 0.6
    let fidgetStart = settleStart + settleSeconds + 2
    let liftsSeconds = fidgetStart + 0.3 + 3
    let pose = { (t: Double) -> BodyPose in
      let lyingDegrees = -90 * smoothRamp(t, start: lyingStart, duration: 1.5)
      let settleDegrees =
        13 * smoothRamp(t, start: settleStart, duration: settleSeconds)
        * (1 - smoothRamp(t, start: fidgetStart, duration: 0.3))
      let lying =
        Rotation(axis: Vector3(1, 0, 0), angleRadians: lyingDegrees * Double.pi / 180)
        * Rotation(axis: Vector3(0, 0, 1), angleRadians: settleDegrees * Double.pi / 180)
      guard t >= liftsSeconds else { return BodyPose(orientation: lying, positionMeters: .zero) }
      let lift = lifts.pose(t - liftsSeconds)
      return BodyPose(orientation: lying * lift.orientation, positionMeters: .zero)
    }
    for seed: UInt64 in 1...4 {
      var random = TestRandom(state: seed * 37)
      let synthesizer = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed)
      var detector = KneeLiftDetector()
      let counted = run(
        &detector,
        synthesizer.frames(durationSeconds: liftsSeconds + lifts.duration, pose: pose)
      ).counted
      #expect(counted.count == 5, "settle \(settleSeconds) s, seed \(seed)")
      #expect(
        counted.allSatisfy { $0.startSeconds > liftsSeconds },
        "settle \(settleSeconds) s, seed \(seed)")
    }
  }

  /// A DualShock 3 or Wii Remote sends nothing while no value moves past its fuzz filter: a
  /// second of silence through the hold is stillness (`valuesHeldBefore`) and the lift
  /// survives it; a loss across the lowering, after which up is no longer where it was,
  /// abandons the lift.
  @Test func liftSurvivesAPauseThatHeldValues() {
    let motion = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 4), liftDegrees: Array(repeating: 14, count: 4),
      holdSeconds: 1.5)
    var synthesizer = FrameSynthesizer(rateHz: 100)
    synthesizer.withGyroscope = false
    let frames = synthesizer.frames(durationSeconds: motion.duration, pose: motion.pose)
    // The third lift's hold: 3 s lead, 4.3 s per lift; and from the end of its hold through
    // its lowering.
    let hold = (3 + 2 * 4.3 + 0.9)...(3 + 2 * 4.3 + 2.0)
    let lowering = (3 + 2 * 4.3 + 2.0)...(3 + 2 * 4.3 + 3.3)
    func counted(heldValues: Bool, silence: ClosedRange<Double>) -> Int {
      var kept = frames.filter { !silence.contains($0.timeSeconds) }
      if let next = kept.firstIndex(where: { $0.timeSeconds > silence.upperBound }) {
        kept[next].valuesHeldBefore = heldValues
        kept[next].framesLostBefore = !heldValues
      }
      var detector = KneeLiftDetector()
      return run(&detector, kept).counted.count
    }
    #expect(counted(heldValues: true, silence: hold) == 4)
    #expect(counted(heldValues: false, silence: lowering) == 3)
  }

  /// A DualShock 3 sends nothing while a lift is held still at the top, and then loses a few
  /// reports: a second without frames, marked as a loss. Up is where it was before the gap, so
  /// the lift in progress goes on and is counted when it comes down; the rest is not taken at
  /// the top (every later lift would then be measured from a lowering to the next rise).
  @Test func aLossWhileHoldingStillKeepsTheLift() {
    let motion = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5), liftDegrees: Array(repeating: 14, count: 5),
      holdSeconds: 2)
    // The third lift's hold: 3 s lead, 4.8 s per lift, the hold from 0.8 s to 2.8 s into it.
    let silence = (3 + 2 * 4.8 + 1.0)...(3 + 2 * 4.8 + 2.2)
    for withGyroscope in [true, false] {
      var synthesizer = FrameSynthesizer(rateHz: 100)
      synthesizer.withGyroscope = withGyroscope
      var frames = synthesizer.frames(durationSeconds: motion.duration, pose: motion.pose)
        .filter { !silence.contains($0.timeSeconds) }
      if let next = frames.firstIndex(where: { $0.timeSeconds > silence.upperBound }) {
        frames[next].framesLostBefore = true
      }
      var detector = KneeLiftDetector()
      let counted = run(&detector, frames).counted
      #expect(counted.count == 5, "gyroscope \(withGyroscope)")
      #expect(
        counted.allSatisfy { abs($0.metrics.rangeDegrees - 14) < 3 }, "gyroscope \(withGyroscope)")
    }
  }

  /// A hand-held device laid beside the body turns a few degrees on its own as the hand lets
  /// go (5° out and back over 2.5 s, right at the start): that is not a lift, since nothing has
  /// yet shown the device to lie stiller than a hand. The same 5° movements after the device
  /// lay still for a few seconds (a pelvis's tilt, seen through a waist sensor) are lifts.
  @Test func aDeviceWanderingBeforeItWasSeenStillIsNotALift() {
    let wander = { (time: Double) -> BodyPose in
      let turn =
        5 * Double.pi / 180 * smoothRamp(time, start: 0.2, duration: 1)
        * (1 - smoothRamp(time, start: 1.7, duration: 1))
      return BodyPose(
        orientation: Rotation(axis: Vector3(0.6, 0.8, 0), angleRadians: turn),
        positionMeters: .zero)
    }
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 4), liftDegrees: Array(repeating: 5, count: 4))
    for withGyroscope in [true, false] {
      for seed: UInt64 in 1...3 {
        var detector = KneeLiftDetector()
        let wandered = run(
          &detector, durationSeconds: 8, pose: wander, mountState: seed * 7, seed: seed,
          withGyroscope: withGyroscope
        ).counted
        #expect(wandered.isEmpty, "gyroscope \(withGyroscope), seed \(seed)")
        detector = KneeLiftDetector()
        let lifted = run(
          &detector, durationSeconds: lifts.duration, pose: lifts.pose, mountState: seed * 7,
          seed: seed, withGyroscope: withGyroscope
        ).counted
        #expect(lifted.count == 4, "gyroscope \(withGyroscope), seed \(seed)")
      }
    }
  }

  /// Gentle lifts held for 3.5 s, longer than a hold usually is: each is counted when it
  /// comes back down to where it started. In the middle of the set a fidget turns the device
  /// 15° in its holder and it lies still there before the next lift: that lift started at the
  /// place the fidget left, and coming back down there (not to the rest before the fidget)
  /// counts it. Taking the top of its hold for the rest instead would measure every lift after
  /// it from a lowering to the next rise, one short.
  @Test func aLongHoldAfterAFidgetCounts() {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 8, count: 6),
      riseSeconds: 1.5, holdSeconds: 3.5, lowerSeconds: 1.5, restSeconds: 3)
    // The second lift ends at 19 s, the third starts at 22 s.
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(0.3, 0.9, 0.3).normalized ?? Vector3(0, 1, 0), degrees: 15,
      startSeconds: 19.6, durationSeconds: 0.6)
    forEachKneeLiftRun(durationSeconds: lifts.duration, pose: pose, mountFactor: 11) {
      events, label in
      let counted = events.counted
      #expect(counted.count == 6, "\(label)")
      expectEachFromItsRise(counted, everySeconds: 9.5, within: 1, label)
    }
  }

  /// Small slow lifts (4°, rising and lowering over 2 s: the pelvis seen by a device on the
  /// other thigh, at a gentle pace) after the body lay still for 5 s. Such a lift leaves the
  /// rest at about the quiet rate, so the rest's quiet runs on into it; counted from the rest
  /// it would be "settled elsewhere" the moment it left, and every lift after it measured from
  /// a top. Each lift counts (with a gyroscope; without one, whose rate is noisier, at most one
  /// is lost).
  @Test func smallSlowLiftsAfterALongStillRestCount() {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 4, count: 6),
      riseSeconds: 2, holdSeconds: 1, lowerSeconds: 2, restSeconds: 1.5, leadSeconds: 5)
    forEachKneeLiftRun(
      durationSeconds: lifts.duration, pose: lifts.pose, seeds: Array(1...5), mountFactor: 29
    ) { events, label in
      let counted = events.counted.count
      if label.hasPrefix("gyroscope true") {
        #expect(counted == 6, "\(label)")
      } else {
        #expect((5...6).contains(counted), "\(label): \(counted)")
      }
    }
  }

  /// Gently, as someone told to go gently lifts: small lifts (5°, a thigh-worn device seeing
  /// the other leg's through the pelvis) that rise and lower over 2.5 s each and are held at
  /// the top for 3–4 s, longer than a brisk set's whole lift, with under a second's rest
  /// between. Quiet that long away from the rest would be a new rest after brisk lifts, but
  /// these lifts show it is a hold: every lift counts, in its rise. (Without a gyroscope a
  /// lift this small and slow turns under the quiet rate most of the way, and is not counted
  /// reliably either way.)
  @Test(arguments: [3.0, 3.5, 4.0])
  func gentleLiftsHeldLongerThanABriskLiftCount(holdSeconds: Double) {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 8), liftDegrees: Array(repeating: 5, count: 8),
      riseSeconds: 2.5, holdSeconds: holdSeconds, lowerSeconds: 2.5, restSeconds: 0.8)
    for seed: UInt64 in 1...5 {
      var detector = KneeLiftDetector()
      let counted = run(
        &detector, durationSeconds: lifts.duration, pose: lifts.pose, mountState: seed * 23,
        seed: seed
      ).counted
      let label = "hold \(holdSeconds) s, seed \(seed)"
      #expect(counted.count == 8, "\(label)")
      // Within its rise: a rise this slow leaves the rest by a lift's onset a second or two in.
      expectEachFromItsRise(counted, everySeconds: 5.8 + holdSeconds, within: 2.5, label)
    }
  }

  /// Between two lifts a fidget turns the device 12° in its holder in a quarter of a second,
  /// against the way the lifts go, and it lies still there for under two seconds. The next
  /// lift, at its top, comes back near the rest before the fidget: that is not the end of a
  /// lift from that rest (the quick turn out was no lift's pace) but the top of a lift from
  /// where the fidget left the device, counted when it comes down there. Counting the fidget
  /// instead would measure every lift after it from a lowering to the next rise, one too many.
  /// (Told by the gyroscope's rate; without one, the rate of the smoothed up blunts a turn this
  /// short to a few times a gentle lift's, and the pace does not tell.)
  @Test func aQuickTurnAgainstTheLiftsIsNotALift() {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 10, count: 6),
      riseSeconds: 2, holdSeconds: 1, lowerSeconds: 2, restSeconds: 2.5)
    // The third lift ends at 23 s, the fourth starts at 25.5 s. A lift turns about the body's
    // right (x) by minus its angle and about its head (y) by 0.4 times it: the fidget turns
    // the other way about that axis.
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(1, -0.4, 0).normalized ?? Vector3(1, 0, 0), degrees: 12,
      startSeconds: 23.5, durationSeconds: 0.2)
    for seed: UInt64 in 1...3 {
      var detector = KneeLiftDetector()
      let counted = run(
        &detector, durationSeconds: lifts.duration, pose: pose, mountState: seed * 13, seed: seed
      ).counted
      #expect(counted.count == 6, "seed \(seed)")
      expectEachFromItsRise(counted, everySeconds: 7.5, within: 1, "seed \(seed)")
    }
  }

  /// Someone told to go gently lifts slowly: the pelvis tilts 8° in 3 s, and back in 3 s.
  @Test func slowLiftsCount() {
    let motion = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 8, count: 6),
      riseSeconds: 3, holdSeconds: 1, lowerSeconds: 3, restSeconds: 2)
    forEachKneeLiftRun(
      durationSeconds: motion.duration, pose: motion.pose, seeds: Array(1...4), mountFactor: 5
    ) { events, label in
      let counted = events.counted
      #expect(counted.count == 6, "\(label)")
    }
  }

  /// A thigh-worn device sees its own leg's lifts whole (60° here) and the other leg's only
  /// through the pelvis (6°). After a set of the first, the body rests, twitches (a 3° turn
  /// that keeps it from lying quiet for a set's pause) and rests again: the other leg's set
  /// opens with lifts a tenth of the last set's, and each is counted.
  @Test func aSmallSetAfterALargeOneAndATwitchIsCounted() {
    // Degrees, and the rest before the lift in seconds: the large set ends at 30 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (60, 2), count: 5) + [(6, 5)] + Array(repeating: (6, 2), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    let twitchStart = 31.8
    let pose = twitched(
      motion.pose, axis: Vector3(0, 1, 0), degrees: 3, startSeconds: twitchStart,
      rampSeconds: 0.4, backAfterSeconds: 0.6)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: pose, mountFactor: 11) {
      events, label in
      #expect(events.counted.count == 10, "\(label)")
      let small = events.counted.filter { $0.startSeconds > 33 }
      #expect(small.count == 5, "\(label)")
      #expect(
        small.allSatisfy { $0.metrics.rangeDegrees > 4 && $0.metrics.rangeDegrees < 8 },
        "\(label)")
    }
  }

  /// At a gentle tempo the body may rest between two lifts of a set for longer than a set's
  /// pause (or a slow lift is seen late, the rest following its slow rise), and a partial lift
  /// (3° of pelvic tilt where the others are 12°) after that looks like the first of a new set,
  /// with nothing to measure it by. The next lift, four times its size, shows it was a partial
  /// of this set: it is not counted.
  @Test func aPartialLiftAfterALongRestIsPartial() {
    // Degrees, and the rest before the lift in seconds.
    let lifts: [(Double, Double)] =
      Array(repeating: (12, 2), count: 5) + [(4, 4.5)] + Array(repeating: (12, 2), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: motion.pose, mountFactor: 5) {
      events, label in
      #expect(events.counted.count == 9, "\(label)")
      #expect(events.counted.allSatisfy { $0.metrics.rangeDegrees > 6 }, "\(label)")
      #expect(events.counted.map(\.index) == Array(1...9), "\(label)")
    }
  }

  /// As above, but the body rests 3 s after the partial lift too: measured from where the
  /// partial came back within a third of its peak (before its slow lowering ends) to where the
  /// next lift leaves the rest, the pause is longer than a set's, yet the next lift, four times
  /// its size, still shows it was a partial of this set.
  @Test func aPartialLiftBetweenTwoLongRestsIsPartial() {
    // Degrees, and the rest before the lift in seconds.
    let lifts: [(Double, Double)] =
      Array(repeating: (12, 2), count: 5) + [(4, 4.5), (12, 3)]
      + Array(repeating: (12, 2), count: 3)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: motion.pose, mountFactor: 7) {
      events, label in
      #expect(events.counted.count == 9, "\(label)")
      #expect(events.counted.allSatisfy { $0.metrics.rangeDegrees > 6 }, "\(label)")
      #expect(events.filter(\.isPartial).count == 1, "\(label)")
    }
  }

  /// As above, but the knee twitches between the partial lift and the next whole one (2° of
  /// tilt in a second, itself a partial): that is no lift of the set to measure the held one by,
  /// and must not let it out as the first of a new set before the whole lift shows its size.
  @Test func aPartialLiftAfterALongRestIsPartialThoughATwitchFollows() {
    // Degrees, and the rest before the lift in seconds: the partial ends at 38.5 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (12, 2), count: 5) + [(4, 4.5)] + Array(repeating: (12, 2), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    let twitchStart = 38.8
    let pose = twitched(
      motion.pose, axis: Vector3(1, 0, 0), degrees: -2.2, startSeconds: twitchStart,
      rampSeconds: 0.4, backAfterSeconds: 0.7)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: pose, mountFactor: 5) {
      events, label in
      #expect(events.counted.count == 9, "\(label)")
      #expect(events.counted.allSatisfy { $0.metrics.rangeDegrees > 6 }, "\(label)")
      let twitches = events.filter { $0.isPartial && abs($0.startSeconds - twitchStart) < 0.5 }
      #expect(twitches.count == 1, "\(label)")
    }
  }

  /// After a set of 60° lifts and a long rest, the knee twitches (4° and back in 1.3 s, too
  /// small for a partial of that set: held back until the next lift tells) and then moves 18°,
  /// still smaller than a partial of the last set, before the next set's 60° lifts begin. The
  /// 18° movement shows the twitch was none of the set's lifts, but it is as uncertain itself,
  /// and is held back in its turn: the next lift, more than twice its size, shows it was none
  /// of them either. Only the 60° lifts count.
  @Test func aTwitchThenAPartialLiftAfterALongRestArePartial() {
    // Degrees, and the rest before the lift in seconds: the first set ends at 30 s, the 18°
    // lift starts at 37.5 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (60, 2), count: 5) + [(18, 7.5)] + Array(repeating: (60, 1.5), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    let pose = twitched(
      motion.pose, axis: Vector3(1, 0, 0), degrees: -4, startSeconds: 35.5, rampSeconds: 0.5,
      backAfterSeconds: 0.8)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: pose, mountFactor: 43) {
      events, label in
      #expect(events.counted.count == 9, "\(label)")
      #expect(events.counted.allSatisfy { $0.metrics.rangeDegrees > 40 }, "\(label)")
    }
  }

  /// After a set of 60° lifts and a long rest, the knee twitches (4°, held back as too small
  /// for a partial of that set) and, 3.5 s later, twitches again (2°, a partial). The next set's
  /// first lift leaves the rest 1.5 s after the second twitch but more than 4.5 s after the
  /// first: the set went on through the partial, and the first twitch is still measured by the
  /// lift that follows, not let out as a set of its own. Only the 60° lifts count.
  @Test func aTwitchHeldBackStaysUncertainThroughAPartialAfterIt() {
    // Degrees, and the rest before the lift in seconds: the first set ends at 30 s, the next
    // starts at 40 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (60, 2), count: 5) + [(60, 10)] + Array(repeating: (60, 1.5), count: 3)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    let firstTwitch = twitched(
      motion.pose, axis: Vector3(1, 0, 0), degrees: -4, startSeconds: 34, rampSeconds: 0.5,
      backAfterSeconds: 0.8)
    let pose = twitched(
      firstTwitch, axis: Vector3(1, 0, 0), degrees: -2.2, startSeconds: 37.5, rampSeconds: 0.4,
      backAfterSeconds: 0.7)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: pose, mountFactor: 53) {
      events, label in
      #expect(events.counted.count == 9, "\(label)")
      #expect(events.counted.allSatisfy { $0.metrics.rangeDegrees > 40 }, "\(label)")
    }
  }

  /// The next set (the other leg, seen through a waist sensor on the pelvis only) may be far
  /// smaller than the last: its first lift, smaller than a partial of the last set, waits for
  /// the next one, which is as small, and counts.
  @Test func aSmallerSetAfterALargerOneCounts() {
    let motion = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5) + Array(repeating: -1, count: 5),
      liftDegrees: Array(repeating: 14, count: 5) + Array(repeating: 5, count: 5),
      riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5, restSeconds: 1)
    // The legs' sets 6 s apart: a still pause in the middle of the motion.
    let pauseSeconds = 6.0
    let setStart = 3 + 5 * 5.0
    let pose = { (t: Double) -> BodyPose in
      t < setStart
        ? motion.pose(t)
        : t < setStart + pauseSeconds
          ? BodyPose(orientation: .identity, positionMeters: .zero)
          : motion.pose(t - pauseSeconds)
    }
    forEachKneeLiftRun(durationSeconds: motion.duration + pauseSeconds, pose: pose, mountFactor: 3)
    { events, label in
      let counted = events.counted
      #expect(counted.count == 10, "\(label)")
    }
  }

  /// As above, but the device twitches in the pause (5° and back in half a second, too short
  /// to be even a partial lift): that is no lift of either set, and the smaller set still opens
  /// after the pause, measured against its own lifts rather than as partials of the last set.
  @Test func aSmallerSetAfterALargerOneAndATwitchCounts() {
    // Degrees, and the rest before the lift in seconds: the larger set ends at 30 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (30, 2), count: 5) + [(10, 4)] + Array(repeating: (10, 2), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1.5, holdSeconds: 1, lowerSeconds: 1.5)
    let twitchStart = 31.4
    let pose = twitched(
      motion.pose, axis: Vector3(1, 0, 0), degrees: -5, startSeconds: twitchStart,
      rampSeconds: 0.25, backAfterSeconds: 0.25)
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: pose, mountFactor: 13) {
      events, label in
      #expect(events.counted.count == 10, "\(label)")
      #expect(events.counted.filter { $0.startSeconds > 33 }.count == 5, "\(label)")
    }
  }

  /// A knee pulled to the chest is often held there as a stretch, longer than the 2.5 s after
  /// which a still body is taken to rest where it is: coming back down to the rest it left
  /// still counts that lift, from its rise (not the lowering and the next rise, one short).
  @Test(arguments: [3.0, 5.0, 12.0])
  func liftsHeldForSecondsCount(holdSeconds: Double) {
    let motion = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 5), liftDegrees: Array(repeating: 14, count: 5),
      holdSeconds: holdSeconds, restSeconds: 2.0)
    for withGyroscope in [true, false] {
      var detector = KneeLiftDetector()
      let counted = run(
        &detector, durationSeconds: motion.duration, pose: motion.pose, mountState: 7, seed: 3,
        withGyroscope: withGyroscope
      ).counted
      let label = "hold \(holdSeconds) s, gyroscope \(withGyroscope)"
      #expect(counted.count == 5, "\(label)")
      // Rise, hold, lower (0.8 s each besides the hold) and 2 s of rest.
      expectEachFromItsRise(
        counted, everySeconds: 0.8 + holdSeconds + 0.8 + 2.0, within: 0.5, label)
    }
  }

  /// A device held in the hand rests on the knee through a set; when the set is over the hand
  /// takes it off the knee (back from the thigh's angle to the pelvis's: against the lifts),
  /// lies still for 2.2 s, then puts it on the other knee (not quite as it lay on the first)
  /// and the next set starts. Off and back on is no lift, though it is as large and as long as
  /// one held for a while; nor does it cost the next set a lift.
  @Test func theHandMovingToTheOtherKneeBetweenSetsIsNoLift() {
    // Degrees, and the rest before the lift in seconds: the first set ends at 22.5 s, the
    // second starts at 27.5 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (50, 1.5), count: 5) + [(50, 5)] + Array(repeating: (50, 1.5), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1, holdSeconds: 1, lowerSeconds: 1)
    let offStart = 23.3
    let offKnee = twitched(
      motion.pose, axis: Vector3(1, 0, 0), degrees: 40, startSeconds: offStart,
      rampSeconds: 0.8, backAfterSeconds: 3)
    let otherKnee = turnedInHolder(
      offKnee, axis: Vector3(0, 1, 0), degrees: 4, startSeconds: offStart + 3,
      durationSeconds: 0.8)
    forEachHandHeldKneeLiftRun(
      durationSeconds: motion.duration, pose: otherKnee, wanderFactor: 59, mountFactor: 31
    ) { counted, label in
      #expect(counted.count == 10, "\(label)")
      // Every lift counted is one of the two sets', not the way off and back on.
      let between = counted.filter { lift in lift.startSeconds > 22.5 && lift.startSeconds < 27 }
      #expect(between.isEmpty, "\(label): \(between.map(\.startSeconds))")
    }
  }

  /// The hand rests on the knee a while after the set, then takes the device off it (a 16° turn
  /// against the lifts: the thigh's angle at rest) 3.3 s after the last lift, longer than a
  /// set's pause, and puts it on the other knee 1.2 s later; the next set begins 6.5 s after
  /// that. The way off and back on, small beside the 50° lifts it follows, is no lift. (The
  /// hand's own wander afterwards, a few degrees, is not asserted: with nothing yet to measure
  /// it by, an excursion of it can still pass for a lift.)
  @Test func theHandLeavingTheKneeAfterASetsPauseIsNoLift() {
    // Degrees, and the rest before the lift in seconds: the first set ends at 22.5 s, the
    // second starts at 34.5 s.
    let lifts: [(Double, Double)] =
      Array(repeating: (50, 1.5), count: 5) + [(50, 12)] + Array(repeating: (50, 1.5), count: 4)
    let motion = liftSequence(lifts, riseSeconds: 1, holdSeconds: 1, lowerSeconds: 1)
    let offKnee = twitched(
      motion.pose, axis: Vector3(1, 0, 0), degrees: 16, startSeconds: 25.8,
      rampSeconds: 0.8, backAfterSeconds: 1.2)
    forEachHandHeldKneeLiftRun(
      durationSeconds: motion.duration, pose: offKnee, wanderFactor: 67, mountFactor: 71
    ) { counted, label in
      // Every lift of both sets counts (measured whole), and the way off and back on does not.
      let whole = counted.filter { lift in lift.metrics.rangeDegrees > 40 }
      #expect(whole.count == 10, "\(label)")
      let offAndOn = counted.filter { lift in lift.startSeconds > 24 && lift.startSeconds < 29 }
      #expect(offAndOn.isEmpty, "\(label): \(offAndOn.map(\.startSeconds))")
    }
  }

  /// Without a profile, a fidget in a pause of a set turns the device in its holder against the
  /// lifts by as much as a lift, at a lift's pace (not the quick turn a fidget can be told by):
  /// the rest it leaves is at the top of the lifts, and the first
  /// excursion from there, against the set's lifts, is the fidget and the next lift's rise. The
  /// one after heads back to where the fidget went: it is the lowering, and the lifts are
  /// counted from where the fidget left the device, from their rise, none lost.
  @Test func aFidgetAgainstTheLiftsMidSetWithoutAProfile() {
    // Degrees, and the rest before the lift in seconds: a pause of 4 s before the fifth lift.
    let lifts: [(Double, Double)] =
      Array(repeating: (12, 1.5), count: 4) + [(12, 4)] + Array(repeating: (12, 1.5), count: 5)
    let liftSeconds = 1.0 + 1 + 1
    let motion = liftSequence(lifts, riseSeconds: 1, holdSeconds: 1, lowerSeconds: 1)
    // The fifth lift rises at 4 × 4.5 + 4 = 22 s; the fidget ends 2 s before.
    let pose = turnedInHolder(
      motion.pose, axis: Vector3(1, 0, 0), degrees: 12, startSeconds: 19, durationSeconds: 1.2,
      shakeAxis: Vector3(0, 1, 0))
    var rises: [Double] = []
    var time = 0.0
    for lift in lifts {
      time += lift.1
      rises.append(time)
      time += liftSeconds
    }
    forEachKneeLiftRun(durationSeconds: motion.duration, pose: pose, mountFactor: 37) {
      events, label in
      let counted = events.counted
      #expect(counted.count == 10, "\(label)")
      // After the fidget each lift is counted from its rise, not from the lowering before.
      for (index, lift) in counted.enumerated() where index >= 5 {
        #expect(
          abs(lift.startSeconds - rises[index]) < 0.6,
          "\(label): lift \(index) starts \(lift.startSeconds)")
      }
    }
  }

  @Test func worksWithoutGyroscope() {
    let motion = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 6), liftDegrees: Array(repeating: 12, count: 6))
    var random = TestRandom(state: 4)
    var synthesizer = FrameSynthesizer(rateHz: 50, mount: random.rotation())
    synthesizer.withGyroscope = false
    var detector = KneeLiftDetector()
    let counted = run(
      &detector,
      synthesizer.frames(
        durationSeconds: motion.duration, pose: motion.pose)
    ).counted
    #expect(counted.count == 6)
  }
}

/// Runs a fresh knee-lift detector over `pose` with a gyroscope and without, once per seed (the
/// mount drawn from `seed * mountFactor`), and hands `check` the events and a label naming the
/// run.
func forEachKneeLiftRun(
  durationSeconds: Double, pose: (Double) -> BodyPose, seeds: [UInt64] = [1, 2, 3],
  mountFactor: UInt64, check: (_ events: [RepEvent], _ label: String) -> Void
) {
  for withGyroscope in [true, false] {
    for seed in seeds {
      var detector = KneeLiftDetector()
      let events = run(
        &detector, durationSeconds: durationSeconds, pose: pose, mountState: seed * mountFactor,
        seed: seed, withGyroscope: withGyroscope)
      check(events, "gyroscope \(withGyroscope), seed \(seed)")
    }
  }
}

/// Runs a fresh knee-lift detector over `pose` held in a hand (its wander, 1° RMS, drawn from
/// `seed * wanderFactor`), with and without a gyroscope, for seeds 1–3, and hands the counted
/// lifts and a label to `check`. (Keep closures out of `#expect`'s argument in `check`: with
/// `#expect(counted.filter { … }.count == 10)` there, the next line's `counted.filter { … && … }`
/// returned every lift in a debug build, Swift 6.3.1; filtered into a `let` first, both filter
/// as written.)
func forEachHandHeldKneeLiftRun(
  durationSeconds: Double, pose: @escaping (Double) -> BodyPose, wanderFactor: UInt64,
  mountFactor: UInt64, check: (_ counted: [RepEvent], _ label: String) -> Void
) {
  for withGyroscope in [true, false] {
    for seed: UInt64 in 1...3 {
      let wander = handWander(rmsDegrees: 1, seed: seed * wanderFactor)
      let handHeld = { (t: Double) -> BodyPose in
        BodyPose(orientation: pose(t).orientation * wander(t), positionMeters: .zero)
      }
      var detector = KneeLiftDetector()
      let counted = run(
        &detector, durationSeconds: durationSeconds, pose: handHeld,
        mountState: seed * mountFactor, seed: seed, withGyroscope: withGyroscope
      ).counted
      check(counted, "gyroscope \(withGyroscope), seed \(seed)")
    }
  }
}

/// Each counted lift starts at its rise: the synthetic lifts begin after a 3 s lead, one every
/// `everySeconds`.
func expectEachFromItsRise(
  _ counted: [RepEvent], everySeconds: Double, within toleranceSeconds: Double, _ label: String
) {
  for (index, lift) in counted.enumerated() {
    let rise = 3 + Double(index) * everySeconds
    #expect(
      abs(lift.startSeconds - rise) < toleranceSeconds,
      "\(label): lift \(index) starts \(lift.startSeconds)")
  }
}
