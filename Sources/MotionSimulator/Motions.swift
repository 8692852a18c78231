import Foundation
import MotionCore

/// Walking a few steps: optionally turning on the spot first, then a straight walk whose speed
/// ramps up and down smoothly, with the pelvis bobbing, swaying and rotating at the step rhythm.
struct WalkMotion: Sendable {
  var start: BasePose
  var startTime: Double
  var turnSeconds: Double
  var turnRadians: Double
  var walkSeconds: Double
  var speedMetersPerSecond: Double
  var strideFrequencyHz: Double
  var rampSeconds: Double

  var endTime: Double { startTime + turnSeconds + walkSeconds }

  var end: BasePose {
    var pose = start
    pose.headingRadians += turnRadians
    pose.floorPosition = pose.floorPosition + pose.forward * distanceMeters
    return pose
  }

  var distanceMeters: Double { speedMetersPerSecond * (walkSeconds - rampSeconds) }

  func state(at t: Double) -> BodyState {
    let turnFraction = smoothStep((t - startTime) / max(turnSeconds, 1e-9))
    var pose = start
    pose.headingRadians += turnRadians * turnFraction
    let walkTime = t - startTime - turnSeconds
    guard walkTime > 0 else { return pose.state }
    let clamped = min(walkTime, walkSeconds)
    // Speed envelope: smooth ramp up over rampSeconds, plateau, smooth ramp down; the distance
    // is its closed-form integral so the position stays exactly smooth.
    let downStart = walkSeconds - rampSeconds
    let distance: Double
    if clamped <= downStart {
      distance = speedMetersPerSecond * rampSeconds * smoothStepIntegral(clamped / rampSeconds)
    } else {
      let u = (clamped - downStart) / rampSeconds
      distance =
        speedMetersPerSecond * (walkSeconds - 1.5 * rampSeconds)
        + speedMetersPerSecond * rampSeconds * (u - smoothStepIntegral(u))
    }
    let envelope =
      rampUp(walkTime, start: 0, duration: rampSeconds)
      * rampDown(walkTime, end: walkSeconds, duration: rampSeconds)
    pose.floorPosition = pose.floorPosition + pose.forward * distance
    var state = pose.state
    let phase = 2 * Double.pi * strideFrequencyHz * walkTime
    let yaw = 0.07 * sin(phase) * envelope
    let obliquity = 0.05 * sin(phase + 0.4) * envelope
    let pitch = 0.025 * sin(2 * phase) * envelope
    state.pelvisOrientation =
      state.pelvisOrientation * .aboutZ(yaw) * .aboutY(obliquity) * .aboutX(pitch)
    let lateral = 0.02 * sin(phase) * envelope
    let vertical = -0.022 * cos(2 * phase) * envelope
    state.pelvisPositionMeters =
      state.pelvisPositionMeters
      + state.pelvisOrientation.rotate(Vector3(lateral, 0, 0)) + Vector3(0, 0, vertical)
    let swing = 0.35 * sin(phase) * envelope
    state.hipFlexionRightRadians += swing + 0.08 * envelope
    state.hipFlexionLeftRadians += -swing + 0.08 * envelope
    return state
  }
}

/// Getting down to lie on the back, or getting up, through a crouch and a seated keyframe.
struct PostureChangeMotion: Sendable {
  struct Keyframe: Sendable {
    var orientation: Quaternion
    var positionMeters: Vector3
    var flexionRadians: Double
    var standingWeight: Double
    var time: Double
  }

  var keyframes: [Keyframe]

  /// From `standing` down to lying (or the reverse when `lyingDown` is false); `legSeconds` are
  /// the durations of the three legs (stand→crouch→sit→lie).
  init(
    standing: BasePose, lying: BasePose, lyingDown: Bool, startTime: Double, legSeconds: [Double]
  ) {
    let heading = standing.headingRadians
    let turn = Quaternion.aboutZ(heading)
    let forward = standing.forward
    let standingState = standing.state
    let lyingState = lying.state
    let crouch = Keyframe(
      orientation: turn * .aboutX(-0.45),
      positionMeters: standing.floorPosition - forward * 0.15 + Vector3(0, 0, 0.55),
      flexionRadians: 1.7, standingWeight: 0.6, time: 0)
    let sit = Keyframe(
      orientation: turn * .aboutX(0.45),
      positionMeters: (standing.floorPosition + lying.floorPosition) * 0.5 + Vector3(0, 0, 0.15),
      flexionRadians: 1.4, standingWeight: 0.3, time: 0)
    var frames = [
      Keyframe(
        orientation: standingState.pelvisOrientation,
        positionMeters: standingState.pelvisPositionMeters, flexionRadians: 0, standingWeight: 1,
        time: 0),
      crouch, sit,
      Keyframe(
        orientation: lyingState.pelvisOrientation, positionMeters: lyingState.pelvisPositionMeters,
        flexionRadians: lying.lyingFlexionRadians, standingWeight: 0, time: 0),
    ]
    if !lyingDown { frames.reverse() }
    var time = startTime
    for index in frames.indices {
      frames[index].time = time
      if index < legSeconds.count { time += legSeconds[index] }
    }
    keyframes = frames
  }

  var startTime: Double { keyframes[0].time }
  var endTime: Double { keyframes[keyframes.count - 1].time }

