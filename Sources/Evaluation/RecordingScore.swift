import MotionCore
import MotionSimulator

/// One detector run over part of a recording: which exercise, which time window (truth time),
/// and what it reported.
public struct DetectorRun: Sendable {
  public var exercise: Exercise
  public var windowStartSeconds: Double
  public var windowEndSeconds: Double
  public var detections: [DetectedRep]

  public init(
    exercise: Exercise, windowStartSeconds: Double, windowEndSeconds: Double,
    detections: [DetectedRep]
  ) {
    self.exercise = exercise
    self.windowStartSeconds = windowStartSeconds
    self.windowEndSeconds = windowEndSeconds
    self.detections = detections
  }
}

public struct SetResult: Codable, Hashable, Sendable {
  public var exercise: Exercise
  public var direction: RotationDirection?
  public var side: BodySide?
  public var trueCount: Int
  public var detectedCount: Int
  public var truePartial: Int
  public var detectedPartial: Int
  public var countError: Int { detectedCount - trueCount }
}

public struct RepResult: Codable, Hashable, Sendable {
  public var exercise: Exercise
  public var set: Int
  public var matched: Bool
  /// Hip rolls: the detected direction equals the true one (nil when unmatched).
  public var directionCorrect: Bool?
  /// Knee lifts: the detected side (nil when unmatched), and whether it is right.
  public var detectedSide: BodySide?
  public var sideCorrect: Bool?
  /// Frame time at which the count arrived minus the rep's true end.
  public var latencySeconds: Double?
  /// (|Δstart| + |Δend|) / 2 over the true duration.
  public var timingErrorFraction: Double?

  /// A hip roll's direction or a knee lift's side reported wrong. A side reported `unknown` (no
  /// calibration given) is not wrong: the counter says it cannot tell.
  public var hasWrongDirectionOrSide: Bool {
    directionCorrect == false || sideCorrect == false && detectedSide != .unknown
  }
}

public struct NonExerciseResult: Codable, Hashable, Sendable {
  /// The exercise of the detector that was running.
  public var exercise: Exercise
  public var kind: TruthSegment.Kind
  public var seconds: Double
  public var countedReps: Int
}

/// Everything measured on one recording.
public struct RecordingResult: Codable, Hashable, Sendable {
  public var path: String
  public var recordingExercise: SimulatedExercise
  public var deviceID: String
  public var deviceVariant: String
  /// Whether the device has a gyroscope (nil in reports written before this was recorded).
  public var hasGyroscope: Bool?
  public var placement: SensorPlacement
  public var difficulty: SimulationDifficulty
  public var seed: UInt64
  public var sets: [SetResult]
  public var reps: [RepResult]
  public var nonExercise: [NonExerciseResult]
  /// Counted detections outside every set and every non-exercise segment (transitions).
  public var strayReps: Int

  /// How bad this recording went, for the "worst recordings" list.
  public var badness: Double {
    Double(sets.reduce(0) { $0 + abs($1.countError) })
      + 0.5 * Double(reps.filter(\.hasWrongDirectionOrSide).count)
      + Double(nonExercise.reduce(0) { $0 + $1.countedReps })
  }
}

/// Scores detector runs against a truth file.
public enum RecordingScorer {
  /// Counted detections go to the set they overlap most; with no overlap, to the nearest set
  /// of the run's exercise within `strayAssignmentSeconds` unless they fall in a non-exercise
  /// segment (then they are false reps there).
  public static let strayAssignmentSeconds = 3.0

