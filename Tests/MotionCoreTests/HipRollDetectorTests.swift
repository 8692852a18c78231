import Foundation
import MotionCore
import Testing

@Suite struct HipRollDetectorTests {
  static let rates: [Double] = [10, 100, 1000]

  @Test(arguments: rates)
  func countsBothDirectionsAtAnyRateAndMounting(rateHz: Double) {
    let directions = Array(repeating: -1.0, count: 10) + Array(repeating: 1.0, count: 10)
    let motion = Motions.hipRolls(directions: directions, periodSeconds: 2.5, tiltDegrees: 8)
    for seed: UInt64 in [1, 2, 3] {
      var random = TestRandom(state: seed * 77)
      let synthesizer = FrameSynthesizer(rateHz: rateHz, mount: random.rotation(), seed: seed)
      let frames = synthesizer.frames(durationSeconds: motion.duration, pose: motion.pose)
      var detector = HipRollDetector()
      let counted = run(&detector, frames).counted
      #expect(counted.count == 20, "rate \(rateHz) seed \(seed)")
      let clockwise = counted.filter { $0.direction == .clockwise }.count
      let counterclockwise = counted.filter { $0.direction == .counterclockwise }.count
      #expect(clockwise == 10 && counterclockwise == 10, "rate \(rateHz) seed \(seed)")
      // The first ten are clockwise: direction comes out per rep, in order.
      #expect(counted.prefix(10).allSatisfy { $0.direction == .clockwise })
      #expect(counted.map(\.index) == Array(1...counted.count))
    }
  }

  @Test func worksWithoutGyroscope() {
    let directions = Array(repeating: 1.0, count: 8) + Array(repeating: -1.0, count: 8)
    let motion = Motions.hipRolls(directions: directions, periodSeconds: 3, tiltDegrees: 10)
    var random = TestRandom(state: 5)
    var synthesizer = FrameSynthesizer(rateHz: 100, mount: random.rotation())
    synthesizer.withGyroscope = false
    var detector = HipRollDetector()
    let counted = run(
      &detector,
      synthesizer.frames(
        durationSeconds: motion.duration, pose: motion.pose)
    ).counted
    #expect(counted.count == 16)
    #expect(counted.prefix(8).allSatisfy { $0.direction == .counterclockwise })
    #expect(counted.suffix(8).allSatisfy { $0.direction == .clockwise })
  }

