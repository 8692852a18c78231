import Dispatch
import Foundation
import MotionCore
import MotionInput
import MotionSimulator

/// Builds a fresh detector for an exercise on one recording (the truth is there for factories
/// that hand the detector an ideal calibration profile; a fair factory reads nothing else).
/// `repcount eval` passes MotionCore's `makeRepDetector`; tests and `--placeholder` pass others.
public typealias DetectorFactory = @Sendable (Exercise, SimulationTruth) -> any RepDetector

public struct EvaluationOptions: Hashable, Sendable {
  /// Only evaluate sets of this exercise.
  public var exercise: Exercise?
  /// Session recordings: each exercise's detector runs over its sets ± this margin (clipped so
  /// it never reaches another exercise's sets), which includes the walking, standing and
  /// posture changes around them.
  public var sessionMarginSeconds: Double

  public init(exercise: Exercise? = nil, sessionMarginSeconds: Double = 8) {
    self.exercise = exercise
    self.sessionMarginSeconds = sessionMarginSeconds
  }
}

public struct EvaluationError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Runs detectors over one recording and scores them against its truth file.
public enum RecordingEvaluator {
  /// The time windows (truth time) and exercises to run. Single-exercise recordings run one
  /// detector over the whole file; sessions run one per block of consecutive sets of the same
  /// exercise.
  public static func plannedRuns(truth: SimulationTruth, options: EvaluationOptions)
    -> [(exercise: Exercise, start: Double, end: Double)]
  {
    var blocks: [(exercise: Exercise, start: Double, end: Double)] = []
    for set in truth.sets {
      if let last = blocks.last, last.exercise == set.exercise {
        blocks[blocks.count - 1].end = set.endSeconds
      } else {
        blocks.append((set.exercise, set.startSeconds, set.endSeconds))
      }
    }
    var runs: [(exercise: Exercise, start: Double, end: Double)] = []
    for (index, block) in blocks.enumerated() {
      if let only = options.exercise, only != block.exercise { continue }
      if truth.exercise != .session {
        runs.append((block.exercise, -1, truth.durationSeconds + 1))
        continue
      }
      let previousEnd = index > 0 ? blocks[index - 1].end : -1
      let nextStart = index + 1 < blocks.count ? blocks[index + 1].start : truth.durationSeconds + 1
      runs.append(
        (
          block.exercise, max(block.start - options.sessionMarginSeconds, previousEnd),
          min(block.end + options.sessionMarginSeconds, nextStart)
        ))
    }
    return runs
  }

  /// Feeds frames (times already relative to the first frame) in `start...end` to a fresh
  /// detector and records what it returns, with the frame time of each return.
  public static func run(
    exercise: Exercise, truth: SimulationTruth, frames: [MotionFrame], start: Double, end: Double,
    factory: DetectorFactory
  ) -> DetectorRun {
    var detector = factory(exercise, truth)
    var detections: [DetectedRep] = []
    var lastTime = start
    for frame in frames where frame.timeSeconds >= start && frame.timeSeconds <= end {
      lastTime = frame.timeSeconds
      if let event = detector.process(frame) {
        detections.append(DetectedRep(event: event, emittedAtSeconds: frame.timeSeconds))
      }
    }
    for event in detector.finish() {
      detections.append(DetectedRep(event: event, emittedAtSeconds: lastTime))
    }
    return DetectorRun(
      exercise: exercise, windowStartSeconds: start, windowEndSeconds: end, detections: detections)
  }

  /// Reads `path` through `openRecording` (times relative to its first frame) and its truth
  /// file, runs the planned detectors and scores them.
  public static func evaluate(
    path: String, factory: DetectorFactory, options: EvaluationOptions = EvaluationOptions(),
    deviceTable: DeviceTable = .builtIn
  ) throws -> RecordingResult {
    let truth = try SimulationTruth.load(path: SimulationTruth.truthPath(forRecording: path))
    var source = try openRecording(path: path, deviceTable: deviceTable)
    var frames: [MotionFrame] = []
    var origin: Double?
    while var frame = try source.nextFrame() {
      let start = origin ?? frame.timeSeconds
      origin = start
      frame.timeSeconds -= start
      frames.append(frame)
    }
    guard !frames.isEmpty else { throw EvaluationError("\(path): no frames") }
    let runs = plannedRuns(truth: truth, options: options).map { planned in
      run(
        exercise: planned.exercise, truth: truth, frames: frames, start: planned.start,
        end: planned.end,
        factory: factory)
    }
    return RecordingScorer.score(path: path, truth: truth, runs: runs)
  }

  /// Every `*.evemu` under `directory` (not recursive) that has a truth file beside it, sorted;
  /// and how many recordings lack one.
  public static func recordings(in directory: String) throws -> (paths: [String], withoutTruth: Int)
  {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw EvaluationError(
        "\(directory): cannot list the directory: \(error.localizedDescription)")
    }
    var paths: [String] = []
    var withoutTruth = 0
    for name in names.sorted() where name.hasSuffix(".evemu") {
      let path = (directory as NSString).appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: SimulationTruth.truthPath(forRecording: path)) {
        paths.append(path)
      } else {
        withoutTruth += 1
      }
    }
    return (paths, withoutTruth)
  }

  /// Evaluates every path, in parallel over the machine's cores; results in input order. A
  /// recording that cannot be read is an error naming it (nothing is silently skipped).
  public static func evaluateAll(
    paths: [String], factory: @escaping DetectorFactory,
    options: EvaluationOptions = EvaluationOptions(), deviceTable: DeviceTable = .builtIn
  ) throws -> [RecordingResult] {
    let slots = EvaluationSlots(count: paths.count)
    let workers = max(1, min(paths.count, ProcessInfo.processInfo.activeProcessorCount))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var index = worker
      while index < paths.count {
        if slots.failed { return }
        do {
          let result = try evaluate(
            path: paths[index], factory: factory, options: options, deviceTable: deviceTable)
          slots.store(.success(result), at: index)
        } catch {
          slots.store(.failure(error), at: index)
        }
        index += workers
      }
    }
    return try slots.values()
  }
}

/// Ordered results of parallel work behind a lock.
final class EvaluationSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<RecordingResult, any Error>?]
  private var anyFailure = false

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  var failed: Bool { lock.withLock { anyFailure } }

  func store(_ result: Result<RecordingResult, any Error>, at index: Int) {
    lock.withLock {
      slots[index] = result
      if case .failure = result { anyFailure = true }
    }
  }

  func values() throws -> [RecordingResult] {
    try lock.withLock {
      var values: [RecordingResult] = []
      for slot in slots {
        guard let slot else { continue }
        values.append(try slot.get())
      }
      return values
    }
  }
}

extension SimulationTruth {
  /// The calibration profile a perfect calibration would have produced for this recording.
  public var idealProfile: BodyProfile {
    func vector(_ values: [Double]) -> Vector3? {
      values.count == 3 ? Vector3(values[0], values[1], values[2]) : nil
    }
    return BodyProfile(
      rightInSensor: vector(idealCalibration.rightInSensor),
      standingUpInSensor: vector(idealCalibration.standingUpInSensor),
      lyingUpInSensor: vector(idealCalibration.lyingUpInSensor))
  }
}