  public static func score(path: String, truth: SimulationTruth, runs: [DetectorRun])
    -> RecordingResult
  {
    var sets = truth.sets.map { set in
      SetResult(
        exercise: set.exercise, direction: set.direction, side: set.side,
        trueCount: set.countedReps, detectedCount: 0, truePartial: set.partialReps,
        detectedPartial: 0)
    }
    var evaluatedSets = Set<Int>()
    var repResults: [RepResult] = []
    var nonExercise: [NonExerciseResult] = []
    var stray = 0

    for run in runs {
      let runSets = truth.sets.filter {
        $0.exercise == run.exercise && $0.endSeconds > run.windowStartSeconds
          && $0.startSeconds < run.windowEndSeconds
      }
      for set in runSets { evaluatedSets.insert(set.index) }
      // Detections per set (counted and partial), for counting and matching.
      var perSet: [Int: [DetectedRep]] = [:]
      var falsePerKind: [TruthSegment.Kind: Int] = [:]
      for detection in run.detections {
        let interval = (detection.event.startSeconds, detection.event.endSeconds)
        var best: (set: Int, overlap: Double)?
        for set in runSets {
          let overlap = RepMatcher.overlapSeconds(interval, (set.startSeconds, set.endSeconds))
          if overlap > (best?.overlap ?? 0) { best = (set.index, overlap) }
        }
        if let best {
          perSet[best.set, default: []].append(detection)
          continue
        }
        let middle = (interval.0 + interval.1) / 2
        if let segment = truth.segments.first(where: {
          middle >= $0.startSeconds && middle < $0.endSeconds
        }) {
          if !detection.event.isPartial { falsePerKind[segment.kind, default: 0] += 1 }
          continue
        }
        let nearest = runSets.min {
          distance(middle, $0.startSeconds, $0.endSeconds)
            < distance(middle, $1.startSeconds, $1.endSeconds)
        }
        if let nearest,
          distance(middle, nearest.startSeconds, nearest.endSeconds) <= strayAssignmentSeconds
        {
          perSet[nearest.index, default: []].append(detection)
        } else if !detection.event.isPartial {
          stray += 1
        }
      }

      for set in runSets {
        let detections = perSet[set.index] ?? []
        sets[set.index].detectedCount = detections.filter { !$0.event.isPartial }.count
        sets[set.index].detectedPartial = detections.filter { $0.event.isPartial }.count
        // Match true counted reps to counted detections.
        let trueReps = truth.reps.filter { $0.set == set.index && !$0.partial }
        let counted = detections.filter { !$0.event.isPartial }
        let matches = RepMatcher.match(
          truth: trueReps.map { ($0.startSeconds, $0.endSeconds) },
          detected: counted.map { ($0.event.startSeconds, $0.event.endSeconds) })
        for (trueRep, match) in zip(trueReps, matches) {
          var result = RepResult(exercise: trueRep.exercise, set: set.index, matched: match != nil)
          if let match {
            let detection = counted[match]
            let duration = trueRep.endSeconds - trueRep.startSeconds
            result.latencySeconds = detection.emittedAtSeconds - trueRep.endSeconds
            result.timingErrorFraction =
              (abs(detection.event.startSeconds - trueRep.startSeconds)
                + abs(detection.event.endSeconds - trueRep.endSeconds)) / (2 * duration)
            // A counter that reports no direction (the generic one) is not judged on it.
            if let direction = trueRep.direction, let detected = detection.event.direction {
              result.directionCorrect = detected == direction
            }
            if let side = trueRep.side {
              result.detectedSide = detection.event.side ?? .unknown
              result.sideCorrect = detection.event.side == side
            }
          }
          repResults.append(result)
        }
      }

      // Non-exercise time this run covered, per kind.
      var seconds: [TruthSegment.Kind: Double] = [:]
      for segment in truth.segments {
        let overlap = RepMatcher.overlapSeconds(
          (segment.startSeconds, segment.endSeconds), (run.windowStartSeconds, run.windowEndSeconds)
        )
        if overlap > 0 { seconds[segment.kind, default: 0] += overlap }
      }
      for kind in [TruthSegment.Kind.still, .fidget, .walking, .postureChange]
      where seconds[kind] != nil || falsePerKind[kind] != nil {
        nonExercise.append(
          NonExerciseResult(
            exercise: run.exercise, kind: kind, seconds: seconds[kind] ?? 0,
            countedReps: falsePerKind[kind] ?? 0))
      }
    }

    return RecordingResult(
      path: path, recordingExercise: truth.exercise, deviceID: truth.device.id,
      deviceVariant: truth.device.variant, hasGyroscope: truth.device.hasGyroscope,
      placement: truth.placement,
      difficulty: truth.difficulty, seed: truth.seed,
      sets: sets.enumerated().filter { evaluatedSets.contains($0.offset) }.map(\.element),
      reps: repResults, nonExercise: nonExercise, strayReps: stray)
  }

  private static func distance(_ time: Double, _ start: Double, _ end: Double) -> Double {
    time < start ? start - time : (time > end ? time - end : 0)
  }
}

extension RepResult {
  init(exercise: Exercise, set: Int, matched: Bool) {
    self.init(
      exercise: exercise, set: set, matched: matched, directionCorrect: nil, detectedSide: nil,
      sideCorrect: nil, latencySeconds: nil, timingErrorFraction: nil)
  }
}