  /// Someone told to go gently circles slowly: an 8° tilt at 10 s a circle tilts at 5 °/s, a 6°
  /// one at 3.8 °/s, below the rate that sway never reaches. They count while the tilt keeps
  /// going round. Without a gyroscope the slower 8° circles all count; with one the 6° circles
  /// do but for the first of a direction now and then (its start grows out of standing still).
  /// 4° circles tilt at 2.5 °/s and count only once their tilt goes round; while they do not yet,
  /// the body must not be taken to stand still: a mean settling fast on a circle follows it and
  /// leaves a third of it, under the size that counts, and then not one circle counted.
  @Test func gentleCirclesCount() {
    let directions = Array(repeating: 1.0, count: 6) + Array(repeating: -1.0, count: 6)
    // Tilt, gyroscope, fewest counted of 12, fewest counted of the first (counter-clockwise) 6.
    let cases: [(Double, Bool, Int, Int)] = [
      (8, false, 12, 6), (6, true, 10, 4), (4, true, 10, 5), (4, false, 10, 5),
    ]
    for (tiltDegrees, withGyroscope, least, leastFirst) in cases {
      let motion = Motions.hipRolls(
        directions: directions, periodSeconds: 10, tiltDegrees: tiltDegrees)
      for seed: UInt64 in 1...4 {
        var detector = HipRollDetector()
        let counted = run(
          &detector, durationSeconds: motion.duration, pose: motion.pose, mountState: seed * 5,
          seed: seed, withGyroscope: withGyroscope
        ).counted
        let label = "\(tiltDegrees)°, gyroscope \(withGyroscope), seed \(seed)"
        #expect(counted.count >= least && counted.count <= 12, "\(label): \(counted.count)")
        let firstCounterclockwise = counted.prefix { $0.direction == .counterclockwise }.count
        #expect(firstCounterclockwise >= leastFirst, "\(label)")
        #expect(
          counted.dropFirst(firstCounterclockwise).allSatisfy { $0.direction == .clockwise },
          "\(label)")
      }
    }
  }

  /// A controller held in the hand wobbles by itself, here 1.2° at 0.35 Hz about one axis and 1°
  /// at 0.5 Hz about another: 2.6 and 3.1 °/s at their fastest, about as fast as a gentle
  /// circle's tilt (8° at 10 s a circle: 5 °/s), whose velocity they turn off the tangent now and
  /// then. Over a second the wobble does not turn the tilt: no circle is lost to it (judged frame
  /// by frame, a third of the circles one way broke into a partial and a restart, and the count
  /// came out at 12 or 13 of 12).
  @Test func gentleCirclesCountThroughAHandsWobble() {
    let directions = Array(repeating: 1.0, count: 6) + Array(repeating: -1.0, count: 6)
    let motion = Motions.hipRolls(directions: directions, periodSeconds: 10, tiltDegrees: 8)
    let degree = Double.pi / 180
    let pose = { (time: Double) -> BodyPose in
      let body = motion.pose(time)
      let wobbleX = 1.2 * degree * sin(2 * Double.pi * 0.35 * time + 0.3)
      let wobbleY = degree * sin(2 * Double.pi * 0.5 * time)
      let wobble =
        Rotation(axis: Vector3(1, 0, 0), angleRadians: wobbleX)
        * Rotation(axis: Vector3(0, 1, 0), angleRadians: wobbleY)
      return BodyPose(orientation: body.orientation * wobble, positionMeters: body.positionMeters)
    }
    for seed: UInt64 in 1...4 {
      var detector = HipRollDetector()
      let events = run(
        &detector, durationSeconds: motion.duration, pose: pose, mountState: seed * 5, seed: seed)
      let counted = events.counted
      #expect(counted.count == 12, "seed \(seed): \(counted.count)")
      // Before the first circle (3 s of standing) the wobble alone may make a partial.
      let partials = events.filter { $0.isPartial && $0.startSeconds >= 5 }
      #expect(partials.isEmpty, "seed \(seed): \(partials.map(\.startSeconds))")
      #expect(counted.prefix(6).allSatisfy { $0.direction == .counterclockwise }, "seed \(seed)")
      #expect(counted.dropFirst(6).allSatisfy { $0.direction == .clockwise }, "seed \(seed)")
    }
  }

  /// A fidget (a 20° tilt there and back twice in 1.2 s, 100 °/s at its fastest) and a second of
  /// standing still before slow circles (6° at 6 s a circle, 6 °/s): the circles are measured
  /// against themselves. Held against the fidget's rate (a fifth of it), the first circle stayed
  /// under the gate for much of its turn, and the set's last turn ended short of a whole one.
  @Test func slowCirclesAfterAFidgetAllCount() {
    let circles = Motions.hipRolls(
      directions: Array(repeating: -1.0, count: 5), periodSeconds: 6, tiltDegrees: 6)
    let degree = Double.pi / 180
    let pose = { (time: Double) -> BodyPose in
      guard time > 0.8 && time < 2 else { return circles.pose(time) }
      let lean = sin(2 * Double.pi * (time - 0.8) / 1.2)
      let tilt = Rotation(axis: Vector3(1, 0.3, 0), angleRadians: 20 * degree * lean * lean)
      return BodyPose(orientation: tilt, positionMeters: .zero)
    }
    for seed: UInt64 in 1...4 {
      var detector = HipRollDetector()
      let counted = run(
        &detector, durationSeconds: circles.duration, pose: pose, mountState: seed * 7, seed: seed
      ).counted
      #expect(counted.count == 5, "seed \(seed): \(counted.count)")
      #expect(counted.allSatisfy { $0.direction == .clockwise }, "seed \(seed)")
    }
  }

  /// The device turned in its holder (25 to 35° about a level axis, over a second) leaves "up"
  /// far from the mean, and the set begins after standing still 0.8 s (as soon as the
  /// simulator's sets do): the mean, settling at 0.5 s, was still several degrees off when the
  /// circles (8° at 3 s a circle) began, the count went round that point a seventh to a quarter
  /// of a circle late, and the set's last circle came out partial (7 of 8 on 10 of these 18
  /// runs). Still, and out beyond any slow circle's reach, the tilt is the mean left behind: it
  /// settles at once.
  @Test func circlesRightAfterTheDeviceTurnedInItsHolderAllCount() {
    let circles = Motions.hipRolls(
      directions: Array(repeating: -1.0, count: 8), periodSeconds: 3, tiltDegrees: 8,
      leadSeconds: 2.8)
    for turnDegrees in [25.0, 30, 35] {
      for seed: UInt64 in 1...6 {
        var random = TestRandom(state: seed * 31)
        let axis = Vector3(random.gaussian(), random.gaussian(), 0)
        let pose = turnedInHolder(
          circles.pose, axis: axis, degrees: turnDegrees, startSeconds: 1, durationSeconds: 1)
        var detector = HipRollDetector()
        let counted = run(
          &detector, durationSeconds: circles.duration, pose: pose, mountState: seed * 7,
          seed: seed
        ).counted
        let label = "\(turnDegrees)°, seed \(seed)"
        #expect(counted.count == 8, "\(label): \(counted.count)")
        #expect(counted.allSatisfy { $0.direction == .clockwise }, "\(label)")
      }
    }
  }

  @Test func rangeIsTheTiltAndMetricsAreSane() {
    let motion = Motions.hipRolls(
      directions: Array(repeating: 1.0, count: 8), periodSeconds: 2.5, tiltDegrees: 9)
    var detector = HipRollDetector()
    let counted = run(
      &detector,
      FrameSynthesizer(rateHz: 200).frames(
        durationSeconds: motion.duration, pose: motion.pose)
    ).counted
    #expect(counted.count == 8)
    // The middle reps are at full amplitude: the tilt circle's radius is about 9°.
    for event in counted.dropFirst(2).dropLast(2) {
      #expect(abs(event.metrics.rangeDegrees - 9) < 2.5, "range \(event.metrics.rangeDegrees)")
      #expect(abs(event.durationSeconds - 2.5) < 0.3)
      #expect(event.metrics.peakAngularVelocityDPS > 10)
      #expect(event.metrics.smoothness < 0 && event.metrics.smoothness > -15)
    }
  }

  /// Clockwise circles of 12° tilt, then at once counter-clockwise ones of 4°: the smaller set
  /// is its own yardstick, not half of the last one's.
  @Test func smallerCirclesTheOtherWayAllCount() {
    let wide = Motions.hipRolls(
      directions: Array(repeating: -1.0, count: 6), periodSeconds: 3, tiltDegrees: 12)
    let narrow = Motions.hipRolls(
      directions: Array(repeating: 1.0, count: 6), periodSeconds: 3, tiltDegrees: 4,
      leadSeconds: 0.5)
    // The wide set's trailing stillness (its lead, 3 s) left out: no pause between the sets.
    let switchSeconds = wide.duration - 3
    let pose = { (t: Double) in t < switchSeconds ? wide.pose(t) : narrow.pose(t - switchSeconds) }
    var random = TestRandom(state: 11)
    let frames = FrameSynthesizer(rateHz: 100, mount: random.rotation()).frames(
      durationSeconds: switchSeconds + narrow.duration, pose: pose)
    var detector = HipRollDetector()
    let result = run(&detector, frames)
    #expect(result.counted.filter { $0.direction == .clockwise }.count == 6)
    #expect(result.counted.filter { $0.direction == .counterclockwise }.count == 6)
  }

  /// A small circle (0.3 of the others) among full ones, merging into its neighbours: reported
  /// partial, not counted. The first circle is too small to see, so the counted turns run a
  /// tenth of a circle off the true ones and reach into the next; judged by its whole extent,
  /// the small circle measured over half the others' size and was counted.
  @Test(arguments: [true, false])
  func smallCirclesAmongFullOnesArePartial(withGyroscope: Bool) {
    let sizes = [0.1, 1, 1, 1, 0.3, 1, 1, 1]
    let motion = Motions.hipRolls(
      directions: Array(repeating: 1.0, count: sizes.count), periodSeconds: 3, tiltDegrees: 8,
      sizes: sizes)
    for mountState: UInt64 in [3, 17, 29] {
      var detector = HipRollDetector()
      let events = run(
        &detector, durationSeconds: motion.duration, pose: motion.pose, mountState: mountState,
        seed: mountState, withGyroscope: withGyroscope)
      #expect(events.counted.count == 6, "mount \(mountState)")
      #expect(events.filter(\.isPartial).count >= 1, "mount \(mountState)")
    }
  }

  /// A circle too small to follow (0.05 of the others) leaves a gap about a circle long, over
  /// the 3 s that start a new set when the circles take 3.5 s or more. A small circle (0.4 of
  /// the others, 3.2° of tilt: over the size that counts) two circles later is still measured
  /// against the set's earlier circles, and is partial. (The gap had started a new set, with no
  /// yardstick yet by the small circle: it was counted.)
  @Test(arguments: [true, false])
  func circleTooSmallToFollowKeepsTheSetsYardstick(withGyroscope: Bool) {
    let sizes = [1, 1, 1, 0.05, 1, 0.4, 1, 1]
    for periodSeconds in [3.5, 5] {
      let motion = Motions.hipRolls(
        directions: Array(repeating: 1.0, count: sizes.count), periodSeconds: periodSeconds,
        tiltDegrees: 8, sizes: sizes)
      for mountState: UInt64 in [3, 17, 29] {
        var detector = HipRollDetector()
        let events = run(
          &detector, durationSeconds: motion.duration, pose: motion.pose, mountState: mountState,
          seed: mountState, withGyroscope: withGyroscope)
        let label = "gyroscope \(withGyroscope), period \(periodSeconds), mount \(mountState)"
        #expect(events.counted.count == 6, "\(label): \(events.counted.count)")
        #expect(events.filter(\.isPartial).count == 1, "\(label)")
      }
    }
  }

  /// A set that starts with a small circle (0.3 of the others, 2.4° of tilt: over the size
  /// that counts) has nothing before it to be measured against: the set's second circle shows
  /// it partial. Both ways round, the other way starting a set of its own at once; each set's
  /// first circle comes out one circle late, in order. (Without a gyroscope the tilt is followed
  /// later, from its own rate: the turns run a third of a circle behind the true ones, the small
  /// circle's end and the next one's start make the first, and the set's last is partial.)
  @Test(arguments: [true, false])
  func smallFirstCircleOfASetIsPartial(withGyroscope: Bool) {
    let sizes = [0.3, 1, 1, 1, 1, 0.3, 1, 1, 1, 1]
    let directions = Array(repeating: -1.0, count: 5) + Array(repeating: 1.0, count: 5)
    let motion = Motions.hipRolls(
      directions: directions, periodSeconds: 3, tiltDegrees: 8, sizes: sizes)
    for mountState: UInt64 in [3, 17, 29] {
      var detector = HipRollDetector()
      let events = run(
        &detector, durationSeconds: motion.duration, pose: motion.pose, mountState: mountState,
        seed: mountState, withGyroscope: withGyroscope)
      let counted = events.counted
      let label = "gyroscope \(withGyroscope), mount \(mountState)"
      #expect(counted.count == 8, "\(label): \(counted.count)")
      #expect(counted.prefix(4).allSatisfy { $0.direction == .clockwise }, "\(label)")
      #expect(counted.dropFirst(4).allSatisfy { $0.direction == .counterclockwise }, "\(label)")
      #expect(counted.map(\.index) == Array(1...counted.count), "\(label)")
      #expect(events.filter(\.isPartial).count >= (withGyroscope ? 2 : 1), "\(label)")
      #expect(zip(events, events.dropFirst()).allSatisfy { $0.endSeconds <= $1.endSeconds })
    }
  }

  /// A set of small circles (3.3° of tilt) whose first is a little smaller still (0.65 of the
  /// rest, 2.1°): its middle measures under the size that counts (2°), as a hard set's first
  /// circle can. Measured against the circle after it (more than half its size, as long) it
  /// was whole: counted, one circle late, and numbered first. Both ways round, without a
  /// gyroscope (with one, the turns of so small a set run behind the true ones and its last
  /// circle is lost, a failure of its own).
  @Test(arguments: [1.0, -1.0])
  func undersizedFirstCircleOfASetCounts(direction: Double) {
    let motion = Motions.hipRolls(
      directions: Array(repeating: direction, count: 6), periodSeconds: 2.5, tiltDegrees: 3.3,
      sizes: [0.65, 1, 1, 1, 1, 1])
    for seed: UInt64 in [1, 2, 3, 4, 5] {
      var detector = HipRollDetector()
      let events = run(
        &detector, durationSeconds: motion.duration, pose: motion.pose, mountState: seed * 7,
        seed: seed, withGyroscope: false)
      let counted = events.counted
      #expect(counted.count == 6, "direction \(direction), seed \(seed): \(counted.count)")
      #expect(counted.map(\.index) == Array(1...counted.count), "seed \(seed)")
      #expect(zip(events, events.dropFirst()).allSatisfy { $0.endSeconds <= $1.endSeconds })
    }
  }

  /// A set of one small circle (3.6° of tilt), and a stream that ends one small circle into a
  /// set: the held first circle is reported after the pause, and by `finish()`. A wide first
  /// circle is not held: it is reported as it ends.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func loneFirstCirclesAreReported(seed: UInt64) {
    // Still turns before and after (size 0) keep the amplitude's ramps off the small circles.
    let single = Motions.hipRolls(
      directions: [1, 1, 1], periodSeconds: 3, tiltDegrees: 8, sizes: [0, 0.45, 0])
    let pair = Motions.hipRolls(
      directions: [-1, -1, -1], periodSeconds: 3, tiltDegrees: 8, sizes: [0, 0.45, 0.45])
    let pose = { (t: Double) in
      t < single.duration ? single.pose(t) : pair.pose(t - single.duration)
    }
    // The stream stops halfway round the pair's second circle.
    let duration = single.duration + 3 + 3 + 3 + 1.5
    var random = TestRandom(state: seed * 13)
    let frames = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed).frames(
      durationSeconds: duration, pose: pose)
    var detector = HipRollDetector()
    var events: [RepEvent] = []
    var lateSeconds: [Double] = []
    for frame in frames {
      if let event = detector.process(frame) {
        events.append(event)
        lateSeconds.append(frame.timeSeconds - event.endSeconds)
      }
    }
    let counted = events.counted
    #expect(counted.count == 1 && counted.first?.direction == .counterclockwise, "seed \(seed)")
    // Reported after the pause that ends its set (3 s), once the stalled turn after it is given
    // up (5 s), before the next set starts.
    let countedLateSeconds = zip(events, lateSeconds).first { !$0.0.isPartial }?.1
    #expect(countedLateSeconds.map { $0 > 3 && $0 < 6 } ?? false, "seed \(seed): \(lateSeconds)")
    let rest = detector.finish()
    #expect(rest.counted.count == 1 && rest.counted.first?.direction == .clockwise, "seed \(seed)")
    #expect(rest.counted.first?.index == 2, "seed \(seed)")

    let wide = Motions.hipRolls(directions: [1, 1, 1], periodSeconds: 3, tiltDegrees: 8)
    var wideDetector = HipRollDetector()
    let wideFrames = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed).frames(
      durationSeconds: wide.duration, pose: wide.pose)
    var firstLateSeconds: Double?
    for frame in wideFrames {
      if let event = wideDetector.process(frame), !event.isPartial, event.index == 1 {
        firstLateSeconds = frame.timeSeconds - event.endSeconds
      }
    }
    #expect(firstLateSeconds.map { $0 < 0.1 } ?? false, "seed \(seed)")
  }

  /// A set's small first circle (0.38 of the others, 3.8° of tilt: held, to be measured against
  /// the set's next whole circle), then a turn too small to count (0.18 of them, 1.8°: partial),
  /// then the full circles (10°, 2 s a circle). The partial turn does not release the held
  /// circle: the next whole one shows it a partial start, and only the full circles count, all
  /// reported in order. (In the corpora a hand's wander before a set goes once round, ending as
  /// the set's first circle grows, and a short partial turn follows; released by it, the wander
  /// was counted.)
  @Test func partialTurnDoesNotReleaseAHeldFirstCircle() {
    forEachSetOfCircles(
      sizes: [0, 0.38, 0.18, 1, 1, 1, 1], tiltDegrees: 10, periodSeconds: 2, direction: 1,
      mountFactor: 11, withGyroscope: true
    ) { events, label in
      let counted = events.counted
      #expect(counted.count == 4, "\(label)")
      #expect(events.filter(\.isPartial).count == 2, "\(label)")
      #expect(counted.allSatisfy { $0.direction == .counterclockwise }, "\(label)")
      #expect(counted.map(\.index) == Array(1...counted.count), "\(label)")
      #expect(
        zip(events, events.dropFirst()).allSatisfy { $0.endSeconds <= $1.endSeconds }, "\(label)")
    }
  }

  /// A set's second circle under a third the size of its first (3° of tilt: above the smallest
  /// that counts, so only the first circle can tell) is not counted: two circles make the set's
  /// yardstick, but one far smaller than the first is already judged by the first alone.
  @Test(arguments: [true, false])
  func thirdSizeSecondCircleIsNotCounted(withGyroscope: Bool) {
    forEachSetOfCircles(
      sizes: [1, 0.3, 1, 1, 1, 1], tiltDegrees: 10, direction: -1, mountFactor: 17,
      withGyroscope: withGyroscope
    ) { events, label in
      let counted = events.counted
      #expect(counted.count == 5, "\(label)")
      #expect(events.filter(\.isPartial).count <= 1, "\(label)")
      #expect(counted.map(\.index) == Array(1...counted.count), "\(label)")
    }
  }

  /// A set's first circle three times the size of the rest (a fidget run into it): the circles
  /// after it are each under the first-circle yardstick, but two alike in a row are the set's
  /// own size, and from the second of them on every circle counts.
  @Test(arguments: [true, false])
  func oversizedFirstCircleCostsTheSetOneCircleAtMost(withGyroscope: Bool) {
    let sizes = [1, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
    forEachSetOfCircles(
      sizes: sizes, tiltDegrees: 15, direction: 1, mountFactor: 23, withGyroscope: withGyroscope
    ) { events, label in
      let counted = events.counted
      #expect(counted.count >= sizes.count - 1, "\(label)")
      #expect(counted.map(\.index) == Array(1...counted.count), "\(label)")
    }
  }

  /// One set of hip rolls, circles of `sizes` times `tiltDegrees`, `periodSeconds` each, all one
  /// way, counted for seeds 1–6; `check` gets the events and a label naming the seed and what
  /// the detector reported.
  private func forEachSetOfCircles(
    sizes: [Double], tiltDegrees: Double, periodSeconds: Double = 2.5, direction: Double,
    mountFactor: UInt64, withGyroscope: Bool,
    check: (_ events: [RepEvent], _ label: String) -> Void
  ) {
    let motion = Motions.hipRolls(
      directions: Array(repeating: direction, count: sizes.count), periodSeconds: periodSeconds,
      tiltDegrees: tiltDegrees, sizes: sizes)
    for seed: UInt64 in 1...6 {
      var detector = HipRollDetector()
      let events = run(
        &detector, durationSeconds: motion.duration, pose: motion.pose,
        mountState: seed * mountFactor, seed: seed, withGyroscope: withGyroscope)
      check(
        events,
        "seed \(seed): \(events.map { ($0.endSeconds, $0.isPartial, $0.metrics.rangeDegrees) })")
    }
  }

  /// A small circle (3.6° of tilt, a set's first: held to be measured against the next), and
  /// half a second later a walk: footsteps before any next circle show it was the walk's start,
  /// not a set's (in the corpora, the turn on the spot that begins a walk, whose pull the
  /// accelerometer takes for a tilt, or a fidget before it). It is not counted; the set after the
  /// walk counts every circle.
  @Test(arguments: [true, false])
  func smallCircleJustBeforeAWalkIsNotCounted(withGyroscope: Bool) {
    let small = Motions.hipRolls(
      directions: [1, 1, 1], periodSeconds: 3, tiltDegrees: 8, sizes: [0, 0.45, 0])
    let walkStartSeconds = 3 + 2 * 3 + 0.5
    let walkSeconds = 4.0
    let setStartSeconds = walkStartSeconds + walkSeconds + 2
    let set = Motions.hipRolls(
      directions: Array(repeating: -1, count: 6), periodSeconds: 3, tiltDegrees: 8)
    // Footsteps as in `WalkingTests.walking`, ramped in and out over half a second.
    let step = 2 * Double.pi * 1.8
    let pose = { (t: Double) -> BodyPose in
      if t < walkStartSeconds { return small.pose(t) }
      if t >= setStartSeconds { return set.pose(t - setStartSeconds) }
      let u = t - walkStartSeconds
      let window =
        smoothRamp(u, start: 0, duration: 0.5)
        * (1 - smoothRamp(u, start: walkSeconds - 0.5, duration: 0.5))
      let yaw = Rotation(axis: Vector3(0, 0, 1), angleRadians: window * 0.175 * sin(step / 2 * u))
      let roll = Rotation(axis: Vector3(0, 1, 0), angleRadians: window * 0.087 * cos(step / 2 * u))
      let position = Vector3(
        0, window * 0.02 * sin(step / 2 * u), -window * 0.022 * cos(step * u))
      return BodyPose(orientation: yaw * roll, positionMeters: position)
    }
    for seed: UInt64 in 1...4 {
      var detector = HipRollDetector()
      let counted = run(
        &detector, durationSeconds: setStartSeconds + set.duration, pose: pose,
        mountState: seed * 41, seed: seed, withGyroscope: withGyroscope
      ).counted
      #expect(
        counted.count == 6 && counted.allSatisfy { $0.direction == .clockwise },
        "seed \(seed): \(counted.map { ($0.startSeconds, $0.endSeconds) })")
      #expect(counted.map(\.index) == Array(1...counted.count), "seed \(seed)")
    }
  }

  @Test func gapsNeverAddReps() {
    let motion = Motions.hipRolls(
      directions: Array(repeating: 1.0, count: 10), periodSeconds: 2.5, tiltDegrees: 8)
    let frames = FrameSynthesizer(rateHz: 100).frames(
      durationSeconds: motion.duration, pose: motion.pose)
    // Drop 0.2 s (bridged) and 1 s (broken) stretches, marking the frame after each.
    let gapped = dropStretches(frames, [(8.0, 8.2), (14.0, 15.0), (20.0, 20.05)])
    var detector = HipRollDetector()
    let counted = run(&detector, gapped).counted
    #expect(counted.count <= 10)
    #expect(counted.count >= 9)
  }
}

/// Removes frames inside each (start, end) stretch and flags the next frame.
func dropStretches(_ frames: [MotionFrame], _ stretches: [(Double, Double)]) -> [MotionFrame] {
  var result: [MotionFrame] = []
  var lost = false
  for frame in frames {
    if stretches.contains(where: { frame.timeSeconds >= $0.0 && frame.timeSeconds < $0.1 }) {
      lost = true
      continue
    }
    var copy = frame
    copy.framesLostBefore = lost
    lost = false
    result.append(copy)
  }
  return result
}
