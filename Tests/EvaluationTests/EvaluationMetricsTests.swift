import Foundation
import MotionCore
import Testing

@testable import Evaluation
@testable import MotionSimulator

private func truth(exercise: SimulatedExercise = .hipRoll) -> SimulationTruth {
  // Two hip-roll sets of three 2-second reps, still before, between and after.
  var reps: [TruthRep] = []
  var sets: [TruthSet] = []
  for (setIndex, direction) in [RotationDirection.clockwise, .counterclockwise].enumerated() {
    let start = 2.0 + Double(setIndex) * 8
    for number in 1...3 {
      let repStart = start + Double(number - 1) * 2
      reps.append(
        TruthRep(
          set: setIndex, number: number, exercise: .hipRoll, startSeconds: repStart,
          endSeconds: repStart + 2, direction: direction, side: nil, partial: false,
          amplitudeDegrees: 8))
    }
    sets.append(
      TruthSet(
        index: setIndex, exercise: .hipRoll, direction: direction, side: nil, startSeconds: start,
        endSeconds: start + 6, countedReps: 3, partialReps: 0))
  }
  let segments = [
    TruthSegment(kind: .still, startSeconds: 0, endSeconds: 2, posture: "standing"),
    TruthSegment(kind: .still, startSeconds: 8, endSeconds: 10, posture: "standing"),
    TruthSegment(kind: .fidget, startSeconds: 16, endSeconds: 17, posture: "standing"),
    TruthSegment(kind: .still, startSeconds: 17, endSeconds: 20, posture: "standing"),
  ]
  return SimulationTruth(
    format: SimulationTruth.formatName, version: 1, seed: 1, exercise: exercise,
    difficulty: .normal, placement: .waist, placementSide: nil,
    device: TruthDevice(
      id: "sony-dualsense", variant: "usb", nodeName: "x", reportIntervalSeconds: 0.004,
      samplesPerReport: 1, hasGyroscope: true, hasHardwareTimestamp: true),
    mountingRotation: TruthRotation(quaternion: [1, 0, 0, 0], matrix: []),
    timeReference: "", durationSeconds: 20, sets: sets, reps: reps, segments: segments,
    dropouts: [],
    deviceErrors: TruthDeviceErrors(
      accelerometerBiasG: [0, 0, 0], accelerometerScale: [1, 1, 1], accelerometerNoiseG: 0),
    idealCalibration: TruthCalibration(
      rightInSensor: [1, 0, 0], standingUpInSensor: [0, 1, 0], lyingUpInSensor: [0, 0, 1]))
}

private func detection(
  _ start: Double, _ end: Double, _ direction: RotationDirection?, emitted: Double? = nil,
  partial: Bool = false
) -> DetectedRep {
  DetectedRep(
    event: RepEvent(
      exercise: .hipRoll, index: 0, startSeconds: start, endSeconds: end, direction: direction,
      isPartial: partial,
      metrics: RepMetrics(rangeDegrees: 0, peakAngularVelocityDPS: 0, smoothness: 0)),
    emittedAtSeconds: emitted ?? end + 0.2)
}

@Test func matchingPairsRepsByBestOverlapOneToOne() {
  let matches = RepMatcher.match(
    truth: [(0, 2), (2, 4), (4, 6), (10, 12)],
    detected: [(0.1, 2.1), (1.9, 4.3), (4.5, 5.0), (4.2, 6.1)])
  #expect(matches == [0, 1, 3, nil])
  #expect(RepMatcher.intersectionOverUnion((0, 2), (1, 3)) == 1.0 / 3)
  #expect(RepMatcher.overlapSeconds((0, 1), (2, 3)) == 0)
}

