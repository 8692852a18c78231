import Foundation
import MotionCore

/// Small motions on top of every segment: postural sway while standing (an inverted pendulum
/// about the ankles) and breathing (mostly while lying).
struct PosturalLayer: Sendable {
  var swayRadians: [SmoothNoise]
  var breathingLift: SmoothNoise
  var breathingTilt: SmoothNoise

  init(scale: Double, random: inout SimulationRandom) {
    swayRadians = (0..<2).map { _ in
      SmoothNoise(amplitude: 0.007 * scale, frequencyRangeHz: 0.08...0.5, random: &random)
    }
    let breathingHz = random.uniform(0.18...0.33)
    breathingLift = SmoothNoise(
      amplitude: random.uniform(0.002...0.004),
      frequencyRangeHz: breathingHz...(breathingHz * 1.05),
      components: 2, random: &random)
    breathingTilt = SmoothNoise(
      amplitude: random.uniform(0.003...0.007),
      frequencyRangeHz: breathingHz...(breathingHz * 1.05),
      components: 2, random: &random)
  }

  func apply(to body: inout BodyState, time t: Double) {
    let standing = body.standingWeight
    if standing > 0 {
      let sway = Quaternion(
        rotationVector: Vector3(swayRadians[0].value(at: t), swayRadians[1].value(at: t), 0)
          * standing)
      let foot = Vector3(body.pelvisPositionMeters.x, body.pelvisPositionMeters.y, 0)
      let arm = body.pelvisPositionMeters - foot
      body.pelvisPositionMeters = foot + sway.rotate(arm)
      body.pelvisOrientation = sway * body.pelvisOrientation
    }
    let lying = 1 - standing
    let breathingWeight = 0.3 + 0.7 * lying
    body.pelvisOrientation =
      body.pelvisOrientation * .aboutX(breathingTilt.value(at: t) * breathingWeight)
    body.pelvisPositionMeters =
      body.pelvisPositionMeters
      + body.pelvisOrientation.rotate(Vector3(0, breathingLift.value(at: t) * lying, 0))
  }
}

/// The user adjusting the device: a quick rotation of the mount by some tens of degrees, with a
/// shake, after which the device stays in its new orientation.
struct Fidget: Sendable {
  var startTime: Double
  var durationSeconds: Double
  var rotation: Quaternion
  var shakeAxis: Vector3
  var shakeRadians: Double
  var shakeHz: Double
  var shakeMeters: Vector3

  var endTime: Double { startTime + durationSeconds }
}

/// The sensor's orientation on its body segment through time: the initial random mounting
/// rotation, changed by each fidget.
struct MountTimeline: Sendable {
  var initial: Quaternion
  var fidgets: [Fidget]

  /// Mount rotation (segment ← sensor) and a small position offset in the segment frame.
  func mount(at t: Double) -> (Quaternion, Vector3) {
    var rotation = initial
    var offset = Vector3.zero
    // Fidgets post-multiply in the sensor frame ("turn the device in its holder").
    for fidget in fidgets {
      if t >= fidget.endTime {
        rotation = rotation * fidget.rotation
      } else if t > fidget.startTime {
        let u = (t - fidget.startTime) / fidget.durationSeconds
        let bell = sin(Double.pi * u) * sin(Double.pi * u)
        let shake = sin(2 * Double.pi * fidget.shakeHz * (t - fidget.startTime)) * bell
        let partial = Quaternion.slerp(.identity, fidget.rotation, smoothStep(u))
        rotation =
          rotation * partial
          * Quaternion(axis: fidget.shakeAxis, angleRadians: fidget.shakeRadians * shake)
        offset = fidget.shakeMeters * shake
        break
      } else {
        break
      }
    }
    return (rotation, offset)
  }
}
