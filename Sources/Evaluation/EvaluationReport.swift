import Foundation
import MotionCore
import MotionSimulator

/// Metrics over a group of recordings (one exercise, device, difficulty or placement).
public struct GroupMetrics: Codable, Hashable, Sendable {
  public var name: String
  public var recordings: Int
  public var sets: Int
  /// Share of sets whose counted reps equal the truth exactly / within ±1.
  public var exactCountRate: Double?
  public var withinOneRate: Double?
  public var meanAbsoluteCountError: Double?
  public var trueReps: Int
  /// Share of true counted reps matched to a counted detection.
  public var repRecall: Double?
  /// Hip rolls: matched reps with the right direction.
  public var directionAccuracy: Double?
  public var directionReps: Int
  /// Knee lifts: matched reps with the right side; `unknown` counts as wrong here and is also
  /// reported on its own.
  public var sideAccuracy: Double?
  public var sideUnknownRate: Double?
  public var sideReps: Int
  public var nonExerciseMinutes: Double
  public var nonExerciseReps: Int
  public var nonExerciseRepsPerMinute: Double?
  public var latencyMedianSeconds: Double?
  public var latencyP95Seconds: Double?
  /// Per-rep timing error as a fraction of the rep's duration.
  public var timingErrorMedian: Double?
  public var timingErrorP95: Double?

  init(name: String, results: [RecordingResult], exercise: Exercise? = nil) {
    self.name = name
    recordings = results.count
    let sets = results.flatMap(\.sets).filter { exercise == nil || $0.exercise == exercise }
    self.sets = sets.count
    exactCountRate = Self.rate(sets.filter { $0.countError == 0 }.count, sets.count)
    withinOneRate = Self.rate(sets.filter { abs($0.countError) <= 1 }.count, sets.count)
    meanAbsoluteCountError =
      sets.isEmpty ? nil : Double(sets.reduce(0) { $0 + abs($1.countError) }) / Double(sets.count)
    let reps = results.flatMap(\.reps).filter { exercise == nil || $0.exercise == exercise }
    trueReps = reps.count
    repRecall = Self.rate(reps.filter(\.matched).count, reps.count)
    let directed = reps.compactMap(\.directionCorrect)
    directionReps = directed.count
    directionAccuracy = Self.rate(directed.filter { $0 }.count, directed.count)
    let sided = reps.filter { $0.sideCorrect != nil }
    sideReps = sided.count
    sideAccuracy = Self.rate(sided.filter { $0.sideCorrect == true }.count, sided.count)
    sideUnknownRate = Self.rate(sided.filter { $0.detectedSide == .unknown }.count, sided.count)
    let quiet = results.flatMap(\.nonExercise).filter { exercise == nil || $0.exercise == exercise }
    nonExerciseMinutes = quiet.reduce(0) { $0 + $1.seconds } / 60
    nonExerciseReps = quiet.reduce(0) { $0 + $1.countedReps }
    nonExerciseRepsPerMinute =
      nonExerciseMinutes > 0 ? Double(nonExerciseReps) / nonExerciseMinutes : nil
    let latencies = reps.compactMap(\.latencySeconds).sorted()
    latencyMedianSeconds = Self.percentile(latencies, 0.5)
    latencyP95Seconds = Self.percentile(latencies, 0.95)
    let timing = reps.compactMap(\.timingErrorFraction).sorted()
    timingErrorMedian = Self.percentile(timing, 0.5)
    timingErrorP95 = Self.percentile(timing, 0.95)
  }

  static func rate(_ part: Int, _ whole: Int) -> Double? {
    whole > 0 ? Double(part) / Double(whole) : nil
  }

  /// Nearest-rank percentile of sorted values.
  static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(sorted.count - 1, max(0, rank - 1))]
  }
}

/// Counted reps during one kind of non-exercise segment, over all detectors.
public struct QuietMetrics: Codable, Hashable, Sendable {
  public var kind: TruthSegment.Kind
  public var minutes: Double
  public var countedReps: Int
  public var repsPerMinute: Double?
}