@Test func scoringCountsSetsDirectionsLatencyAndQuietReps() {
  let run = DetectorRun(
    exercise: .hipRoll, windowStartSeconds: -1, windowEndSeconds: 21,
    detections: [
      // Set 0: three right reps, counted 0.2 s after each true end.
      detection(2.1, 4.0, .clockwise), detection(4.0, 6.1, .clockwise),
      detection(6.0, 8.0, .clockwise),
      // Set 1: one wrong direction, one extra, one partial (not counted).
      detection(10.0, 12.0, .counterclockwise), detection(12.0, 14.0, .clockwise),
      detection(14.0, 15.0, .counterclockwise), detection(15.0, 15.9, .counterclockwise),
      detection(14.5, 15.5, .counterclockwise, partial: true),
      // A counted rep while still after the sets, and one during the fidget.
      detection(18.0, 19.5, .clockwise), detection(16.1, 16.8, .clockwise),
    ])
  let result = RecordingScorer.score(path: "x.evemu", truth: truth(), runs: [run])
  #expect(result.sets.map(\.trueCount) == [3, 3])
  #expect(result.sets.map(\.detectedCount) == [3, 4])
  #expect(result.sets.map(\.countError) == [0, 1])
  #expect(result.sets[1].detectedPartial == 1)
  #expect(result.reps.count == 6)
  #expect(result.reps.allSatisfy { $0.matched })
  #expect(result.reps.compactMap(\.directionCorrect).filter { !$0 }.count == 1)
  let latencies = result.reps.compactMap(\.latencySeconds)
  #expect(latencies.count == 6)
  // Emission minus true end; the short (14, 15) detection best matches the true (14, 16) rep
  // and arrived 0.8 s before its end.
  let expectedLatencies = [0.2, 0.3, 0.2, 0.2, 0.2, -0.8]
  #expect(zip(latencies, expectedLatencies).allSatisfy { abs($0 - $1) < 1e-9 })
  let still = result.nonExercise.first { $0.kind == .still }
  #expect(still?.countedReps == 1)
  #expect(abs((still?.seconds ?? 0) - 7) < 1e-9)
  #expect(result.nonExercise.first { $0.kind == .fidget }?.countedReps == 1)

  let metrics = GroupMetrics(name: "all", results: [result])
  #expect(metrics.exactCountRate == 0.5)
  #expect(metrics.withinOneRate == 1)
  #expect(metrics.meanAbsoluteCountError == 0.5)
  #expect(metrics.directionAccuracy == 5.0 / 6)
  #expect(abs((metrics.nonExerciseRepsPerMinute ?? 0) - 2 / (8.0 / 60)) < 1e-9)
  #expect(abs((metrics.latencyMedianSeconds ?? 0) - 0.2) < 1e-9)
  // Timing error of rep 1: (|2.1 − 2| + |4 − 4|) / 2 / 2 s = 2.5 %.
  #expect(abs((result.reps[0].timingErrorFraction ?? 0) - 0.025) < 1e-9)
}

@Test func missedRepsLowerRecallAndCountExactly() {
  let run = DetectorRun(
    exercise: .hipRoll, windowStartSeconds: -1, windowEndSeconds: 21,
    detections: [detection(2, 4, .clockwise), detection(10, 12, .counterclockwise)])
  let result = RecordingScorer.score(path: "x.evemu", truth: truth(), runs: [run])
  #expect(result.sets.map(\.countError) == [-2, -2])
  let metrics = GroupMetrics(name: "all", results: [result])
  #expect(metrics.exactCountRate == 0)
  #expect(metrics.withinOneRate == 0)
  #expect(metrics.repRecall == 2.0 / 6)
  #expect(result.badness == 4)
}

/// The generic counter reports no direction: its matched hip rolls are not judged wrong on it.
@Test func aCounterWithoutDirectionsIsNotJudgedOnThem() {
  let run = DetectorRun(
    exercise: .hipRoll, windowStartSeconds: -1, windowEndSeconds: 21,
    detections: [detection(2, 4, nil), detection(10, 12, .counterclockwise)])
  let result = RecordingScorer.score(path: "x.evemu", truth: truth(), runs: [run])
  #expect(result.reps.filter(\.matched).count == 2)
  #expect(result.reps.compactMap(\.directionCorrect) == [true])
  #expect(GroupMetrics(name: "all", results: [result]).directionAccuracy == 1)
}

@Test func percentilesAreNearestRank() {
  let values = (1...20).map(Double.init)
  #expect(GroupMetrics.percentile(values, 0.5) == 10)
  #expect(GroupMetrics.percentile(values, 0.95) == 19)
  #expect(GroupMetrics.percentile([], 0.5) == nil)
}

@Test func sessionsRunEachExerciseOverItsSetsWithAClippedMargin() {
  var session = truth(exercise: .session)
  session.sets.append(
    TruthSet(
      index: 2, exercise: .twist, direction: nil, side: nil, startSeconds: 20, endSeconds: 30,
      countedReps: 4, partialReps: 0))
  session.durationSeconds = 40
  let runs = RecordingEvaluator.plannedRuns(
    truth: session, options: EvaluationOptions(sessionMarginSeconds: 8))
  #expect(runs.count == 2)
  #expect(runs[0].exercise == .hipRoll && runs[0].start == -1 && runs[0].end == 20)
  #expect(runs[1].exercise == .twist && runs[1].start == 16 && runs[1].end == 38)
  let onlyTwist = RecordingEvaluator.plannedRuns(
    truth: session, options: EvaluationOptions(exercise: .twist))
  #expect(onlyTwist.count == 1)
  // A single-exercise recording runs one detector over the whole file.
  let single = RecordingEvaluator.plannedRuns(truth: truth(), options: EvaluationOptions())
  #expect(single.count == 1 && single[0].start < 0 && single[0].end > 20)
}
