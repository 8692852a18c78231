import MotionCore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct GenericAndStillnessTests {
  @Test(arguments: [10.0, 100, 1000])
  func genericCountsKneeLiftsAndTwists(rateHz: Double) {
    var random = TestRandom(state: 21)
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 8), liftDegrees: Array(repeating: 20, count: 8))
    var detector = GenericDetector()
    let liftEvents = run(
      &detector,
      FrameSynthesizer(rateHz: rateHz, mount: random.rotation())
        .frames(durationSeconds: lifts.duration, pose: lifts.pose))
    #expect(liftEvents.counted.count == 8, "lifts at \(rateHz) Hz")
    let twists = Motions.twists(count: 8, periodSeconds: 2.5, amplitudeDegrees: 30)
    var twistDetector = makeRepDetector(for: .any)
    var twistCount = 0
    for frame in FrameSynthesizer(rateHz: rateHz, mount: random.rotation()).frames(
      durationSeconds: twists.duration, pose: twists.pose)
    {
      if let event = twistDetector.process(frame), !event.isPartial { twistCount += 1 }
    }
    #expect(twistCount == 8, "twists at \(rateHz) Hz")
  }

  /// A hip roll turns the angular velocity round a plane: every axis in it is as dominant as
  /// the next, and an axis that followed the turning vector saw the angle only grow.
  @Test(arguments: [(seed: UInt64(3), periodSeconds: 2.5), (4, 4.0), (5, 3.0)])
  func genericCountsHipCirclesAboutAFixedAxis(seed: UInt64, periodSeconds: Double) {
    var random = TestRandom(state: seed)
    let directions = Array(repeating: -1.0, count: 10) + Array(repeating: 1.0, count: 10)
    let rolls = Motions.hipRolls(
      directions: directions, periodSeconds: periodSeconds, tiltDegrees: 8)
    var detector = GenericDetector()
    let events = run(
      &detector,
      FrameSynthesizer(rateHz: 100, mount: random.rotation())
        .frames(durationSeconds: rolls.duration, pose: rolls.pose))
    #expect(abs(events.counted.count - 20) <= 1, "\(events.counted.count) of 20 circles")
  }

  /// A fidget before the set turns the device 35° in its holder, fast and about another axis
  /// than the lifts', which are small (10°, a mount that sees little of them). The set's first
  /// movement from rest chooses the counting axis afresh and restarts the portrait, so the
  /// fidget's speed and leaking angle no longer swallow the first lifts (before: 3 of 8
  /// counted). The first lift, during which the axis moves, may still be lost.
  @Test(arguments: [UInt64(31), 32, 33, 34])
  func genericCountsSmallLiftsAfterAFidgetTurnedTheDevice(mountState: UInt64) {
    let lifts = Motions.kneeLifts(
      sides: Array(repeating: 1, count: 8), liftDegrees: Array(repeating: 10, count: 8),
      leadSeconds: 3)
    let pose = turnedInHolder(
      lifts.pose, axis: Vector3(0, 0, 1), degrees: 35, startSeconds: 1.2, durationSeconds: 0.8,
      shakeAxis: Vector3(0.3, 0.2, 1))
    var detector = GenericDetector()
    let counted = run(
      &detector, durationSeconds: lifts.duration, pose: pose, mountState: mountState,
      seed: mountState
    ).counted
    #expect((7...8).contains(counted.count), "\(counted.count) of 8 lifts")
    #expect(counted.allSatisfy { $0.endSeconds > 3 }, "the fidget counted")
  }

  /// Standing or lying still with sway, breathing, noise and gyroscope bias.
  static func stillness(seconds: Double, rateHz: Double, mount: Rotation) -> [MotionFrame] {
    FrameSynthesizer(rateHz: rateHz, mount: mount).frames(durationSeconds: seconds) { t in
      let sway = Rotation(
        axis: Vector3(sin(0.3 * t), cos(0.23 * t), 0),
        angleRadians: 0.6 * Double.pi / 180 * sin(2 * Double.pi * 0.25 * t))
      return BodyPose(orientation: sway, positionMeters: Vector3(0, 0, 0.003 * sin(1.6 * t)))
    }
  }

  /// Adjusting the device: quick small rotations that come back, and one that stays.
  static func fidgets(rateHz: Double, mount: Rotation) -> [MotionFrame] {
    FrameSynthesizer(rateHz: rateHz, mount: mount).frames(durationSeconds: 40) { t in
      var angle = 0.0
      for start in [5.0, 12.0, 19.0, 27.0] {
        angle +=
          25 * Double.pi / 180 * smoothRamp(t, start: start, duration: 0.25)
          * (1 - smoothRamp(t, start: start + 0.35, duration: 0.25))
      }
      angle += 40 * Double.pi / 180 * smoothRamp(t, start: 33, duration: 0.6)
      return BodyPose(
        orientation: Rotation(axis: Vector3(1, 0.4, 0.2), angleRadians: angle),
        positionMeters: .zero)
    }
  }

  @Test(arguments: Exercise.allCases)
  func stillnessAndFidgetsCountNothing(exercise: Exercise) {
    var random = TestRandom(state: 3)
    for rate in [10.0, 250] {
      let mount = random.rotation()
      for frames in [
        Self.stillness(seconds: 60, rateHz: rate, mount: mount),
        Self.fidgets(rateHz: rate, mount: mount),
      ] {
        var detector = makeRepDetector(for: exercise)
        var counted: [RepEvent] = []
        for frame in frames {
          if let event = detector.process(frame), !event.isPartial { counted.append(event) }
        }
        #expect(counted.isEmpty, "\(exercise) at \(rate) Hz: \(counted)")
      }
    }
  }

  @Test(arguments: Exercise.allCases)
  func stillnessWithGapsCountsNothing(exercise: Exercise) {
    var random = TestRandom(state: 8)
    let frames = dropStretches(
      Self.stillness(seconds: 40, rateHz: 100, mount: random.rotation()),
      [(5, 5.1), (10, 10.3), (15, 17), (20, 20.02), (30, 31)])
    var detector = makeRepDetector(for: exercise)
    var counted = 0
    for frame in frames {
      if let event = detector.process(frame), !event.isPartial { counted += 1 }
    }
    #expect(counted == 0)
  }

  @Test func orientationFindsUpInAnyMountingAndLearnsGyroBias() {
    var random = TestRandom(state: 11)
    let mount = random.rotation()
    var synthesizer = FrameSynthesizer(rateHz: 100, mount: mount)
    synthesizer.gyroBiasDPS = Vector3(2, -1.5, 1)
    var tracker = OrientationTracker()
    var previous: Vector3?
    var lastTime = 0.0
    for frame in synthesizer.frames(
      durationSeconds: 8,
      pose: { _ in
        BodyPose(orientation: .identity, positionMeters: .zero)
      })
    {
      tracker.update(
        accelerationG: frame.accelerationG, angularVelocityDPS: frame.angularVelocityDPS,
        dtSeconds: frame.timeSeconds - lastTime, previousAngularVelocityDPS: previous)
      previous = frame.angularVelocityDPS.map { tracker.correctedAngularVelocityDPS($0) }
      lastTime = frame.timeSeconds
    }
    let trueUp = mount.transposed.apply(Vector3(0, 0, 1))
    #expect((tracker.upInSensor - trueUp).length < 0.02)
    #expect(tracker.gyroBias.isBiasKnown)
    #expect((tracker.gyroBias.biasDPS - Vector3(2, -1.5, 1)).length < 0.2)
  }

  @Test func phaseCounterCountsTurnsAndReversals() {
    var counter = PhaseCounter(
      settings: {
        var s = PhaseCounter.Settings()
        s.countsBackward = true
        return s
      }())
    var completed: [Int] = []
    var abandoned = 0
    var t = 0.0
    var angle = 0.0
    func step(_ delta: Double) {
      angle += delta
      t += 0.01
      switch counter.update(timeSeconds: t, angleRadians: angle, isValid: true) {
      case .completed(let cycle): completed.append(cycle.direction)
      case .abandoned: abandoned += 1
      case .none: break
      }
    }
    for _ in 0..<300 { step(2 * Double.pi / 100) }  // three turns forward
    for _ in 0..<60 { step(2 * Double.pi / 100) }  // 0.6 turn, then back
    for _ in 0..<150 { step(-2 * Double.pi / 100) }
    #expect(completed.filter { $0 == 1 }.count == 3)
    #expect(abandoned == 1)
    // Counted backward from the turning point: 1.5 turns back → 1 complete turn.
    #expect(completed.filter { $0 == -1 }.count == 1)
  }

  /// A boundary found half a turn off moves by half a turn: the turn in progress ends where the
  /// moved boundary is next passed (at π/2, not 3π/2), begun when the caller says, and the next
  /// turn a whole turn later.
  @Test func phaseCounterMovesItsBoundaryByHalfATurn() {
    var counter = PhaseCounter(boundary: .atAngle(-Double.pi / 2))
    let tolerance = counter.settings.completionToleranceRadians
    var t = 0.0
    var angle = 0.2
    var completions: [(angle: Double, cycle: PhaseCounter.Cycle)] = []
    for frame in 0..<1000 {
      if frame == 20 {
        // 0.2 rad on from the start: the boundary was 2.5 rad further on, now 1.4 rad.
        counter.moveBoundaryHalfATurn(turnStartSeconds: 0.25)
      }
      if case .completed(let cycle) = counter.update(
        timeSeconds: t, angleRadians: angle, isValid: true)
      {
        completions.append((angle, cycle))
      }
      angle += 0.01
      t += 0.01
    }
    #expect(counter.boundary == .atAngle(Double.pi / 2))
    #expect(completions.count == 2)
    guard completions.count == 2 else { return }
    #expect(completions[0].angle > Double.pi / 2 - tolerance - 0.011)
    #expect(completions[0].angle <= Double.pi / 2)
    #expect(completions[0].cycle.startSeconds == 0.25)
    #expect(abs(completions[1].angle - completions[0].angle - 2 * Double.pi) < 0.011)
  }

  /// The travel a counter that counts backward adds across an unseen stretch: `turningFrames`
  /// frames at 100 Hz turning forward at one turn in 2 s, then 0.2 s unseen, after which the
  /// angle reads `offsetRadians` on from where it was last seen.
  private func travelAcrossUnseenStretch(
    turningFrames: Int, offsetRadians: Double, maximumBridgedTempoFactor: Double? = nil,
    keepsDirection: Bool = false
  ) -> Double {
    var settings = PhaseCounter.Settings()
    settings.countsBackward = true
    settings.maximumBridgedTempoFactor = maximumBridgedTempoFactor
    var counter = PhaseCounter(settings: settings)
    var t = 0.0
    var angle = 0.0
    for _ in 0..<turningFrames {
      angle += 2 * Double.pi / 200
      t += 0.01
      _ = counter.update(timeSeconds: t, angleRadians: angle, isValid: true)
    }
    let before = counter.travelRadians
    for _ in 0..<20 {
      t += 0.01
      _ = counter.update(timeSeconds: t, angleRadians: 0, isValid: false)
    }
    _ = counter.update(
      timeSeconds: t, angleRadians: angle + offsetRadians, isValid: true,
      keepsDirection: keepsDirection)
    return counter.travelRadians - before
  }

  @Test func phaseCounterKeepsItsDirectionAcrossACentreCrossing() {
    // A turn and a third forward in 2.6 s, then the angle reads 2.5 rad back (the short way
    // round from where it came out).
    func run(keepsDirection: Bool, backward: Double) -> Double {
      travelAcrossUnseenStretch(
        turningFrames: 260, offsetRadians: -backward, keepsDirection: keepsDirection)
    }
    // The short way round runs the turn back (here past its start: a new turn begins).
    #expect(run(keepsDirection: false, backward: 2.5) < -0.5)
    // After a crossing the angle says nothing of the way round: the turn does not run back.
    #expect(run(keepsDirection: true, backward: 2.5) == 0)
    // Forward it goes on as before.
    #expect(abs(run(keepsDirection: true, backward: -2.5) - 2.5) < 1e-9)
  }

  @Test func phaseCounterBridgesNoFasterThanTheLastTurn() {
    // One turn in 2 s, then the angle reads 2.5 rad further on.
    func run(factor: Double?) -> Double {
      travelAcrossUnseenStretch(
        turningFrames: 200, offsetRadians: 2.5, maximumBridgedTempoFactor: factor)
    }
    // Uncapped, the shortest way round is taken whole.
    #expect(abs(run(factor: nil) - 2.5) < 1e-9)
    // Capped at 1.5 × the last turn's rate over 0.2 s (the turn completed within its
    // completion tolerance, after about 1.85 s).
    #expect(abs(run(factor: 1.5) - 1.5 * 2 * Double.pi / 1.85 * 0.2) < 0.03)
  }
}

