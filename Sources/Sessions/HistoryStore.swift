import Foundation
import GRDB
import MotionCore

/// A problem with the history database, naming the file.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}

/// One session as the history lists it.
public struct SessionRecord: Hashable, Sendable {
  public enum Status: String, Sendable {
    /// Being recorded now, or the process died (crash, SIGKILL): resumable.
    case running
    /// Stopped early (Ctrl-C, device unplugged): resumable.
    case interrupted
    case finished
  }

  public var id: Int64
  public var startedAt: Date
  public var endedAt: Date?
  public var planName: String
  public var planYAML: String
  public var source: String
  public var status: Status
  /// How many times recording (re)started: 1, or more after resuming.
  public var segments: Int
}

/// Where the open step of an interrupted session stands.
public struct ResumePoint: Sendable {
  public var session: SessionRecord
  public var plan: Plan
  public var stepIndex: Int
  public var stepCount: Int
  public var priorResults: [StepResult]
  public var nextSequence: Int
}

/// The SQLite history (through GRDB, WAL journal): every repetition is written in its own
/// transaction as it happens, so a crash, Ctrl-C or unplugged device loses nothing counted.
public final class HistoryStore {
  public let path: String
  private let pool: DatabasePool

  /// `$XDG_DATA_HOME/repcount/history.sqlite`, falling back to `~/.local/share/repcount/`.
  public static func defaultPath(
    environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> String
  {
    let base: String
    if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
      base = dataHome
    } else {
      let home = environment["HOME"] ?? NSHomeDirectory()
      base = home + "/.local/share"
    }
    return base + "/repcount/history.sqlite"
  }

