import Foundation
import MotionCore
import Testing

@testable import MotionSimulator

private let standing = BasePose(
  kind: .standing, headingRadians: 0.4, floorPosition: .zero, lyingFlexionRadians: 0)

private func trajectory(
  _ segments: [MotionSegment], mount: Quaternion, placement: SensorPlacement = .waist,
  seed: UInt64 = 5
) -> MotionTrajectory {
  var random = SimulationRandom(seed: seed)
  return MotionTrajectory(
    segments: segments, postural: PosturalLayer(scale: 1, random: &random),
    placement: PlacementGeometry(placement: placement, sideSign: 1, random: &random),
    mount: MountTimeline(initial: mount, fidgets: []))
}

private func degrees(between a: Vector3, _ b: Vector3) -> Double {
  guard let a = a.normalized, let b = b.normalized else { return 180 }
  return acos(min(1, max(-1, a.dot(b)))) * 180 / Double.pi
}

/// Integrates the simulated gyroscope (body-frame rates) from `start` to `end`, beginning at the
/// true orientation, and returns the orientation at every step with its time.
private func integrateGyro(
  _ trajectory: MotionTrajectory, from start: Double, to end: Double, step: Double = 0.002
) -> [(Double, Quaternion)] {
  var orientation = trajectory.sensorPose(at: start).orientation
  var result = [(start, orientation)]
  var t = start
  while t < end {
    // Midpoint rule: the rate in the middle of the step.
    let rate = trajectory.physicalSample(at: t + step / 2).angularVelocityDPS * (Double.pi / 180)
    orientation = (orientation * Quaternion(rotationVector: rate * step)).normalized
    t += step
    result.append((t, orientation))
  }
  return result
}

@Test func stillSensorReadsOneGAlongUpInAnyOrientation() {
  var random = SimulationRandom(seed: 42)
  var lying = standing
  lying.kind = .lying
  lying.lyingFlexionRadians = 0.5
  for index in 0..<40 {
    let mount = random.uniformRotation()
    let pose = index % 2 == 0 ? standing : lying
    let placement = SensorPlacement.allCases[index % SensorPlacement.allCases.count]
    let still = trajectory(
      [.hold(pose, start: 0, end: 10)], mount: mount, placement: placement, seed: UInt64(index))
    for t in stride(from: 1.0, through: 9, by: 1.7) {
      let sample = still.physicalSample(at: t)
      // Sway, breathing and (hand) wander add a few hundredths of a g at most.
      let tolerance = placement == .hand ? 0.05 : 0.02
      #expect(abs(sample.accelerationG.length - 1) < tolerance)
      let up = still.sensorPose(at: t).orientation.inverseRotate(Vector3(0, 0, 1))
      #expect(degrees(between: sample.accelerationG, up) < (placement == .hand ? 3 : 1.5))
      #expect(sample.angularVelocityDPS.length < (placement == .hand ? 12 : 3))
    }
  }
}

@Test func integratedGyroReproducesTheTwistAndItsYaw() throws {
  let options = SimulationOptions(
    exercise: .twist, reps: 4, deviceID: "sony-dualsense", placement: .waist, difficulty: .easy,
    seed: 11)
  let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
  let reps = prepared.builder.reps.filter { !$0.partial }
  let first = try #require(reps.first)
  let last = try #require(reps.last)
  let path = integrateGyro(prepared.trajectory, from: first.startSeconds, to: last.endSeconds)
  let (endTime, integrated) = try #require(path.last)
  let truth = prepared.trajectory.sensorPose(at: endTime).orientation
  #expect((integrated.conjugate * truth).angleRadians * 180 / Double.pi < 1)

  // Yaw about world up, from the gyro: its swing in each rep is twice the commanded amplitude,
  // and the first half of the first rep turns left (positive yaw) as the issue prescribes.
  var yaw = 0.0
  var yawTrace: [(Double, Double)] = []
  for index in 1..<path.count {
    let (t, orientation) = path[index]
    let rate = prepared.trajectory.physicalSample(at: t - 0.001).angularVelocityDPS
    yaw += orientation.rotate(rate).z * 0.002
    yawTrace.append((t, yaw))
  }
  for rep in reps {
    let values = yawTrace.filter { $0.0 >= rep.startSeconds && $0.0 <= rep.endSeconds }.map(\.1)
    let swing = (values.max() ?? 0) - (values.min() ?? 0)
    #expect(abs(swing - 2 * rep.amplitudeDegrees) < 0.12 * 2 * rep.amplitudeDegrees)
  }
  let firstQuarter = yawTrace.first {
    $0.0 >= first.startSeconds + (first.endSeconds - first.startSeconds) / 4
  }
  #expect((firstQuarter?.1 ?? 0) > 0.5 * first.amplitudeDegrees)
}

