import Foundation
import MotionCore
import MotionInput
import Testing

@testable import MotionSimulator

private func degrees(between a: Vector3, _ b: [Double]) -> Double {
  let b = Vector3(b[0], b[1], b[2])
  guard let a = a.normalized, let b = b.normalized else { return 180 }
  return acos(min(1, max(-1, a.dot(b)))) * 180 / Double.pi
}

@Test func hipRollsAreTenClockwiseThenTenCounterClockwise() throws {
  let truth = try Simulator.record(
    SimulationOptions(exercise: .hipRoll, deviceID: "sony-dualsense", difficulty: .normal, seed: 8)
  ).truth
  #expect(truth.sets.map(\.direction) == [.clockwise, .counterclockwise])
  #expect(truth.sets.map(\.countedReps) == [10, 10])
  for set in truth.sets {
    let reps = truth.reps.filter { $0.set == set.index }
    #expect(reps.compactMap(\.number) == Array(1...10))
    #expect(reps.first?.startSeconds == set.startSeconds && reps.last?.endSeconds == set.endSeconds)
    for rep in reps {
      #expect(rep.endSeconds - rep.startSeconds >= 1.5 && rep.endSeconds - rep.startSeconds <= 4.5)
      #expect(rep.partial ? rep.amplitudeDegrees < 3 : rep.amplitudeDegrees >= 4)
      #expect(rep.direction == set.direction)
    }
  }
  #expect(truth.sets[0].endSeconds < truth.sets[1].startSeconds)
}

/// At the gentle tempo the same person (seed) moves the same way, each repetition slower: hip
/// circles 2.2 times as long, twists and knee lifts 1.6 times. The usual tempo is not written to
/// the truth file, which reads as before.
@Test func aGentleTempoStretchesEveryRepetition() throws {
  for (exercise, factor) in [(SimulatedExercise.hipRoll, 2.2), (.twist, 1.6), (.kneeLift, 1.6)] {
    for seed in UInt64(1)...2 {
      func meanRepSeconds(_ tempo: SimulationTempo) throws -> (Double, SimulationTruth) {
        let truth = try Simulator.record(
          SimulationOptions(
            exercise: exercise, reps: 4, deviceID: "sony-dualsense", difficulty: .easy,
            tempo: tempo, seed: seed)
        ).truth
        let durations = truth.reps.map { $0.endSeconds - $0.startSeconds }
        return (durations.reduce(0, +) / Double(durations.count), truth)
      }
      let (usual, usualTruth) = try meanRepSeconds(.usual)
      let (gentle, gentleTruth) = try meanRepSeconds(.gentle)
      let label = "\(exercise.rawValue) seed \(seed)"
      #expect(abs(gentle / usual - factor) < 0.15 * factor, "\(label): \(usual) s, \(gentle) s")
      #expect(gentleTruth.reps.count == usualTruth.reps.count, "\(label)")
      #expect(usualTruth.tempo == nil && gentleTruth.tempo == .gentle, "\(label)")
      let json = String(decoding: try usualTruth.jsonData(), as: UTF8.self)
      #expect(!json.contains("tempo"), "\(label)")
    }
  }
}

@Test func twistsAndKneeLiftsFollowTheIssuesRanges() throws {
  for seed in UInt64(1)...4 {
    let twist = try Simulator.record(
      SimulationOptions(exercise: .twist, reps: 6, deviceID: "valve-steam-deck", seed: seed)
    ).truth
    for rep in twist.reps where !rep.partial {
      #expect(rep.amplitudeDegrees >= 15 && rep.amplitudeDegrees <= 60)
      #expect(rep.endSeconds - rep.startSeconds >= 1.5 && rep.endSeconds - rep.startSeconds <= 4)
    }
    let knee = try Simulator.record(
      SimulationOptions(exercise: .kneeLift, reps: 4, deviceID: "st-lis3lv02d", seed: seed)
    ).truth
    #expect(knee.sets.map(\.side) == [.right, .left])
    #expect(knee.reps.allSatisfy { $0.partial || $0.amplitudeDegrees >= 50 })
    #expect(knee.segments.allSatisfy { $0.posture == "lying" })
  }
}

