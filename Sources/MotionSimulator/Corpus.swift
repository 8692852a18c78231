import Dispatch
import Foundation
import MotionCore
import MotionInput

/// A varied set of recordings: every device, placement, difficulty and exercise, from one seed.
public enum Corpus {
  /// Restrictions on what the corpus varies (`nil`: vary it).
  public struct Filter: Hashable, Sendable {
    public var exercise: SimulatedExercise?
    public var deviceID: String?
    public var placement: SensorPlacement?
    public var difficulty: SimulationDifficulty?
    /// Every recording at this tempo (not varied: a corpus is at one tempo).
    public var tempo: SimulationTempo

    public init(
      exercise: SimulatedExercise? = nil, deviceID: String? = nil,
      placement: SensorPlacement? = nil,
      difficulty: SimulationDifficulty? = nil, tempo: SimulationTempo = .usual
    ) {
      self.exercise = exercise
      self.deviceID = deviceID
      self.placement = placement
      self.difficulty = difficulty
      self.tempo = tempo
    }
  }

  public struct Item: Hashable, Sendable {
    public var fileName: String
    public var options: SimulationOptions
  }

  /// The corpus plan: devices, placements and difficulties are cycled (so every one appears
  /// once the count allows it), exercises too (a session every seventh recording, since
  /// sessions are long), reps drawn per recording.
  public static func plan(count: Int, seed: UInt64, filter: Filter = Filter()) -> [Item] {
    var random = SimulationRandom(seed: seed ^ 0xC0_4205)
    let devices = filter.deviceID.map { [$0] } ?? Simulator.deviceIDs
    let placements = filter.placement.map { [$0] } ?? SensorPlacement.allCases
    let difficulties: [SimulationDifficulty] =
      filter.difficulty.map { [$0] } ?? [.normal, .easy, .hard, .normal]
    let exercises: [SimulatedExercise] =
      filter.exercise.map { [$0] }
      ?? [.hipRoll, .twist, .kneeLift, .hipRoll, .twist, .kneeLift, .session]
    var items: [Item] = []
    let deviceOffset = random.integer(0...(devices.count - 1))
    for index in 0..<count {
      let exercise = exercises[index % exercises.count]
      let device = devices[(index + deviceOffset) % devices.count]
      let placement = placements[(index / devices.count + index) % placements.count]
      let difficulty = difficulties[(index / 3 + index / devices.count) % difficulties.count]
      let reps: Int
      switch exercise {
      case .hipRoll: reps = random.integer(6...12)
      case .twist: reps = random.integer(6...15)
      case .kneeLift: reps = random.integer(5...10)
      case .session: reps = random.integer(5...10)
      }
      let options = SimulationOptions(
        exercise: exercise, reps: reps, deviceID: device, placement: placement,
        difficulty: difficulty, tempo: filter.tempo, seed: random.next())
      let name =
        String(format: "%04d", index)
        + "-\(exercise.rawValue)-\(device)-\(placement.rawValue)-\(difficulty.rawValue)"
        + (filter.tempo == .usual ? "" : "-\(filter.tempo.rawValue)") + ".evemu"
      items.append(Item(fileName: name, options: options))
    }
    return items
  }

  /// Writes every item into `directory` (created if needed), in parallel over the available
  /// cores. Returns the truths in plan order; the first error stops the run.
  public static func write(
    _ items: [Item], directory: String, deviceTable: DeviceTable = .builtIn,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws -> [SimulationTruth] {
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw SimulationError(
        "\(directory): cannot create the directory: \(error.localizedDescription)")
    }
    let results = ResultSlots<SimulationTruth>(count: items.count)
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var index = worker
      while index < items.count {
        if results.failed { return }
        let item = items[index]
        let path = (directory as NSString).appendingPathComponent(item.fileName)
        do {
          let truth = try Simulator.write(
            item.options, to: path, deviceTable: deviceTable, annotateEvents: false)
          let done = results.store(.success(truth), at: index)
          progress?(done, items.count)
        } catch {
          _ = results.store(.failure(error), at: index)
        }
        index += workers
      }
    }
    return try results.values()
  }
}

/// Results of parallel work, in order, behind a lock.
final class ResultSlots<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<Value, any Error>?]
  private var completed = 0
  private var anyFailure = false

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  var failed: Bool { lock.withLock { anyFailure } }

  func store(_ result: Result<Value, any Error>, at index: Int) -> Int {
    lock.withLock {
      slots[index] = result
      completed += 1
      if case .failure = result { anyFailure = true }
      return completed
    }
  }

  func values() throws -> [Value] {
    try lock.withLock {
      var values: [Value] = []
      for slot in slots {
        guard let slot else { continue }
        values.append(try slot.get())
      }
      return values
    }
  }
}
