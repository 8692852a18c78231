import Foundation
import MotionCore

/// Deterministic synthetic motion for the benchmarks: sets of an exercise separated by rests,
/// as a waist-worn sensor would see them, with gravity, a little linear acceleration, sensor
/// noise and a constant gyroscope bias. Not a physical model (the simulator is one); just
/// frames realistic enough that the detectors do their full work: filters settle, the phase
/// gates open, repetitions complete and are judged.
///
/// The same seed gives the same frames; no clock is read.
public struct SyntheticMotion: Sendable {
  public enum Kind: String, CaseIterable, Sendable {
    /// Standing hip rolls: the pelvis tilt circles (radius 8°, 3 s a turn), 10 per set,
    /// alternating direction from set to set.
    case hipRoll = "hip-roll"
    /// Standing waist twists: yaw ±35° about up, 2 s a cycle, with a 15 cm lever arm and a
    /// slight lean. 12 per set.
    case twist
    /// Knee lifts lying on the back: the pelvis tilts back 8° (1 s up, 1 s held, 1 s down,
    /// 1.5 s rest), alternating sides with a small roll. 8 per set.
    case kneeLift = "knee-lift"
  }

  public let kind: Kind
  public let rateHz: Double
  public let withGyroscope: Bool

  private var index = 0
  private var random: SplitMix64
  /// Start of the device clock, seconds (devices do not start at zero).
  private let startSeconds = 1234.5
  private let upAtRest: Vector3
  private let basisX: Vector3
  private let basisY: Vector3
  private let gyroBiasDPS = Vector3(0.6, -0.35, 0.2)

  public init(kind: Kind, rateHz: Double = 250, withGyroscope: Bool = true, seed: UInt64 = 1) {
    self.kind = kind
    self.rateHz = rateHz
    self.withGyroscope = withGyroscope
    random = SplitMix64(seed: seed)
    // A device mounted a little askew: "up" is not a sensor axis.
    let up: Vector3
    switch kind {
    case .hipRoll, .twist: up = Vector3(0.12, 0.97, 0.2)
    case .kneeLift: up = Vector3(-0.1, 0.25, 0.96)
    }
    upAtRest = up.normalized ?? Vector3(0, 1, 0)
    basisX = (Vector3(1, 0, 0).rejecting(upAtRest)).normalized ?? Vector3(1, 0, 0)
    basisY = upAtRest.cross(basisX)
  }

  /// Seconds of one set and the rest after it.
  public var setSeconds: Double {
    switch kind {
    case .hipRoll: return 10 * 3.0 + 12
    case .twist: return 12 * 2.0 + 12
    case .kneeLift: return 8 * 4.5 + 12
    }
  }

  /// Repetitions the motion holds in `seconds` (complete sets and reps only).
  public func repetitions(inSeconds seconds: Double) -> Int {
    let perSet: Int
    let repSeconds: Double
    switch kind {
    case .hipRoll: (perSet, repSeconds) = (10, 3.0)
    case .twist: (perSet, repSeconds) = (12, 2.0)
    case .kneeLift: (perSet, repSeconds) = (8, 4.5)
    }
    let sets = (seconds / setSeconds).rounded(.down)
    let rest = seconds - sets * setSeconds
    return Int(sets) * perSet + min(perSet, Int((rest / repSeconds).rounded(.down)))
  }

  /// The next frame.
  public mutating func next() -> MotionFrame {
    let t = Double(index) / rateHz
    index += 1
    let (up, yawRateDPS, linearG) = pose(at: t)
    // Angular velocity that carries `up` along: u̇ = u × ω, so ω = u̇ × u (+ rotation about up).
    let h = 1e-3
    let upRate = (pose(at: t + h).up - pose(at: t - h).up) / (2 * h)
    let omegaDPS = upRate.cross(up) * (180 / Double.pi) + up * yawRateDPS
    let acceleration = up + linearG + noiseVector(sigma: 0.004)
    var gyro: Vector3?
    if withGyroscope {
      gyro = omegaDPS + gyroBiasDPS + noiseVector(sigma: 0.08)
    }
    return MotionFrame(
      timeSeconds: startSeconds + t, accelerationG: acceleration, angularVelocityDPS: gyro)
  }

