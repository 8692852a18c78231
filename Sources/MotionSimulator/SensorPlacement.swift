import Foundation
import MotionCore

/// Where the sensor is worn. `waist` is the front of the waistband, `side` the hip, `thigh` the
/// front of one thigh; `hand` means held in one hand (at the side standing, on the knee during
/// knee lifts).
public enum SensorPlacement: String, CaseIterable, Codable, Sendable {
  case waist
  case side
  case thigh
  case hand
}

/// The geometry of one placement: which body segment carries the sensor and where on it.
struct PlacementGeometry: Sendable {
  var placement: SensorPlacement
  /// +1 right, −1 left (for side, thigh and hand).
  var sideSign: Double
  /// Slow wandering and tremor of a hand-held sensor.
  var handRotationNoise: [SmoothNoise]
  var handTremor: [SmoothNoise]
  var handPositionNoise: [SmoothNoise]

  init(placement: SensorPlacement, sideSign: Double, random: inout SimulationRandom) {
    self.placement = placement
    self.sideSign = sideSign
    handRotationNoise = (0..<3).map { _ in
      SmoothNoise(amplitude: 0.03, frequencyRangeHz: 0.1...0.5, random: &random)
    }
    handTremor = (0..<3).map { _ in
      SmoothNoise(amplitude: 0.0004, frequencyRangeHz: 6...10, random: &random)
    }
    handPositionNoise = (0..<3).map { _ in
      SmoothNoise(amplitude: 0.006, frequencyRangeHz: 0.1...0.5, random: &random)
    }
  }

  private func hipJoint(_ body: BodyState, side: Double) -> Vector3 {
    body.pelvisPositionMeters + body.pelvisOrientation.rotate(Vector3(side * 0.09, 0.02, -0.09))
  }

  private func thighOrientation(_ body: BodyState, side: Double) -> Quaternion {
    let flexion = side > 0 ? body.hipFlexionRightRadians : body.hipFlexionLeftRadians
    return body.pelvisOrientation * .aboutX(flexion)
  }

  /// Orientation (world ← segment) and position of the mounting point at one instant.
  func mountPoint(_ body: BodyState, time t: Double) -> (Quaternion, Vector3) {
    let pelvis = body.pelvisOrientation
    switch placement {
    case .waist:
      return (pelvis, body.pelvisPositionMeters + pelvis.rotate(Vector3(0, 0.13, 0)))
    case .side:
      return (pelvis, body.pelvisPositionMeters + pelvis.rotate(Vector3(sideSign * 0.17, 0, 0)))
    case .thigh:
      let thigh = thighOrientation(body, side: sideSign)
      let position =
        hipJoint(body, side: sideSign) + thigh.rotate(Vector3(sideSign * 0.05, 0.07, -0.2))
      return (thigh, position)
    case .hand:
      let restOrientation = pelvis
      let restPosition =
        body.pelvisPositionMeters + pelvis.rotate(Vector3(sideSign * 0.24, 0.06, -0.28))
      var orientation = restOrientation
      var position = restPosition
      if body.handOnKnee > 0 {
        let knee = body.handKneeSide
        let thigh = thighOrientation(body, side: knee)
        let kneePosition = hipJoint(body, side: knee) + thigh.rotate(Vector3(0, 0.06, -0.4))
        orientation = .slerp(restOrientation, thigh, body.handOnKnee)
        position = restPosition + (kneePosition - restPosition) * body.handOnKnee
      }
      let wander = Vector3(
        handRotationNoise[0].value(at: t) + handTremor[0].value(at: t),
        handRotationNoise[1].value(at: t) + handTremor[1].value(at: t),
        handRotationNoise[2].value(at: t) + handTremor[2].value(at: t))
      let drift = Vector3(
        handPositionNoise[0].value(at: t), handPositionNoise[1].value(at: t),
        handPositionNoise[2].value(at: t))
      return (orientation * Quaternion(rotationVector: wander), position + drift)
    }
  }
}