@Suite struct WalkingTests {
  /// Walking at 1.8 steps a second: the pelvis bobs 2.2 cm at the step rhythm (0.3 g, as the
  /// simulator's walking does), and per stride (two steps) it yaws ±10° (a brisk walk), rolls ±5°
  /// and sways 2 cm sideways: tilt circles and yaw swings at a hip roll's and a twist's tempo,
  /// with a jolt in every step. (A bounce of |sin| instead has a kink at each step: its jolt is
  /// seen only when a report falls within a millisecond of it, as a single spike of many g.)
  static func walking(seconds: Double, rateHz: Double, mount: Rotation) -> [MotionFrame] {
    let step = 2 * Double.pi * 1.8
    let stride = step / 2
    return FrameSynthesizer(rateHz: rateHz, mount: mount).frames(durationSeconds: seconds) { t in
      let ramp = smoothRamp(t, start: 1, duration: 1)
      let yaw = Rotation(axis: Vector3(0, 0, 1), angleRadians: ramp * 0.175 * sin(stride * t))
      let roll = Rotation(axis: Vector3(0, 1, 0), angleRadians: ramp * 0.087 * cos(stride * t))
      let position = Vector3(0, ramp * 0.02 * sin(stride * t), -ramp * 0.022 * cos(step * t))
      return BodyPose(orientation: yaw * roll, positionMeters: position)
    }
  }

  @Test(arguments: [Exercise.hipRoll, .twist])
  func walkingCountsNoHipRollsOrTwists(exercise: Exercise) {
    var random = TestRandom(state: 8)
    let frames = Self.walking(seconds: 30, rateHz: 100, mount: random.rotation())
    func counted(_ settings: DetectorSettings) -> Int {
      var detector = makeRepDetector(for: exercise, settings: settings)
      return frames.compactMap { detector.process($0) }.filter { !$0.isPartial }.count
    }
    #expect(counted(DetectorSettings()) == 0)
    // The footsteps' jolt is what tells it apart: without that gate the same walk counts.
    var joltBlind = DetectorSettings()
    joltBlind.maximumExerciseJoltG = .infinity
    #expect(counted(joltBlind) > 0)
  }
}