@Test func integratedGyroTurnsTheTiltDirectionOnceClockwisePerHipRoll() throws {
  let options = SimulationOptions(
    exercise: .hipRoll, reps: 5, deviceID: "sony-dualsense", placement: .waist,
    difficulty: .easy, seed: 4)
  let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
  for set in prepared.builder.sets {
    // From a quarter into the first rep (where the circle has grown to full size and the tilt
    // direction is defined) to the end of the set: N − ¼ turns.
    let firstRep = try #require(prepared.builder.reps.first { $0.set == set.index })
    let start = set.startSeconds + (firstRep.endSeconds - firstRep.startSeconds) / 4
    let path = integrateGyro(prepared.trajectory, from: start, to: set.endSeconds)
    // The pelvis's up axis, in sensor coordinates, carried along by the integrated rotation.
    let pelvisUp = prepared.mountRotation.inverseRotate(Vector3(0, 0, 1))
    var total = 0.0
    var previous: Double?
    for (_, orientation) in path {
      let axis = orientation.rotate(pelvisUp)
      let angle = atan2(axis.y, axis.x)
      if let previous {
        var step = angle - previous
        if step > Double.pi { step -= 2 * Double.pi }
        if step < -Double.pi { step += 2 * Double.pi }
        total += step
      }
      previous = angle
    }
    let turns = total / (2 * Double.pi)
    let turnsDone = Double(set.countedReps + set.partialReps) - 0.25
    let expected = set.direction == .clockwise ? -turnsDone : turnsDone
    #expect(abs(turns - expected) < 0.1, "set \(set.index): \(turns) turns, expected \(expected)")
  }
}

@Test func gravityFromTheAccelerometerAgreesWithTheGyroAfterLyingDown() throws {
  var random = SimulationRandom(seed: 3)
  var lying = standing
  lying.kind = .lying
  lying.floorPosition = standing.floorPosition - standing.forward * 0.4
  lying.lyingFlexionRadians = 0.6
  let down = PostureChangeMotion(
    standing: standing, lying: lying, lyingDown: true, startTime: 2, legSeconds: [1.2, 1.5, 1.1])
  let mount = random.uniformRotation()
  let motion = trajectory(
    [
      .hold(standing, start: 0, end: 2), .postureChange(down),
      .hold(lying, start: down.endTime, end: down.endTime + 3),
    ], mount: mount)
  let path = integrateGyro(motion, from: 1, to: down.endTime + 2)
  for (t, orientation) in path where t > down.endTime + 1 && Int(t * 500) % 100 == 0 {
    let gyroUp = orientation.inverseRotate(Vector3(0, 0, 1))
    let accelerometer = motion.physicalSample(at: t).accelerationG
    #expect(degrees(between: gyroUp, accelerometer) < 1)
  }
  // It really turned: up in the sensor frame moved by roughly the 90° of lying down.
  let before = motion.physicalSample(at: 1).accelerationG
  let after = motion.physicalSample(at: down.endTime + 2).accelerationG
  #expect(degrees(between: before, after) > 60)
}

@Test func quaternionBasics() {
  let q = Quaternion(axis: Vector3(0, 0, 1), angleRadians: Double.pi / 2)
  let v = q.rotate(Vector3(1, 0, 0))
  #expect(abs(v.x) < 1e-12 && abs(v.y - 1) < 1e-12)
  #expect(abs(q.angleRadians - Double.pi / 2) < 1e-12)
  let half = Quaternion.slerp(.identity, q, 0.5)
  #expect(abs(half.angleRadians - Double.pi / 4) < 1e-12)
  let m = q.matrix
  #expect(abs(m[1][0] - 1) < 1e-12)
}