  /// Opens (creating when needed) the history at `path` and brings its schema up to date.
  public init(path: String) throws(HistoryError) {
    self.path = path
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw HistoryError(path: directory, message: "cannot create the history folder: \(error)")
    }
    var configuration = Configuration()
    configuration.prepareDatabase { db in
      // Each committed repetition survives a power cut too, not only a crash (one fsync per
      // repetition is cheap at a few repetitions per second).
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    configuration.busyMode = .timeout(5)
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
      try Self.migrator.migrate(pool)
    } catch {
      throw HistoryError(path: path, message: "cannot open the history: \(error)")
    }
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: sessions, steps, reps, signal") { db in
      try db.create(table: "session") { table in
        table.autoIncrementedPrimaryKey("id")
        table.column("startedAt", .datetime).notNull()
        table.column("endedAt", .datetime)
        table.column("planName", .text).notNull()
        table.column("planYAML", .text).notNull()
        table.column("source", .text).notNull()
        table.column("status", .text).notNull()
        table.column("segments", .integer).notNull().defaults(to: 1)
      }
      try db.create(table: "step") { table in
        table.column("sessionId", .integer).notNull()
          .references("session", onDelete: .cascade)
        table.column("stepIndex", .integer).notNull()
        table.column("exercise", .text).notNull()
        table.column("side", .text)
        table.column("direction", .text)
        table.column("target", .integer).notNull()
        table.column("count", .integer).notNull()
        table.column("partialCount", .integer).notNull()
        table.column("manualAdjustment", .integer).notNull()
        // NULL while the step is open.
        table.column("ending", .text)
        table.column("flags", .text).notNull()
        table.column("medianRangeDegrees", .double)
        table.column("medianDurationSeconds", .double)
        table.column("tempoCV", .double)
        table.column("rangeCV", .double)
        table.column("rangeLostPercent", .double)
        table.primaryKey(["sessionId", "stepIndex"])
      }
      try db.create(table: "rep") { table in
        table.column("sessionId", .integer).notNull()
          .references("session", onDelete: .cascade)
        table.column("sequence", .integer).notNull()
        table.column("segment", .integer).notNull()
        table.column("stepIndex", .integer).notNull()
        table.column("exercise", .text).notNull()
        table.column("repIndex", .integer).notNull()
        table.column("startSeconds", .double).notNull()
        table.column("endSeconds", .double).notNull()
        table.column("direction", .text)
        table.column("side", .text)
        table.column("partial", .boolean).notNull()
        table.column("counted", .boolean).notNull()
        table.column("rangeDegrees", .double)
        table.column("peakAngularVelocityDPS", .double)
        table.column("smoothness", .double)
        table.column("flags", .text).notNull()
        table.column("recordedAt", .datetime).notNull()
        table.primaryKey(["sessionId", "sequence"])
      }
      try db.create(table: "signal") { table in
        table.column("sessionId", .integer).notNull()
          .references("session", onDelete: .cascade)
        table.column("segment", .integer).notNull()
        table.column("timeSeconds", .double).notNull()
        table.column("tiltXDegrees", .double).notNull()
        table.column("tiltYDegrees", .double).notNull()
        table.column("angularSpeedDPS", .double).notNull()
      }
      try db.create(index: "signal_by_session", on: "signal", columns: ["sessionId", "segment"])
    }
    migrator.registerMigration("v2: each repetition's tilt about the body's axes") { db in
      try db.alter(table: "rep") { table in
        table.add(column: "sagittalDegrees", .double)
        table.add(column: "lateralDegrees", .double)
      }
    }
    return migrator
  }

  private func write<T>(_ what: String, _ body: (Database) throws -> T) throws(HistoryError) -> T {
    do {
      return try pool.write(body)
    } catch {
      throw HistoryError(path: path, message: "cannot \(what): \(error)")
    }
  }

  private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(HistoryError) -> T {
    do {
      return try pool.read(body)
    } catch {
      throw HistoryError(path: path, message: "cannot \(what): \(error)")
    }
  }

  // MARK: - Recording

  /// Starts a new session and writes every step as open; returns its id.
  public func startSession(plan: Plan, source: String, at date: Date) throws(HistoryError)
    -> Int64
  {
    try write("start a session") { db in
      try db.execute(
        sql: """
          INSERT INTO session (startedAt, planName, planYAML, source, status, segments)
          VALUES (?, ?, ?, ?, 'running', 1)
          """,
        arguments: [date, plan.name, plan.yaml, source])
      let id = db.lastInsertedRowID
      for (index, step) in plan.steps.enumerated() {
        try db.execute(
          sql: """
            INSERT INTO step (sessionId, stepIndex, exercise, side, direction, target, count,
              partialCount, manualAdjustment, flags)
            VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '')
            """,
          arguments: [
            id, index, step.exercise.rawValue, step.side?.rawValue, step.direction?.rawValue,
            step.targetReps,
          ])
      }
      return id
    }
  }

  /// Marks a session as running again for a new recording segment; returns the segment number.
  public func resumeSession(_ id: Int64) throws(HistoryError) -> Int {
    try write("resume session \(id)") { db in
      try db.execute(
        sql:
          "UPDATE session SET status = 'running', endedAt = NULL, segments = segments + 1 WHERE id = ?",
        arguments: [id])
      return try Int.fetchOne(db, sql: "SELECT segments FROM session WHERE id = ?", arguments: [id])
        ?? 1
    }
  }

  /// Writes what one tracker event changed, in one transaction.
  public func record(
    _ event: SessionEvent, session id: Int64, segment: Int, at date: Date
  ) throws(HistoryError) {
    switch event {
    case .rep(let rep):
      try write("record a repetition") { db in
        try Self.upsert(rep, session: id, segment: segment, date: date, db: db)
        try db.execute(
          sql:
            "UPDATE step SET count = ?, partialCount = partialCount + ? WHERE sessionId = ? AND stepIndex = ?",
          arguments: [
            rep.stepCount, rep.flags.contains(.partial) && !rep.counted ? 1 : 0, id, rep.stepIndex,
          ])
        if rep.isManual {
          try db.execute(
            sql:
              "UPDATE step SET manualAdjustment = manualAdjustment + 1 WHERE sessionId = ? AND stepIndex = ?",
            arguments: [id, rep.stepIndex])
        }
      }
    case .removed(let stepIndex, let stepCount):
      try write("record a correction") { db in
        try db.execute(
          sql:
            "UPDATE step SET count = ?, manualAdjustment = manualAdjustment - 1 WHERE sessionId = ? AND stepIndex = ?",
          arguments: [stepCount, id, stepIndex])
      }
    case .stepEnded(let result):
      try write("record the end of a step") { db in
        let feedback = result.feedback
        try db.execute(
          sql: """
            UPDATE step SET count = ?, partialCount = ?, manualAdjustment = ?, ending = ?,
              flags = ?, medianRangeDegrees = ?, medianDurationSeconds = ?, tempoCV = ?,
              rangeCV = ?, rangeLostPercent = ?
            WHERE sessionId = ? AND stepIndex = ?
            """,
          arguments: [
            result.count, result.partialCount, result.manualAdjustment, result.ending.rawValue,
            result.flags.map(\.rawValue).joined(separator: ","), feedback.medianRangeDegrees,
            feedback.medianDurationSeconds, feedback.tempoCoefficientOfVariation,
            feedback.rangeCoefficientOfVariation, feedback.rangeLostPercent, id, result.index,
          ])
      }
    case .longPause:
      break
    }
  }

  private static func upsert(
    _ rep: SessionRep, session id: Int64, segment: Int, date: Date, db: Database
  ) throws {
    let event = rep.event
    func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
    try db.execute(
      sql: """
        INSERT OR REPLACE INTO rep (sessionId, sequence, segment, stepIndex, exercise, repIndex,
          startSeconds, endSeconds, direction, side, partial, counted, rangeDegrees,
          peakAngularVelocityDPS, smoothness, flags, recordedAt, sagittalDegrees, lateralDegrees)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        id, rep.sequence, segment, rep.stepIndex, event.exercise.rawValue, event.index,
        event.startSeconds, event.endSeconds, event.direction?.rawValue, event.side?.rawValue,
        event.isPartial, rep.counted, finite(event.metrics.rangeDegrees),
        finite(event.metrics.peakAngularVelocityDPS), finite(event.metrics.smoothness),
        rep.flags.map(\.rawValue).joined(separator: ","), date,
        event.metrics.bodyTilt.flatMap { finite($0.sagittalDegrees) },
        event.metrics.bodyTilt.flatMap { finite($0.lateralDegrees) },
      ])
  }

  /// Appends trace samples (one transaction for the batch).
  public func appendSignal(_ samples: [SignalSample], session id: Int64, segment: Int)
    throws(HistoryError)
  {
    guard !samples.isEmpty else { return }
    try write("record the signal trace") { db in
      let statement = try db.makeStatement(
        sql: """
          INSERT INTO signal (sessionId, segment, timeSeconds, tiltXDegrees, tiltYDegrees,
            angularSpeedDPS) VALUES (?, ?, ?, ?, ?, ?)
          """)
      for sample in samples {
        try statement.execute(arguments: [
          id, segment, sample.timeSeconds, sample.tiltXDegrees, sample.tiltYDegrees,
          sample.angularSpeedDPS,
        ])
      }
    }
  }

  /// Closes a session: `finished` at the end of the plan or the recording, `interrupted` when
  /// stopped early (it can be resumed).
  public func endSession(_ id: Int64, status: SessionRecord.Status, at date: Date)
    throws(HistoryError)
  {
    try write("end the session") { db in
      try db.execute(
        sql: "UPDATE session SET status = ?, endedAt = ? WHERE id = ?",
        arguments: [status.rawValue, date, id])
    }
  }

  // MARK: - Reading

  private static func sessionRecord(_ row: Row) -> SessionRecord {
    SessionRecord(
      id: row["id"], startedAt: row["startedAt"], endedAt: row["endedAt"],
      planName: row["planName"], planYAML: row["planYAML"], source: row["source"],
      status: SessionRecord.Status(rawValue: row["status"]) ?? .interrupted,
      segments: row["segments"])
  }

  /// All sessions, oldest first.
  public func sessions() throws(HistoryError) -> [SessionRecord] {
    try read("list sessions") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY startedAt, id").map(
        Self.sessionRecord)
    }
  }

  public func session(id: Int64) throws(HistoryError) -> SessionRecord? {
    try read("read session \(id)") { db in
      try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id]).map(
        Self.sessionRecord)
    }
  }

  /// Every repetition of a session in the order they happened (the last version of each).
  public func reps(session id: Int64) throws(HistoryError) -> [SessionRep] {
    try read("read repetitions") { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM rep WHERE sessionId = ? ORDER BY sequence", arguments: [id]
      ).map(Self.sessionRep)
    }
  }

  /// The segment each repetition of a session was recorded in, by sequence.
  public func repSegments(session id: Int64) throws(HistoryError) -> [Int: Int] {
    try read("read repetitions") { db in
      var segments: [Int: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT sequence, segment FROM rep WHERE sessionId = ?", arguments: [id])
      {
        segments[row["sequence"]] = row["segment"]
      }
      return segments
    }
  }

  private static func sessionRep(_ row: Row) -> SessionRep {
    let bodyTilt = (row["sagittalDegrees"] as Double?).flatMap { sagittal in
      (row["lateralDegrees"] as Double?).map {
        BodyTiltRanges(sagittalDegrees: sagittal, lateralDegrees: $0)
      }
    }
    let flags = (row["flags"] as String).split(separator: ",").compactMap {
      RepFlag(rawValue: String($0))
    }
    let event = RepEvent(
      exercise: Exercise(rawValue: row["exercise"]) ?? .any, index: row["repIndex"],
      startSeconds: row["startSeconds"], endSeconds: row["endSeconds"],
      direction: (row["direction"] as String?).flatMap(RotationDirection.init(rawValue:)),
      side: (row["side"] as String?).flatMap(BodySide.init(rawValue:)),
      isPartial: row["partial"],
      metrics: RepMetrics(
        rangeDegrees: row["rangeDegrees"] ?? .nan,
        peakAngularVelocityDPS: row["peakAngularVelocityDPS"] ?? .nan,
        smoothness: row["smoothness"] ?? .nan, bodyTilt: bodyTilt))
    return SessionRep(
      stepIndex: row["stepIndex"], event: event, counted: row["counted"],
      stepCount: row["repIndex"], flags: flags, sequence: row["sequence"])
  }

  /// The steps of a session as results (open steps have `ending == nil` → reported as
  /// `.sessionEnded` with the count so far), with their repetitions.
  public func stepResults(session id: Int64) throws(HistoryError) -> [(
    result: StepResult, isOpen: Bool
  )] {
    let reps = try reps(session: id)
    // The stored plan keeps what the step table does not (tempo); the table wins on the rest.
    let plan = try session(id: id).flatMap {
      try? PlanParser.parse(yaml: $0.planYAML, source: "history session \(id)")
    }
    return try read("read steps") { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM step WHERE sessionId = ? ORDER BY stepIndex", arguments: [id]
      ).map { row in
        let index: Int = row["stepIndex"]
        let stored = PlanStep(
          exercise: Exercise(rawValue: row["exercise"]) ?? .any, targetReps: row["target"],
          side: (row["side"] as String?).flatMap(BodySide.init(rawValue:)),
          direction: (row["direction"] as String?).flatMap(RotationDirection.init(rawValue:)))
        var step = stored
        if let plan, index < plan.steps.count, plan.steps[index].exercise == stored.exercise {
          step.tempoSeconds = plan.steps[index].tempoSeconds
        }
        let ending = (row["ending"] as String?).flatMap(StepEnding.init(rawValue:))
        let flags = (row["flags"] as String).split(separator: ",").compactMap {
          StepFlag(rawValue: String($0))
        }
        let stepReps = reps.filter { $0.stepIndex == index }
        let feedback = SetFeedback(
          count: row["count"], medianRangeDegrees: row["medianRangeDegrees"],
          medianDurationSeconds: row["medianDurationSeconds"],
          tempoCoefficientOfVariation: row["tempoCV"], rangeCoefficientOfVariation: row["rangeCV"],
          rangeLostPercent: row["rangeLostPercent"],
          flags: flags.filter { [.unevenTempo, .unevenRange, .rangeLost].contains($0) })
        let result = StepResult(
          index: index, step: step, count: row["count"], partialCount: row["partialCount"],
          manualAdjustment: row["manualAdjustment"], ending: ending ?? .sessionEnded,
          flags: flags, reps: stepReps, feedback: feedback,
          startSeconds: stepReps.first?.event.startSeconds,
          endSeconds: stepReps.last?.event.endSeconds)
        return (result, ending == nil)
      }
    }
  }

  /// The decimated signal of a session, by segment, in time order.
  public func signal(session id: Int64) throws(HistoryError) -> [(segment: Int, SignalSample)] {
    try read("read the signal trace") { db in
      try Row.fetchAll(
        db,
        sql: "SELECT * FROM signal WHERE sessionId = ? ORDER BY segment, timeSeconds",
        arguments: [id]
      ).map { row in
        (
          row["segment"],
          SignalSample(
            timeSeconds: row["timeSeconds"], tiltXDegrees: row["tiltXDegrees"],
            tiltYDegrees: row["tiltYDegrees"], angularSpeedDPS: row["angularSpeedDPS"])
        )
      }
    }
  }

  /// The most recent session that stopped before its plan was done and can be resumed.
  public func resumePoint() throws(HistoryError) -> ResumePoint? {
    let candidates = try sessions().reversed().filter { $0.status != .finished }
    guard let session = candidates.first else { return nil }
    let plan: Plan
    do {
      plan = try PlanParser.parse(yaml: session.planYAML, source: "history session \(session.id)")
    } catch {
      throw HistoryError(
        path: path, message: "session \(session.id) has an unreadable plan: \(error)")
    }
    let steps = try stepResults(session: session.id)
    guard let open = steps.first(where: { $0.isOpen }) else { return nil }
    let lastSequence = try read("read repetitions") { db in
      try Int.fetchOne(
        db, sql: "SELECT MAX(sequence) FROM rep WHERE sessionId = ?", arguments: [session.id])
    }
    return ResumePoint(
      session: session, plan: plan, stepIndex: open.result.index, stepCount: open.result.count,
      priorResults: steps.filter { !$0.isOpen && $0.result.index < open.result.index }.map(
        \.result),
      nextSequence: (lastSequence ?? -1) + 1)
  }
}
