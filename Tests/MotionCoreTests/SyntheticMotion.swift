import MotionCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A rotation matrix (sensor or body → world), enough to generate physically consistent
/// accelerometer and gyroscope readings for tests.
struct Rotation {
  var r0: Vector3
  var r1: Vector3
  var r2: Vector3

  static let identity = Rotation(r0: Vector3(1, 0, 0), r1: Vector3(0, 1, 0), r2: Vector3(0, 0, 1))

  /// Rodrigues' formula; `axis` need not be normalised.
  init(axis: Vector3, angleRadians angle: Double) {
    guard let k = axis.normalized else {
      self = .identity
      return
    }
    let c = cos(angle)
    let s = sin(angle)
    let t = 1 - c
    r0 = Vector3(t * k.x * k.x + c, t * k.x * k.y - s * k.z, t * k.x * k.z + s * k.y)
    r1 = Vector3(t * k.x * k.y + s * k.z, t * k.y * k.y + c, t * k.y * k.z - s * k.x)
    r2 = Vector3(t * k.x * k.z - s * k.y, t * k.y * k.z + s * k.x, t * k.z * k.z + c)
  }

  init(r0: Vector3, r1: Vector3, r2: Vector3) {
    self.r0 = r0
    self.r1 = r1
    self.r2 = r2
  }

  func apply(_ v: Vector3) -> Vector3 { Vector3(r0.dot(v), r1.dot(v), r2.dot(v)) }

  var transposed: Rotation {
    Rotation(
      r0: Vector3(r0.x, r1.x, r2.x), r1: Vector3(r0.y, r1.y, r2.y), r2: Vector3(r0.z, r1.z, r2.z))
  }

  static func * (a: Rotation, b: Rotation) -> Rotation {
    let bt = b.transposed
    return Rotation(
      r0: Vector3(a.r0.dot(bt.r0), a.r0.dot(bt.r1), a.r0.dot(bt.r2)),
      r1: Vector3(a.r1.dot(bt.r0), a.r1.dot(bt.r1), a.r1.dot(bt.r2)),
      r2: Vector3(a.r2.dot(bt.r0), a.r2.dot(bt.r1), a.r2.dot(bt.r2)))
  }
}

/// Deterministic pseudo-random numbers (SplitMix64) for noise and mountings.
struct TestRandom {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

  mutating func gaussian() -> Double {
    let u = max(uniform(), 1e-12)
    let v = uniform()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }

  /// A uniformly random rotation (random axis, random angle).
  mutating func rotation() -> Rotation {
    let axis = Vector3(gaussian(), gaussian(), gaussian())
    return Rotation(axis: axis, angleRadians: uniform() * 2 * Double.pi)
  }
}

/// The body's pose at a time: orientation of the body (→ world, up = +z) and the sensor's
/// position in the world, metres.
struct BodyPose {
  var orientation: Rotation
  var positionMeters: Vector3
}

/// Turns a body motion into sensor frames: specific force and angular velocity in a mounted
/// sensor frame, derived from the same trajectory (finite differences), plus noise and bias.
struct FrameSynthesizer {
  var rateHz: Double
  var mount: Rotation = .identity
  var withGyroscope = true
  var accelerationNoiseG = 0.004
  var gyroNoiseDPS = 0.3
  var gyroBiasDPS = Vector3(0.8, -0.5, 0.3)
  var timingJitterFraction = 0.1
  var seed: UInt64 = 1

  func frames(durationSeconds: Double, pose: (Double) -> BodyPose) -> [MotionFrame] {
    var random = TestRandom(state: seed)
    var frames: [MotionFrame] = []
    let period = 1 / rateHz
    var t = 0.0
    let h = 1e-3
    while t < durationSeconds {
      func sensorAt(_ time: Double) -> Rotation { pose(time).orientation * mount }
      func position(_ time: Double) -> Vector3 { pose(time).positionMeters }
      let linear = (position(t + h) - position(t) * 2 + position(t - h)) / (h * h) / 9.80665
      let rotation = sensorAt(t)
      let specificForce = rotation.transposed.apply(Vector3(0, 0, 1) + linear)
      let noise = Vector3(random.gaussian(), random.gaussian(), random.gaussian())
      var gyro: Vector3?
      if withGyroscope {
        // ω in the sensor frame from R(t−h)ᵀ R(t+h) ≈ I + [ω]ₓ 2h.
        let delta = sensorAt(t - h).transposed * sensorAt(t + h)
        let omega =
          Vector3(delta.r2.y - delta.r1.z, delta.r0.z - delta.r2.x, delta.r1.x - delta.r0.y)
          / (4 * h)
        let gyroNoise = Vector3(random.gaussian(), random.gaussian(), random.gaussian())
        gyro = omega * (180 / Double.pi) + gyroBiasDPS + gyroNoise * gyroNoiseDPS
      }
      frames.append(
        MotionFrame(
          timeSeconds: t, accelerationG: specificForce + noise * accelerationNoiseG,
          angularVelocityDPS: gyro))
      t += period * (1 + timingJitterFraction * (random.uniform() - 0.5))
    }
    return frames
  }
}

