import MotionCore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Body frame in these tests: x right, y forward, z up (standing). Lying on the back, the front
// faces up: a quarter turn about right.

private let degrees = Double.pi / 180
private let lyingOnTheBack = Rotation(axis: Vector3(1, 0, 0), angleRadians: 90 * degrees)

/// The profile a perfect calibration gives for `mount` (sensor → body).
private func profile(for mount: Rotation) -> BodyProfile {
  let bodyToSensor = mount.transposed
  return BodyProfile(
    rightInSensor: bodyToSensor.apply(Vector3(1, 0, 0)),
    standingUpInSensor: bodyToSensor.apply(Vector3(0, 0, 1)),
    lyingUpInSensor: bodyToSensor.apply(Vector3(0, 1, 0)))
}

private func recorder(_ frames: [MotionFrame], profile: BodyProfile) throws -> BodyTiltRecorder {
  var recorder = try #require(BodyTiltRecorder(profile: profile))
  for frame in frames { recorder.process(frame) }
  return recorder
}

@Test(arguments: [UInt64(1), 2, 3, 4, 5])
func aHipCircleIsMeasuredForwardBackAndSideToSide(seed: UInt64) throws {
  // An ellipse of tilt: 8° forward and back, 4° to each side, one turn in 4 s, in a random
  // mounting. The ranges are peak to peak: twice each.
  var random = TestRandom(state: seed)
  for withGyroscope in [true, false] {
    let synthesizer = FrameSynthesizer(
      rateHz: 100, mount: random.rotation(), withGyroscope: withGyroscope, seed: seed)
    let frames = synthesizer.frames(durationSeconds: 20) { t in
      let phase = 2 * Double.pi * t / 4
      let turning = smoothRamp(t, start: 2, duration: 1)
      let orientation =
        Rotation(axis: Vector3(1, 0, 0), angleRadians: turning * 8 * degrees * sin(phase))
        * Rotation(axis: Vector3(0, 1, 0), angleRadians: turning * 4 * degrees * cos(phase))
      return BodyPose(orientation: orientation, positionMeters: Vector3(0, 0, 1))
    }
    let tilt = try #require(
      recorder(frames, profile: profile(for: synthesizer.mount)).ranges(
        fromSeconds: 12, toSeconds: 16))
    let label = "seed \(seed), gyroscope \(withGyroscope)"
    #expect(abs(tilt.sagittalDegrees - 16) < 1, "\(label): \(tilt)")
    #expect(abs(tilt.lateralDegrees - 8) < 1, "\(label): \(tilt)")
  }
}

@Test(arguments: [UInt64(1), 2, 3, 4, 5])
func aKneeLiftTiltsThePelvisAndRollsItALittle(seed: UInt64) throws {
  // Lying on the back: the pelvis tilts back 10° (about right) and rolls 3° (about the long
  // axis) and comes back, over 3 s.
  var random = TestRandom(state: seed &+ 100)
  let synthesizer = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed)
  let frames = synthesizer.frames(durationSeconds: 10) { t in
    let lift = smoothRamp(t, start: 3, duration: 1.5) - smoothRamp(t, start: 4.5, duration: 1.5)
    let orientation =
      lyingOnTheBack * Rotation(axis: Vector3(1, 0, 0), angleRadians: -10 * degrees * lift)
      * Rotation(axis: Vector3(0, 0, 1), angleRadians: 3 * degrees * lift)
    return BodyPose(orientation: orientation, positionMeters: Vector3(0, 0, 0.2))
  }
  let tilt = try #require(
    recorder(frames, profile: profile(for: synthesizer.mount)).ranges(
      fromSeconds: 2.8, toSeconds: 6.2))
  #expect(abs(tilt.sagittalDegrees - 10) < 0.7, "seed \(seed): \(tilt)")
  #expect(abs(tilt.lateralDegrees - 3) < 0.7, "seed \(seed): \(tilt)")
}

@Test func aTwistSwingingTheSensorOnItsLeverArmIsNotALean() throws {
  // ±30° twists, one in 2.5 s, the sensor 13 cm in front of the spine: its swing accelerates it
  // by up to 0.04 g sideways, which an accelerometer alone reads as a lean of several degrees.
  // With the gyroscope the body stays nearly upright.
  func tilt(withGyroscope: Bool) throws -> BodyTiltRanges {
    let synthesizer = FrameSynthesizer(
      rateHz: 200, mount: Rotation(axis: Vector3(0.3, 1, -0.2), angleRadians: 2.1),
      withGyroscope: withGyroscope)
    let frames = synthesizer.frames(durationSeconds: 15) { t in
      let yaw = 30 * degrees * sin(2 * Double.pi * t / 2.5) * smoothRamp(t, start: 2, duration: 1)
      let orientation = Rotation(axis: Vector3(0, 0, 1), angleRadians: yaw)
      return BodyPose(
        orientation: orientation, positionMeters: orientation.apply(Vector3(0, 0.13, 1)))
    }
    return try #require(
      recorder(frames, profile: profile(for: synthesizer.mount)).ranges(
        fromSeconds: 8, toSeconds: 10.5))
  }
  let fused = try tilt(withGyroscope: true)
  let accelerometerOnly = try tilt(withGyroscope: false)
  #expect(fused.sagittalDegrees < 1.5, "\(fused)")
  #expect(fused.lateralDegrees < 1.5, "\(fused)")
  #expect(fused.lateralDegrees < accelerometerOnly.lateralDegrees / 3, "\(accelerometerOnly)")
}

@Test func bodyTiltNeedsTheBodysAxesAndRecentFrames() throws {
  #expect(BodyTiltRecorder(profile: BodyProfile()) == nil)
  #expect(BodyTiltRecorder(profile: BodyProfile(rightInSensor: Vector3(1, 0, 0))) == nil)
  #expect(
    BodyTiltRecorder(profile: BodyProfile(standingUpInSensor: Vector3(0, 0, 1))) == nil)
  let synthesizer = FrameSynthesizer(rateHz: 100)
  let frames = synthesizer.frames(durationSeconds: 40) { _ in
    BodyPose(orientation: .identity, positionMeters: .zero)
  }
  let recorder = try recorder(frames, profile: profile(for: .identity))
  // Kept for 30 s: a repetition that began before that is not measured by half.
  #expect(recorder.ranges(fromSeconds: 2, toSeconds: 5) == nil)
  #expect(recorder.ranges(fromSeconds: 30, toSeconds: 30.02) == nil)
  let still = try #require(recorder.ranges(fromSeconds: 30, toSeconds: 35))
  #expect(still.sagittalDegrees < 0.5 && still.lateralDegrees < 0.5, "\(still)")
}
