import Foundation
import MotionCore
import MotionSimulator
import Testing

@testable import Evaluation

/// A detector that knows the answers: it reports each true rep at the first frame at or after
/// the rep's end. Run through the real reader, it checks that truth times and frame times share
/// one clock (latency ≈ one frame, timing error ≈ 0).
private struct OracleDetector: RepDetector {
  /// The side a knee lift is reported on: the true one, `unknown` (no calibration), or the other.
  enum SideReport {
    case truth
    case unknown
    case opposite
  }

  let exercise: Exercise
  var pending: [TruthRep]
  var sideReport = SideReport.truth

  mutating func process(_ frame: MotionFrame) -> RepEvent? {
    guard let next = pending.first, frame.timeSeconds >= next.endSeconds else { return nil }
    pending.removeFirst()
    return RepEvent(
      exercise: exercise, index: next.number ?? 0, startSeconds: next.startSeconds,
      endSeconds: next.endSeconds, direction: next.direction, side: reportedSide(next.side),
      isPartial: next.partial,
      metrics: RepMetrics(rangeDegrees: 0, peakAngularVelocityDPS: 0, smoothness: 0))
  }

  mutating func finish() -> [RepEvent] { [] }

  private func reportedSide(_ side: BodySide?) -> BodySide? {
    switch sideReport {
    case .truth: side
    case .unknown: side.map { _ in .unknown }
    case .opposite: side.map { $0 == .left ? .right : .left }
    }
  }
}

@Test(arguments: ["sony-dualsense", "nintendo-joycon-right", "valve-steam-deck", "st-lis3lv02d"])
func anOracleScoresPerfectlyThroughTheRealReader(deviceID: String) throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "eval-oracle-\(getpid())-\(deviceID)"
  ).path
  defer { try? FileManager.default.removeItem(atPath: directory) }
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  let path = directory + "/r.evemu"
  let truth = try Simulator.write(
    SimulationOptions(exercise: .hipRoll, reps: 3, deviceID: deviceID, difficulty: .hard, seed: 5),
    to: path)
  let reps = truth.reps
  let result = try RecordingEvaluator.evaluate(
    path: path,
    factory: { exercise, _ in OracleDetector(exercise: exercise, pending: reps) })
  #expect(result.sets.allSatisfy { $0.countError == 0 })
  #expect(result.reps.allSatisfy { $0.matched && $0.directionCorrect == true })
  let interval = truth.device.reportIntervalSeconds
  for rep in result.reps {
    let latency = try #require(rep.latencySeconds)
    #expect(latency >= -0.001 && latency < interval + 0.02, "\(deviceID) latency \(latency)")
    #expect((rep.timingErrorFraction ?? 1) < 1e-9)
  }
  #expect(result.nonExercise.allSatisfy { $0.countedReps == 0 })

  let (paths, withoutTruth) = try RecordingEvaluator.recordings(in: directory)
  #expect(paths == [path] && withoutTruth == 0)
  let report = EvaluationReport(results: [result], detector: "oracle")
  #expect(report.overall.exactCountRate == 1)
  #expect(report.text.contains("hip-roll"))
  let data = try report.jsonData()
  let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
  #expect(json?["recordings"] as? Int == 1)
}

@Test func thePlaceholderCounterRunsThroughTheHarness() throws {
  let recording = try Simulator.record(
    SimulationOptions(
      exercise: .twist, reps: 4, deviceID: "sony-dualsense", difficulty: .easy, seed: 3))
  #expect(!recording.events.isEmpty)
  var counter = PlaceholderPeakCounter(exercise: .twist)
  var events = 0
  for second in stride(from: 0.0, to: 20, by: 0.01) {
    // A 1 Hz rotation burst pattern: one peak per second.
    let rate = 40 * max(0, sin(2 * Double.pi * 0.5 * second))
    let frame = MotionFrame(
      timeSeconds: second, accelerationG: Vector3(0, 1, 0), angularVelocityDPS: Vector3(0, rate, 0))
    if counter.process(frame) != nil { events += 1 }
  }
  #expect(events >= 9 && events <= 11)
}

@Test func theReportSplitsEachExerciseByWhetherTheDeviceHasAGyroscope() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "eval-sensor-\(getpid())"
  ).path
  defer { try? FileManager.default.removeItem(atPath: directory) }
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  // Counted perfectly with a gyroscope, not at all without one.
  var results: [RecordingResult] = []
  for deviceID in ["sony-dualsense", "st-lis3lv02d"] {
    let path = directory + "/\(deviceID).evemu"
    let truth = try Simulator.write(
      SimulationOptions(exercise: .twist, reps: 3, deviceID: deviceID, seed: 9), to: path)
    let reps = truth.reps
    results.append(
      try RecordingEvaluator.evaluate(
        path: path,
        factory: { exercise, truth in
          OracleDetector(exercise: exercise, pending: truth.device.hasGyroscope ? reps : [])
        }))
  }
  #expect(results.map(\.hasGyroscope) == [true, false])
  let report = EvaluationReport(results: results, detector: "oracle with a gyroscope")
  let groups = Dictionary(uniqueKeysWithValues: report.byExerciseAndSensor.map { ($0.name, $0) })
  #expect(groups.keys.sorted() == ["twist, accelerometer", "twist, gyroscope"])
  #expect(groups["twist, gyroscope"]?.exactCountRate == 1)
  #expect(groups["twist, accelerometer"]?.exactCountRate == 0)
  #expect(report.text.contains("by exercise and sensor"))
}

/// Knee lifts counted right on a side reported `unknown` (no calibration) are not among the worst
/// recordings; on the wrong side they are.
@Test func onlyWrongSidesMakeARecordingWorseNotUnknownOnes() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "eval-sides-\(getpid())"
  ).path
  defer { try? FileManager.default.removeItem(atPath: directory) }
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  let path = directory + "/knee.evemu"
  let truth = try Simulator.write(
    SimulationOptions(exercise: .kneeLift, reps: 3, deviceID: "sony-dualsense", seed: 4), to: path)
  let reps = truth.reps
  let liftCount = reps.filter { !$0.partial }.count
  var badness: [OracleDetector.SideReport: Double] = [:]
  var worst: [OracleDetector.SideReport: [WorstRecording]] = [:]
  for sideReport in [OracleDetector.SideReport.truth, .unknown, .opposite] {
    let result = try RecordingEvaluator.evaluate(
      path: path,
      factory: { exercise, _ in
        OracleDetector(exercise: exercise, pending: reps, sideReport: sideReport)
      })
    #expect(result.sets.allSatisfy { $0.countError == 0 })
    badness[sideReport] = result.badness
    worst[sideReport] = EvaluationReport(results: [result], detector: "oracle").worst
  }
  #expect(badness[.truth] == 0)
  #expect(badness[.unknown] == 0)
  #expect(worst[.unknown]?.isEmpty == true)
  #expect(badness[.opposite] == 0.5 * Double(liftCount))
  #expect(worst[.opposite]?.map(\.directionOrSideErrors) == [liftCount])
}