@Test func aSessionStringsTheExercisesWithWalkingAndPostureChanges() throws {
  let truth = try Simulator.record(
    SimulationOptions(
      exercise: .session, reps: 5, deviceID: "sony-dualshock4", difficulty: .hard, seed: 12)
  ).truth
  #expect(truth.sets.map(\.exercise) == [.hipRoll, .hipRoll, .twist, .kneeLift, .kneeLift])
  let kinds = truth.segments.map(\.kind)
  #expect(kinds.contains(.walking))
  #expect(
    truth.segments.filter { $0.kind == .postureChange }.map(\.posture) == [
      "lying-down", "standing-up",
    ])
  // Nothing overlaps: non-exercise segments and reps are disjoint (a mid-set pause lies inside
  // its set, between two reps).
  var spans = truth.segments.map { ($0.startSeconds, $0.endSeconds) }
  spans += truth.reps.map { ($0.startSeconds, $0.endSeconds) }
  spans.sort { $0.0 < $1.0 }
  for index in 1..<spans.count {
    #expect(spans[index].0 >= spans[index - 1].1 - 1e-6)
  }
  #expect(truth.durationSeconds >= (spans.last?.1 ?? 0))
  for set in truth.sets {
    let reps = truth.reps.filter { $0.set == set.index }
    #expect(reps.first?.startSeconds == set.startSeconds && reps.last?.endSeconds == set.endSeconds)
  }
}

@Test func theIdealCalibrationMatchesGravityAtRest() throws {
  for (exercise, seed) in [(SimulatedExercise.hipRoll, UInt64(3)), (.kneeLift, 4), (.twist, 5)] {
    for placement in [SensorPlacement.waist, .side, .thigh] {
      let options = SimulationOptions(
        exercise: exercise, reps: 2, deviceID: "sony-dualsense", placement: placement,
        difficulty: .easy, seed: seed)
      let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
      let calibration = Simulator.idealCalibration(prepared)
      let atRest = prepared.trajectory.physicalSample(at: 0.5).accelerationG
      let up = exercise == .kneeLift ? calibration.lyingUpInSensor : calibration.standingUpInSensor
      #expect(degrees(between: atRest, up) < 2, "\(exercise) \(placement)")
      let right = Vector3(
        calibration.rightInSensor[0], calibration.rightInSensor[1], calibration.rightInSensor[2])
      #expect(abs(degrees(between: right, up) - 90) < 1e-3)
    }
  }
}

@Test func aCorpusCoversEveryDevicePlacementDifficultyAndExercise() {
  let items = Corpus.plan(count: 60, seed: 1)
  #expect(Set(items.map { $0.options.deviceID ?? "" }) == Set(Simulator.deviceIDs))
  #expect(Set(items.compactMap(\.options.placement)) == Set(SensorPlacement.allCases))
  #expect(Set(items.map(\.options.difficulty)) == Set(SimulationDifficulty.allCases))
  #expect(Set(items.map(\.options.exercise)) == Set(SimulatedExercise.allCases))
  #expect(Set(items.map(\.fileName)).count == 60)
  #expect(Set(items.map(\.options.seed)).count == 60)
  #expect(Corpus.plan(count: 60, seed: 1) == items)
  #expect(Corpus.plan(count: 60, seed: 2) != items)
}

@Test func valuesAreQuantisedToTheChipsCounts() throws {
  // DualSense gyro: one chip count is ~62.5 evdev units, larger than the fuzz (16), so every
  // change is at least one count. Nintendo gyro: one count is ~1000 units.
  for (device, count) in [("sony-dualsense", 62.5), ("nintendo-joycon-left", 1000.0)] {
    let recording = try Simulator.record(
      SimulationOptions(exercise: .twist, reps: 2, deviceID: device, difficulty: .easy, seed: 6))
    var last: [UInt16: Int32] = [:]
    for (code, info) in recording.device.absAxes { last[code] = info.value }
    var changes = 0
    for event in recording.events
    where event.type == EventCode.absoluteType && event.code >= EventCode.absRX {
      let step = abs(Double(event.value) - Double(last[event.code] ?? 0))
      #expect(step >= count * 0.97, "\(device): step \(step)")
      // A multiple of one count (the driver scale is within 1 % of nominal).
      let counts = step / count
      #expect(abs(counts - counts.rounded()) <= 0.02 * counts.rounded() + 0.01)
      last[event.code] = event.value
      changes += 1
    }
    #expect(changes > 100)
  }
}
