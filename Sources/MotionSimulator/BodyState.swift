import Foundation
import MotionCore

/// Where the body is at one instant, in the world frame (metres, +z up). The pelvis frame is
/// +x to the person's right, +y forward (anterior), +z up the spine (superior).
struct BodyState: Sendable {
  var pelvisOrientation: Quaternion
  var pelvisPositionMeters: Vector3
  var hipFlexionRightRadians: Double
  var hipFlexionLeftRadians: Double
  /// 0: the hand rests at the side; 1: it holds the knee of `handKneeSide`.
  var handOnKnee: Double = 0
  /// +1 right knee, −1 left knee.
  var handKneeSide: Double = 1
  /// 1 standing, 0 lying: scales sway (standing) against breathing (lying).
  var standingWeight: Double
}

/// A resting posture: standing or lying on the back, facing (or with the head toward) a heading.
struct BasePose: Sendable {
  enum Kind: Sendable { case standing, lying }

  var kind: Kind
  /// Yaw of the body about world up, radians.
  var headingRadians: Double
  /// Pelvis position on the floor plane (z is implied by the posture).
  var floorPosition: Vector3
  /// Hip flexion at rest while lying (knees bent or legs straight).
  var lyingFlexionRadians: Double

  static let standingPelvisHeightMeters = 1.0
  static let lyingPelvisHeightMeters = 0.12

  var orientation: Quaternion {
    switch kind {
    case .standing: return .aboutZ(headingRadians)
    case .lying: return .aboutZ(headingRadians) * .aboutX(Double.pi / 2)
    }
  }

  var state: BodyState {
    switch kind {
    case .standing:
      return BodyState(
        pelvisOrientation: orientation,
        pelvisPositionMeters: floorPosition + Vector3(0, 0, Self.standingPelvisHeightMeters),
        hipFlexionRightRadians: 0, hipFlexionLeftRadians: 0, standingWeight: 1)
    case .lying:
      return BodyState(
        pelvisOrientation: orientation,
        pelvisPositionMeters: floorPosition + Vector3(0, 0, Self.lyingPelvisHeightMeters),
        hipFlexionRightRadians: lyingFlexionRadians, hipFlexionLeftRadians: lyingFlexionRadians,
        standingWeight: 0)
    }
  }

  /// The horizontal unit vector the person faces (standing) or the feet point along (lying).
  var forward: Vector3 { Vector3(-sin(headingRadians), cos(headingRadians), 0) }
}