  /// `count` frames in an array (generate before measuring).
  public static func frames(
    _ kind: Kind, count: Int, rateHz: Double = 250, withGyroscope: Bool, seed: UInt64 = 1
  ) -> [MotionFrame] {
    var motion = SyntheticMotion(
      kind: kind, rateHz: rateHz, withGyroscope: withGyroscope, seed: seed)
    var frames: [MotionFrame] = []
    frames.reserveCapacity(count)
    for _ in 0..<count { frames.append(motion.next()) }
    return frames
  }

  /// "Up" in the sensor frame, the yaw rate about it (°/s) and the linear acceleration (g).
  private func pose(at t: Double) -> (up: Vector3, yawRateDPS: Double, linearG: Vector3) {
    let setIndex = Int((t / setSeconds).rounded(.down))
    let inSet = t - Double(setIndex) * setSeconds
    let sign: Double = setIndex % 2 == 0 ? 1 : -1
    // Slow sway and breathing, always there.
    let swayRadians = 0.004 * sin(2 * Double.pi * 0.23 * t)
    var tiltX = swayRadians
    var tiltY = 0.003 * sin(2 * Double.pi * 0.31 * t + 1)
    var yawRateDPS = 0.0
    var linear = Vector3.zero
    switch kind {
    case .hipRoll:
      let active = 30.0
      if inSet < active {
        // The radius grows over the first quarter turn (starting from standing still) and
        // shrinks over the last one.
        let envelope = min(1, inSet / 0.75, (active - inSet) / 0.75)
        let radius = 8 * Double.pi / 180 * envelope
        let phase = sign * 2 * Double.pi * inSet / 3.0
        tiltX += radius * cos(phase)
        tiltY += radius * sin(phase)
        // The pelvis moves on a small circle too: centripetal acceleration of a few cm.
        let omega = 2 * Double.pi / 3.0
        linear = (basisX * cos(phase) + basisY * sin(phase)) * (-0.04 * omega * omega / 9.81)
      }
    case .twist:
      let active = 24.0
      if inSet < active {
        let envelope = min(1, inSet / 0.5, (active - inSet) / 0.5)
        let amplitude = 35 * Double.pi / 180 * envelope
        let omega = 2 * Double.pi / 2.0
        let yaw = amplitude * sin(omega * inSet)
        let yawRate = amplitude * omega * cos(omega * inSet)
        let yawAcceleration = -amplitude * omega * omega * sin(omega * inSet)
        yawRateDPS = sign * yawRate * 180 / Double.pi
        // 15 cm lever arm: tangential and centripetal acceleration, in g.
        let lever = 0.15
        linear =
          basisX * (sign * lever * yawAcceleration / 9.81) - basisY
          * (lever * yawRate * yawRate / 9.81)
        tiltX += 0.035 * sin(yaw) * sign
      }
    case .kneeLift:
      let active = 8 * 4.5
      if inSet < active {
        let inRep = inSet.truncatingRemainder(dividingBy: 4.5)
        let rep = Int(inSet / 4.5)
        let lift: Double
        switch inRep {
        case ..<1.0: lift = 0.5 - 0.5 * cos(Double.pi * inRep)
        case ..<2.0: lift = 1
        case ..<3.0: lift = 0.5 + 0.5 * cos(Double.pi * (inRep - 2))
        default: lift = 0
        }
        let side: Double = rep % 2 == 0 ? 1 : -1
        tiltX += 8 * Double.pi / 180 * lift
        tiltY += side * 2 * Double.pi / 180 * lift
      }
    }
    let tilt = basisX * tiltX + basisY * tiltY
    let angle = tilt.length
    var up = upAtRest
    if angle > 0 {
      up = upAtRest * cos(angle) + (tilt / angle) * sin(angle)
    }
    return (up, yawRateDPS, linear)
  }

  /// Roughly normal noise (sum of four uniforms), standard deviation `sigma`.
  private mutating func noiseVector(sigma: Double) -> Vector3 {
    Vector3(gaussian() * sigma, gaussian() * sigma, gaussian() * sigma)
  }

  private mutating func gaussian() -> Double {
    var sum = 0.0
    for _ in 0..<4 { sum += random.nextUnit() }
    // Four uniforms: mean 2, variance 1/3.
    return (sum - 2) * 3.0.squareRoot()
  }
}

/// SplitMix64: a small, fast, seedable generator (the benchmarks must be reproducible).
struct SplitMix64: Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E5E9_CE1B
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1).
  mutating func nextUnit() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992)
  }
}