/// 0 → 1 smoothly over [start, start + duration].
func smoothRamp(_ t: Double, start: Double, duration: Double) -> Double {
  let u = min(1, max(0, (t - start) / duration))
  return u * u * (3 - 2 * u)
}

enum Motions {
  static let up = Vector3(0, 0, 1)

  /// Hip rolls: `directions` gives +1 (counter-clockwise from above) or −1 per rep; the pelvis
  /// tilts toward its direction of travel by `tiltDegrees` and moves on a circle of `radius`.
  /// `sizes` scales each rep's circle (1 when nil), changing smoothly across a fifth of a turn
  /// around each boundary, as a body's would.
  static func hipRolls(
    directions: [Double], periodSeconds: Double, tiltDegrees: Double, radiusMeters: Double = 0.04,
    leadSeconds: Double = 3, switchPauseSeconds: Double = 1, sizes: [Double]? = nil
  ) -> (duration: Double, pose: (Double) -> BodyPose) {
    // Build a piecewise phase: each rep one turn; a pause where the direction changes.
    var segments: [(start: Double, sign: Double)] = []
    var t = leadSeconds
    for (index, sign) in directions.enumerated() {
      if index > 0 && directions[index - 1] != sign { t += switchPauseSeconds }
      segments.append((t, sign))
      t += periodSeconds
    }
    let end = t
    let pose = { (time: Double) -> BodyPose in
      guard let segment = segments.last(where: { $0.start <= time }), time < end else {
        return BodyPose(orientation: .identity, positionMeters: .zero)
      }
      let local = (time - segment.start) / periodSeconds
      // Each rep starts and ends at azimuth 0 with full amplitude inside a run; the amplitude
      // ramps at the start and end of a run of the same direction.
      let runStart =
        segments.last(where: { $0.start <= time && $0.sign != segment.sign })
        .map { _ in segment.start } ?? segment.start
      _ = runStart
      let angle = segment.sign * 2 * Double.pi * local
      var envelope = amplitudeEnvelope(time, segments: segments, period: periodSeconds)
      if let sizes, let index = segments.lastIndex(where: { $0.start <= time }) {
        let blend = 0.1
        var size = sizes[index]
        if local < blend && index > 0 {
          size =
            sizes[index - 1]
            + (sizes[index] - sizes[index - 1])
            * smoothRamp(local + blend, start: 0, duration: 2 * blend)
        } else if local > 1 - blend && index + 1 < sizes.count {
          size +=
            (sizes[index + 1] - size) * smoothRamp(local - 1 + blend, start: 0, duration: 2 * blend)
        }
        envelope *= size
      }
      let radial = Vector3(cos(angle), sin(angle), 0)
      let travel = Vector3(-sin(angle), cos(angle), 0) * segment.sign
      let tilt = tiltDegrees * Double.pi / 180 * envelope
      let orientation = Rotation(axis: up.cross(travel), angleRadians: tilt)
      return BodyPose(orientation: orientation, positionMeters: radial * radiusMeters * envelope)
    }
    return (end + leadSeconds, pose)
  }

  /// Amplitude ramps up over the first quarter of a run of equal directions and down over the
  /// last quarter.
  private static func amplitudeEnvelope(
    _ time: Double, segments: [(start: Double, sign: Double)], period: Double
  ) -> Double {
    guard let index = segments.lastIndex(where: { $0.start <= time }) else { return 0 }
    var first = index
    while first > 0 && segments[first - 1].sign == segments[index].sign { first -= 1 }
    var last = index
    while last + 1 < segments.count && segments[last + 1].sign == segments[index].sign { last += 1 }
    let runStart = segments[first].start
    let runEnd = segments[last].start + period
    return smoothRamp(time, start: runStart, duration: period * 0.25)
      * (1 - smoothRamp(time, start: runEnd - period * 0.25, duration: period * 0.25))
  }

  /// Waist twists: yaw = A·sin(2πt/T) about up, sensor 12 cm in front of the spine.
  static func twists(
    count: Int, periodSeconds: Double, amplitudeDegrees: Double, leadSeconds: Double = 3,
    amplitudes: [Double]? = nil
  ) -> (duration: Double, pose: (Double) -> BodyPose) {
    let end = leadSeconds + Double(count) * periodSeconds
    let pose = { (time: Double) -> BodyPose in
      guard time > leadSeconds && time < end else {
        return BodyPose(orientation: .identity, positionMeters: Vector3(0, 0.12, 0))
      }
      let rep = min(count - 1, Int((time - leadSeconds) / periodSeconds))
      let amplitude = amplitudes?[rep] ?? amplitudeDegrees
      let envelope =
        smoothRamp(time, start: leadSeconds, duration: 0.4)
        * (1 - smoothRamp(time, start: end - 0.4, duration: 0.4))
      let yaw =
        amplitude * Double.pi / 180 * envelope
        * sin(2 * Double.pi * (time - leadSeconds) / periodSeconds)
      let orientation = Rotation(axis: up, angleRadians: yaw)
      return BodyPose(
        orientation: orientation, positionMeters: orientation.apply(Vector3(0, 0.12, 0)))
    }
    return (end + leadSeconds, pose)
  }