public struct WorstRecording: Codable, Hashable, Sendable {
  public var path: String
  public var device: String
  public var placement: SensorPlacement
  public var difficulty: SimulationDifficulty
  /// Per set: detected − true.
  public var countErrors: [Int]
  public var directionOrSideErrors: Int
  public var nonExerciseReps: Int
  public var strayReps: Int
}

/// The whole evaluation: per exercise, device, difficulty and placement, non-exercise counts
/// by kind, and the worst recordings.
public struct EvaluationReport: Codable, Hashable, Sendable {
  public var detector: String
  public var recordings: Int
  public var recordingsWithoutTruth: Int
  public var overall: GroupMetrics
  public var byExercise: [GroupMetrics]
  public var byDevice: [GroupMetrics]
  public var byDifficulty: [GroupMetrics]
  public var byPlacement: [GroupMetrics]
  /// Per exercise, with a gyroscope and with the accelerometer only: the two are counted by
  /// different signals, and the accelerometer-only sets are far harder.
  public var byExerciseAndSensor: [GroupMetrics]
  public var nonExercise: [QuietMetrics]
  public var worst: [WorstRecording]
  /// Every recording's own result (`repcount eval --json --details`).
  public var details: [RecordingResult]?

  public init(
    results: [RecordingResult], detector: String, recordingsWithoutTruth: Int = 0,
    worstCount: Int = 10, includeDetails: Bool = false
  ) {
    details = includeDetails ? results : nil
    self.detector = detector
    recordings = results.count
    self.recordingsWithoutTruth = recordingsWithoutTruth
    overall = GroupMetrics(name: "all", results: results)
    byExercise = [Exercise.hipRoll, .twist, .kneeLift].compactMap { exercise in
      let metrics = GroupMetrics(name: exercise.rawValue, results: results, exercise: exercise)
      return metrics.sets > 0 ? metrics : nil
    }
    func grouped(_ key: (RecordingResult) -> String) -> [GroupMetrics] {
      Dictionary(grouping: results, by: key).sorted { $0.key < $1.key }.map {
        GroupMetrics(name: $0.key, results: $0.value)
      }
    }
    byDevice = grouped(\.deviceID)
    let difficultyOrder = SimulationDifficulty.allCases.map(\.rawValue)
    byDifficulty = grouped(\.difficulty.rawValue).sorted {
      (difficultyOrder.firstIndex(of: $0.name) ?? 0)
        < (difficultyOrder.firstIndex(of: $1.name) ?? 0)
    }
    byPlacement = grouped(\.placement.rawValue)
    byExerciseAndSensor = [Exercise.hipRoll, .twist, .kneeLift].flatMap { exercise in
      [(true, "gyroscope"), (false, "accelerometer")].compactMap { hasGyroscope, sensor in
        let metrics = GroupMetrics(
          name: "\(exercise.rawValue), \(sensor)",
          results: results.filter { $0.hasGyroscope == hasGyroscope }, exercise: exercise)
        return metrics.sets > 0 ? metrics : nil
      }
    }
    let quiet = results.flatMap(\.nonExercise)
    nonExercise = [TruthSegment.Kind.still, .fidget, .walking, .postureChange].map { kind in
      let items = quiet.filter { $0.kind == kind }
      let minutes = items.reduce(0) { $0 + $1.seconds } / 60
      let reps = items.reduce(0) { $0 + $1.countedReps }
      return QuietMetrics(
        kind: kind, minutes: minutes, countedReps: reps,
        repsPerMinute: minutes > 0 ? Double(reps) / minutes : nil)
    }
    worst = results.filter { $0.badness > 0 }
      .sorted { $0.badness != $1.badness ? $0.badness > $1.badness : $0.path < $1.path }
      .prefix(worstCount)
      .map { result in
        WorstRecording(
          path: result.path, device: result.deviceID, placement: result.placement,
          difficulty: result.difficulty, countErrors: result.sets.map(\.countError),
          directionOrSideErrors: result.reps.filter(\.hasWrongDirectionOrSide).count,
          nonExerciseReps: result.nonExercise.reduce(0) { $0 + $1.countedReps },
          strayReps: result.strayReps)
      }
  }

  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(self)
  }

  /// The human table.
  public var text: String {
    var lines: [String] = []
    lines.append(
      "repcount eval: \(recordings) recordings, \(overall.sets) sets, \(overall.trueReps) reps; "
        + "detector: \(detector)")
    if recordingsWithoutTruth > 0 {
      lines.append("(\(recordingsWithoutTruth) recordings without a truth file skipped)")
    }
    let header =
      pad("", 26) + rpad("sets", 6) + rpad("exact", 8) + rpad("±1", 8) + rpad("MAE", 7)
      + rpad("recall", 8) + rpad("dir", 8) + rpad("side", 8) + rpad("side?", 7)
      + rpad("quiet/min", 10)
      + rpad("lat p50", 9) + rpad("lat p95", 9) + rpad("timing", 8)
    func row(_ metrics: GroupMetrics) -> String {
      pad("  " + metrics.name, 26) + rpad("\(metrics.sets)", 6)
        + rpad(percent(metrics.exactCountRate), 8) + rpad(percent(metrics.withinOneRate), 8)
        + rpad(number(metrics.meanAbsoluteCountError, 2), 7) + rpad(percent(metrics.repRecall), 8)
        + rpad(percent(metrics.directionAccuracy), 8) + rpad(percent(metrics.sideAccuracy), 8)
        + rpad(percent(metrics.sideUnknownRate), 7)
        + rpad(number(metrics.nonExerciseRepsPerMinute, 2), 10)
        + rpad(seconds(metrics.latencyMedianSeconds), 9)
        + rpad(seconds(metrics.latencyP95Seconds), 9)
        + rpad(percent(metrics.timingErrorMedian), 8)
    }
    lines.append(header)
    lines.append(row(overall))
    for (title, groups) in [
      ("by exercise", byExercise), ("by device", byDevice), ("by difficulty", byDifficulty),
      ("by placement", byPlacement), ("by exercise and sensor", byExerciseAndSensor),
    ] {
      lines.append(title)
      lines += groups.map(row)
    }
    lines.append("counted reps during non-exercise segments (any detector):")
    for quiet in nonExercise {
      lines.append(
        "  " + pad(quiet.kind.rawValue, 16)
          + String(
            format: "%7.1f min  %4d reps  %@/min", quiet.minutes, quiet.countedReps,
            number(quiet.repsPerMinute, 2)))
    }
    if !worst.isEmpty {
      lines.append("worst recordings (set count errors, wrong directions or sides, quiet reps):")
      for item in worst {
        let errors = item.countErrors.map { $0 > 0 ? "+\($0)" : "\($0)" }.joined(separator: " ")
        lines.append(
          "  \(item.path)  [\(errors)]  dir/side \(item.directionOrSideErrors)  quiet \(item.nonExerciseReps)"
            + (item.strayReps > 0 ? "  stray \(item.strayReps)" : ""))
      }
    }
    lines.append(
      "exact/±1/MAE per set; recall = true reps matched by time overlap; dir/side among matched "
        + "reps (side? = reported unknown, expected without --calibrated); quiet/min = counted reps per minute of still/fidget/walking/posture change; "
        + "latency = frame time of the count − true rep end; timing = (|Δstart|+|Δend|)/2 ÷ duration."
    )
    return lines.joined(separator: "\n")
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  private func rpad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
  }

  private func percent(_ value: Double?) -> String {
    value.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
  }

  private func number(_ value: Double?, _ digits: Int) -> String {
    value.map { String(format: "%.\(digits)f", $0) } ?? "-"
  }

  private func seconds(_ value: Double?) -> String {
    value.map { String(format: "%.2fs", $0) } ?? "-"
  }
}
