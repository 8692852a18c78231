import Foundation
import MotionCore

/// One piece of the body's timeline.
enum MotionSegment: Sendable {
  case hold(BasePose, start: Double, end: Double)
  case walk(WalkMotion)
  case postureChange(PostureChangeMotion)
  case hipRoll(HipRollMotion)
  case twist(TwistMotion)
  case kneeLift(KneeLiftMotion)

  var startTime: Double {
    switch self {
    case .hold(_, let start, _): return start
    case .walk(let motion): return motion.startTime
    case .postureChange(let motion): return motion.startTime
    case .hipRoll(let motion): return motion.startTime
    case .twist(let motion): return motion.startTime
    case .kneeLift(let motion): return motion.startTime
    }
  }

  var endTime: Double {
    switch self {
    case .hold(_, _, let end): return end
    case .walk(let motion): return motion.endTime
    case .postureChange(let motion): return motion.endTime
    case .hipRoll(let motion): return motion.endTime
    case .twist(let motion): return motion.endTime
    case .kneeLift(let motion): return motion.endTime
    }
  }

  func state(at t: Double) -> BodyState {
    switch self {
    case .hold(let pose, _, _): return pose.state
    case .walk(let motion): return motion.state(at: t)
    case .postureChange(let motion): return motion.state(at: t)
    case .hipRoll(let motion): return motion.state(at: t)
    case .twist(let motion): return motion.state(at: t)
    case .kneeLift(let motion): return motion.state(at: t)
    }
  }
}

/// What the sensor physically experiences, from one continuous trajectory: the body timeline,
/// sway and breathing, the placement on the body and the mounting rotation. Acceleration and
/// angular velocity are both derived from the same pose function, so they always agree.
struct MotionTrajectory: Sendable {
  var segments: [MotionSegment]
  var postural: PosturalLayer
  var placement: PlacementGeometry
  var mount: MountTimeline

  static let standardGravity = 9.806_65
  /// Half-width of the central differences; the analytic trajectory is smooth on this scale.
  static let differenceStepSeconds = 0.001

  var durationSeconds: Double { segments.last?.endTime ?? 0 }

  func bodyState(at t: Double) -> BodyState {
    var low = 0
    var high = segments.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if segments[mid].startTime <= t { low = mid } else { high = mid - 1 }
    }
    var state = segments[low].state(at: t)
    postural.apply(to: &state, time: t)
    return state
  }

  /// Orientation (world ← sensor) and position of the sensor in metres.
  func sensorPose(at t: Double) -> (orientation: Quaternion, positionMeters: Vector3) {
    let body = bodyState(at: t)
    let (segmentOrientation, segmentPosition) = placement.mountPoint(body, time: t)
    let (mountRotation, mountOffset) = mount.mount(at: t)
    return (
      segmentOrientation * mountRotation, segmentPosition + segmentOrientation.rotate(mountOffset)
    )
  }

  /// The ideal sensor readings at `t`: specific force in g (at rest the upward axis reads +1 g)
  /// and angular velocity in deg/s, both in the sensor frame.
  func physicalSample(at t: Double) -> (accelerationG: Vector3, angularVelocityDPS: Vector3) {
    let h = Self.differenceStepSeconds
    let before = sensorPose(at: t - h)
    let now = sensorPose(at: t)
    let after = sensorPose(at: t + h)
    let accelerationWorld =
      (after.positionMeters - 2 * now.positionMeters + before.positionMeters) / (h * h)
    let specificForceWorld = accelerationWorld + Vector3(0, 0, Self.standardGravity)
    let accelerationG = now.orientation.inverseRotate(specificForceWorld) / Self.standardGravity
    // Body-frame increment over 2h: q(t+h) = q(t−h) · exp(ω·2h).
    let increment = before.orientation.conjugate * after.orientation
    let angularVelocityRadians = increment.rotationVector / (2 * h)
    return (accelerationG, angularVelocityRadians * (180 / Double.pi))
  }
}