  /// Knee lifts lying on the back: per rep rise, hold, lower, rest; the pelvis tilts backwards
  /// (about the body's right axis) and rolls toward the lifted side. `sides`: +1 right, −1 left.
  /// Body frame: x = right, y = head (superior), z = anterior; lying on the back puts anterior up.
  static func kneeLifts(
    sides: [Double], liftDegrees: [Double], riseSeconds: Double = 0.8, holdSeconds: Double = 0.8,
    lowerSeconds: Double = 0.8, restSeconds: Double = 1.2, leadSeconds: Double = 3
  ) -> (duration: Double, pose: (Double) -> BodyPose) {
    let repSeconds = riseSeconds + holdSeconds + lowerSeconds + restSeconds
    let end = leadSeconds + Double(sides.count) * repSeconds
    let pose = { (time: Double) -> BodyPose in
      guard time > leadSeconds && time < end else {
        return BodyPose(orientation: .identity, positionMeters: .zero)
      }
      let rep = min(sides.count - 1, Int((time - leadSeconds) / repSeconds))
      let u = time - leadSeconds - Double(rep) * repSeconds
      let lift =
        smoothRamp(u, start: 0, duration: riseSeconds)
        * (1 - smoothRamp(u, start: riseSeconds + holdSeconds, duration: lowerSeconds))
      let angle = liftDegrees[rep] * Double.pi / 180 * lift
      // The pelvis tilts back (its front turns toward the head, as the knee comes to the
      // chest), and the right side goes down for a right lift: rotation about the superior
      // axis (y).
      let tilt = Rotation(axis: Vector3(1, 0, 0), angleRadians: -angle)
      let roll = Rotation(axis: Vector3(0, 1, 0), angleRadians: sides[rep] * 0.4 * angle)
      return BodyPose(orientation: tilt * roll, positionMeters: .zero)
    }
    return (end + leadSeconds, pose)
  }
}

/// `pose` with the device turned in its holder (between the body and the sensor, so the body's
/// movement is unchanged) by `degrees` about `axis` (in the body's frame) over `durationSeconds`
/// from `startSeconds`;
/// with `shakeAxis`, shaken about it meanwhile as a hand adjusting it does (5° at 3 Hz under a
/// half-sine).
func turnedInHolder(
  _ pose: @escaping (Double) -> BodyPose, axis: Vector3, degrees: Double, startSeconds: Double,
  durationSeconds: Double, shakeAxis: Vector3? = nil
) -> (Double) -> BodyPose {
  { t in
    var body = pose(t)
    let angle = degrees * smoothRamp(t, start: startSeconds, duration: durationSeconds)
    var turn = Rotation(axis: axis, angleRadians: angle * Double.pi / 180)
    if let shakeAxis {
      let u = min(1, max(0, (t - startSeconds) / durationSeconds))
      let shake = 5 * Double.pi / 180 * sin(Double.pi * u) * sin(2 * Double.pi * 3 * u)
      turn = turn * Rotation(axis: shakeAxis, angleRadians: shake)
    }
    body.orientation = body.orientation * turn
    return body
  }
}

/// `pose` with the device twitched about `axis` (the body's frame) by `degrees` and back, as
/// `turnedInHolder` but returning: there over `rampSeconds` from `startSeconds`, back over
/// `rampSeconds` from `startSeconds + backAfterSeconds`.
func twitched(
  _ pose: @escaping (Double) -> BodyPose, axis: Vector3, degrees: Double, startSeconds: Double,
  rampSeconds: Double, backAfterSeconds: Double
) -> (Double) -> BodyPose {
  { t in
    var body = pose(t)
    let angle =
      degrees * smoothRamp(t, start: startSeconds, duration: rampSeconds)
      * (1 - smoothRamp(t, start: startSeconds + backAfterSeconds, duration: rampSeconds))
    body.orientation =
      body.orientation * Rotation(axis: axis, angleRadians: angle * Double.pi / 180)
    return body
  }
}

/// Runs a detector over frames; returns every event and the frame time it came out at.
func run(_ detector: inout some RepDetector, _ frames: [MotionFrame]) -> [RepEvent] {
  var events: [RepEvent] = []
  for frame in frames {
    if let event = detector.process(frame) { events.append(event) }
  }
  events += detector.finish()
  return events
}

/// Runs `detector` over `pose` at 100 Hz seen through a random mount (drawn from `mountState`),
/// with or without a gyroscope; returns every event.
func run(
  _ detector: inout some RepDetector, durationSeconds: Double, pose: (Double) -> BodyPose,
  mountState: UInt64, seed: UInt64, withGyroscope: Bool = true
) -> [RepEvent] {
  var random = TestRandom(state: mountState)
  var synthesizer = FrameSynthesizer(rateHz: 100, mount: random.rotation(), seed: seed)
  synthesizer.withGyroscope = withGyroscope
  return run(&detector, synthesizer.frames(durationSeconds: durationSeconds, pose: pose))
}

extension Array where Element == RepEvent {
  var counted: [RepEvent] { filter { !$0.isPartial } }
}