  func state(at t: Double) -> BodyState {
    var index = 0
    while index < keyframes.count - 2 && t >= keyframes[index + 1].time { index += 1 }
    let a = keyframes[index]
    let b = keyframes[index + 1]
    let s = smoothStep((t - a.time) / (b.time - a.time))
    let flexion = a.flexionRadians + (b.flexionRadians - a.flexionRadians) * s
    return BodyState(
      pelvisOrientation: .slerp(a.orientation, b.orientation, s),
      pelvisPositionMeters: a.positionMeters + (b.positionMeters - a.positionMeters) * s,
      hipFlexionRightRadians: flexion, hipFlexionLeftRadians: flexion,
      standingWeight: a.standingWeight + (b.standingWeight - a.standingWeight) * s)
  }
}

/// One uninterrupted bout of hip rolls: the pelvis circles horizontally while tilting toward
/// its direction of travel. The circle grows from standing still during the first quarter of
/// the first rep, and a quarter-circle lead-out after the last rep shrinks it back.
struct HipRollMotion: Sendable {
  var base: BasePose
  var phase: PhaseCurve
  /// +1 counter-clockwise seen from above, −1 clockwise.
  var directionSign: Double
  var startAngleRadians: Double
  var radiusMeters: StepwiseSmoothValue
  var tiltRadians: StepwiseSmoothValue
  var leadInEnd: Double
  var leadOutStart: Double

  var startTime: Double { phase.startTime }
  var endTime: Double { phase.endTime }

  func state(at t: Double) -> BodyState {
    var state = base.state
    let envelope =
      rampUp(t, start: startTime, duration: leadInEnd - startTime)
      * rampDown(t, end: endTime, duration: endTime - leadOutStart)
    guard envelope > 0 else { return state }
    let angle = startAngleRadians + base.headingRadians + directionSign * phase.phase(at: t)
    let radial = Vector3(cos(angle), sin(angle), 0)
    let travel = Vector3(-sin(angle), cos(angle), 0) * directionSign
    let radius = radiusMeters.value(at: t) * envelope
    let tilt = tiltRadians.value(at: t) * envelope
    // Tilting about (up × travel) leans the pelvis's up axis toward the direction of travel.
    let tiltAxis = Vector3(0, 0, 1).cross(travel)
    state.pelvisOrientation =
      Quaternion(axis: tiltAxis, angleRadians: tilt) * state.pelvisOrientation
    state.pelvisPositionMeters = state.pelvisPositionMeters + radial * radius
    return state
  }
}

/// One bout of waist twists: yaw about the vertical, left first (positive yaw turns the body to
/// its left), with a little sideways lean coupled to the twist.
struct TwistMotion: Sendable {
  var base: BasePose
  var phase: PhaseCurve
  var amplitudeRadians: StepwiseSmoothValue
  var rampSeconds: Double
  var leanCoupling: Double

  var startTime: Double { phase.startTime }
  var endTime: Double { phase.endTime }

  func state(at t: Double) -> BodyState {
    var state = base.state
    let envelope =
      rampUp(t, start: startTime, duration: rampSeconds)
      * rampDown(t, end: endTime, duration: rampSeconds)
    guard envelope > 0 else { return state }
    let yaw = amplitudeRadians.value(at: t) * envelope * sin(phase.phase(at: t))
    state.pelvisOrientation =
      state.pelvisOrientation * .aboutZ(yaw) * .aboutY(-leanCoupling * yaw)
    return state
  }
}

/// A set of knee lifts on one side while lying on the back: each rep raises the thigh toward
/// the chest, holds, and lowers it; the pelvis tilts backwards and rolls toward the lifted side.
struct KneeLiftMotion: Sendable {
  struct Rep: Sendable {
    var start: Double
    var riseSeconds: Double
    var holdSeconds: Double
    var lowerSeconds: Double
    /// Peak hip flexion above the resting flexion, radians.
    var liftRadians: Double
    var end: Double { start + riseSeconds + holdSeconds + lowerSeconds }

    func progress(at t: Double) -> Double {
      let u = t - start
      if u <= 0 { return 0 }
      if u < riseSeconds { return smoothStep(u / riseSeconds) }
      if u < riseSeconds + holdSeconds { return 1 }
      return 1 - smoothStep((u - riseSeconds - holdSeconds) / lowerSeconds)
    }
  }

  var base: BasePose
  /// +1 right leg, −1 left leg.
  var sideSign: Double
  var reps: [Rep]
  var startTime: Double
  var endTime: Double
  var handRampSeconds: Double
  /// Posterior pelvic tilt and roll per radian of lift.
  var tiltPerLift: Double
  var rollPerLift: Double

  func state(at t: Double) -> BodyState {
    var state = base.state
    state.handKneeSide = sideSign
    state.handOnKnee =
      rampUp(t, start: startTime, duration: handRampSeconds)
      * rampDown(t, end: endTime, duration: handRampSeconds)
    var lift = 0.0
    for rep in reps where t > rep.start && t < rep.end {
      lift = rep.liftRadians * rep.progress(at: t)
    }
    guard lift > 0 else { return state }
    if sideSign > 0 {
      state.hipFlexionRightRadians += lift
    } else {
      state.hipFlexionLeftRadians += lift
    }
    // Posterior tilt: rotation about the pelvis's right axis; roll toward the lifted side:
    // about the superior axis, right side down for a right lift.
    state.pelvisOrientation =
      state.pelvisOrientation * .aboutX(tiltPerLift * lift)
      * .aboutZ(-sideSign * rollPerLift * lift)
    state.pelvisPositionMeters =
      state.pelvisPositionMeters + Vector3(0, 0, 0.012 * lift)
    return state
  }
}
