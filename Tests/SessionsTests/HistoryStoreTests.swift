import Foundation
import GRDB
import MotionCore
import Testing

@testable import Sessions

/// A fresh folder per test, removed afterwards.
final class TemporaryFolder {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "repcount-sessions-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct HistoryStoreTests {
  let plan = BuiltInPlans.plan(named: "back-basics")!

  @Test func defaultPathFollowsXDG() {
    #expect(
      HistoryStore.defaultPath(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/u"])
        == "/x/data/repcount/history.sqlite")
    #expect(
      HistoryStore.defaultPath(environment: ["HOME": "/home/u"])
        == "/home/u/.local/share/repcount/history.sqlite")
    // A relative XDG path is invalid per the spec and ignored.
    #expect(
      HistoryStore.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"])
        == "/home/u/.local/share/repcount/history.sqlite")
  }

  @Test func everyRepIsStoredAsItHappensAndStepsClose() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/nested/history.sqlite"
    var script = ScriptBuilder()
    script.reps(.kneeLift, 10, seconds: 2, side: .right)
    script.reps(.kneeLift, 3, seconds: 2, side: .left)
    var tracker = SessionTracker(plan: plan) {
      ScriptedDetector(exercise: $0, script: script.events)
    }
    let store = try HistoryStore(path: path)
    let id = try store.startSession(
      plan: plan, source: "test", at: Date(timeIntervalSince1970: 1_000))
    var time = 0.0
    var repsSeen = 0
    while time < 28 {
      for event in tracker.process(MotionFrame(timeSeconds: time, accelerationG: Vector3(0, 0, 1)))
      {
        try store.record(event, session: id, segment: 1, at: Date())
        if case .rep = event {
          repsSeen += 1
          // A second connection sees the repetition at once: it was committed.
          let reader = try HistoryStore(path: path)
          #expect(try reader.reps(session: id).count == repsSeen)
        }
      }
      time += 0.05
    }
    #expect(repsSeen == 13)
    let steps = try store.stepResults(session: id)
    #expect(steps.count == 5)
    #expect(steps[0].result.count == 10 && steps[0].isOpen == false)
    #expect(steps[0].result.flags.contains(.complete))
    #expect(steps[1].result.count == 3 && steps[1].isOpen)
    #expect(steps[2].result.count == 0 && steps[2].isOpen)

    // Not ended: the session is resumable at step 1 with 3 counted.
    let resume = try #require(try store.resumePoint())
    #expect(resume.session.id == id)
    #expect(resume.plan == plan)
    #expect(resume.stepIndex == 1)
    #expect(resume.stepCount == 3)
    #expect(resume.priorResults.map(\.count) == [10])
    #expect(resume.nextSequence == 13)
    #expect(try store.resumeSession(id) == 2)

    try store.endSession(id, status: .finished, at: Date())
    #expect(try store.resumePoint() == nil)
    #expect(try store.session(id: id)?.status == .finished)
  }

  @Test func journalIsWAL() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/history.sqlite"
    let store = try HistoryStore(path: path)
    _ = try store.startSession(plan: plan, source: "test", at: Date())
    let header = try #require(FileManager.default.contents(atPath: path))
    // SQLite header bytes 18 and 19 are 2 in WAL mode.
    #expect(header[18] == 2 && header[19] == 2)
  }

  @Test func creditedRepsReplaceTheirEarlierVersion() throws {
    let folder = TemporaryFolder()
    let store = try HistoryStore(path: folder.path + "/h.sqlite")
    let rolls = Plan(name: "rolls", steps: Array(plan.steps[3...4]))
    var script = ScriptBuilder()
    script.reps(.hipRoll, 9, seconds: 4, direction: .clockwise)
    script.reps(.hipRoll, 4, seconds: 4, direction: .counterclockwise)
    let id = try store.startSession(plan: rolls, source: "test", at: Date())
    let (_, events) = runTracker(plan: rolls, script: script.events)
    for event in events { try store.record(event, session: id, segment: 1, at: Date()) }
    let reps = try store.reps(session: id)
    #expect(reps.count == 13)
    #expect(reps.filter { $0.counted && $0.stepIndex == 1 }.count == 4)
    let steps = try store.stepResults(session: id)
    #expect(steps.map(\.result.count) == [9, 4])
    #expect(steps[0].result.ending == .movedOn)
  }

  @Test func signalRoundTrips() throws {
    let folder = TemporaryFolder()
    let store = try HistoryStore(path: folder.path + "/h.sqlite")
    let id = try store.startSession(plan: plan, source: "test", at: Date())
    let samples = (0..<50).map {
      SignalSample(
        timeSeconds: Double($0) / 10, tiltXDegrees: Double($0), tiltYDegrees: -1, angularSpeedDPS: 3
      )
    }
    try store.appendSignal(samples, session: id, segment: 1)
    let stored = try store.signal(session: id)
    #expect(stored.count == 50)
    #expect(stored[49].1 == samples[49])
  }

  @Test func eachRepKeepsItsTiltAboutTheBodysAxes() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/h.sqlite"
    // A history written before the tilt was kept: its repetitions read back without one.
    let old = try DatabaseQueue(path: path)
    try HistoryStore.migrator.migrate(old, upTo: "v1: sessions, steps, reps, signal")
    try old.write { db in
      try db.execute(
        sql: """
          INSERT INTO session (startedAt, planName, planYAML, source, status)
          VALUES (?, 'back-basics', '', 'test', 'interrupted');
          INSERT INTO rep (sessionId, sequence, segment, stepIndex, exercise, repIndex,
            startSeconds, endSeconds, partial, counted, rangeDegrees, flags, recordedAt)
          VALUES (1, 0, 1, 0, 'knee-lift', 1, 1, 3, 0, 1, 12.5, '', ?)
          """, arguments: [Date(), Date()])
    }
    try old.close()
    let store = try HistoryStore(path: path)
    let tilt = BodyTiltRanges(sagittalDegrees: 10.5, lateralDegrees: 2.75)
    let event = RepEvent(
      exercise: .kneeLift, index: 2, startSeconds: 4, endSeconds: 6.5, side: .right,
      metrics: RepMetrics(
        rangeDegrees: 12, peakAngularVelocityDPS: 30, smoothness: -6, bodyTilt: tilt))
    try store.record(
      .rep(
        SessionRep(
          stepIndex: 0, event: event, counted: true, stepCount: 2, flags: [], sequence: 1)),
      session: 1, segment: 1, at: Date())
    let reps = try store.reps(session: 1)
    #expect(reps.map(\.event.metrics.bodyTilt) == [nil, tilt])
  }

  @Test func unwritablePlaceIsAClearError() {
    #expect {
      _ = try HistoryStore(path: "/proc/repcount-cannot/history.sqlite")
    } throws: { error in
      (error as? HistoryError)?.description.hasPrefix("/proc/repcount-cannot") == true
    }
  }
}

@Suite struct SignalTraceTests {
  @Test func traceFollowsTiltAndDecimates() {
    var recorder = SignalTraceRecorder(intervalSeconds: 0.1, referenceSeconds: 1)
    var samples: [SignalSample] = []
    // 1 s upright, then tilted 30° about the sensor's y axis, at 100 Hz.
    for step in 0..<300 {
      let time = Double(step) / 100
      let angle = time < 1.5 ? 0 : 30 * Double.pi / 180
      let frame = MotionFrame(
        timeSeconds: time, accelerationG: Vector3(sin(angle), 0, cos(angle)),
        angularVelocityDPS: Vector3(0, 5, 0))
      if let sample = recorder.process(frame) { samples.append(sample) }
    }
    #expect(samples.count >= 18 && samples.count <= 21)
    let last = samples[samples.count - 1]
    let tilt = (last.tiltXDegrees * last.tiltXDegrees + last.tiltYDegrees * last.tiltYDegrees)
      .squareRoot()
    #expect(abs(tilt - 30) < 0.5)
    #expect(abs(last.angularSpeedDPS - 5) < 1e-9)
  }
}

@Suite struct SessionJSONTests {
  @Test func repLineHasCountFieldsFirst() {
    let event = RepEvent(
      exercise: .hipRoll, index: 3, startSeconds: 10.1, endSeconds: 12.8, direction: .clockwise,
      metrics: RepMetrics(rangeDegrees: 9.5, peakAngularVelocityDPS: .nan, smoothness: -1.75))
    let rep = SessionRep(
      stepIndex: 3, event: event, counted: true, stepCount: 3, flags: [.tooFast], sequence: 22)
    #expect(
      SessionJSON.repLine(rep)
        == #"{"event":"rep","exercise":"hip-roll","index":3,"start":10.1,"end":12.8,"direction":"clockwise","rangeDegrees":9.5,"durationSeconds":2.7,"peakAngularVelocityDPS":null,"smoothness":-1.75,"partial":false,"step":3,"counted":true,"stepCount":3,"sequence":22,"flags":["too-fast"]}"#
    )
  }

  @Test func repFieldsCarryTheMeasurementsPrecision() {
    let event = RepEvent(
      exercise: .kneeLift, index: 1, startSeconds: 100.123456, endSeconds: 102.987654,
      side: .left,
      metrics: RepMetrics(
        rangeDegrees: 71.23456, peakAngularVelocityDPS: 150.06, smoothness: -3.14159))
    #expect(
      JSONValue.object(SessionJSON.repFields(event, originSeconds: 100)).text
        == #"{"event":"rep","exercise":"knee-lift","index":1,"start":0.123,"end":2.988,"side":"left","rangeDegrees":71.23,"durationSeconds":2.864,"peakAngularVelocityDPS":150.1,"smoothness":-3.14,"partial":false}"#
    )
  }

  @Test func repLineCarriesTheBodyTiltWhenMeasured() {
    let event = RepEvent(
      exercise: .twist, index: 1, startSeconds: 1, endSeconds: 3.5,
      metrics: RepMetrics(
        rangeDegrees: 40, peakAngularVelocityDPS: 80, smoothness: -6,
        bodyTilt: BodyTiltRanges(sagittalDegrees: 1.5, lateralDegrees: 6.25)))
    let line = SessionJSON.repLine(
      SessionRep(stepIndex: 2, event: event, counted: true, stepCount: 1, flags: [], sequence: 0))
    #expect(line.contains(#""rangeDegrees":40,"sagittalDegrees":1.5,"lateralDegrees":6.25,"#))
  }

  @Test func stepAndSummaryLinesParseAsJSON() throws {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 10, seconds: 2, range: 40, side: .right)
    script.reps(.kneeLift, 10, seconds: 2, range: 30, side: .left)
    let plan = BuiltInPlans.plan(named: "back-basics")!
    let (tracker, events) = runTracker(plan: plan, script: script.events)
    let lines = events.map { SessionJSON.line(for: $0) }
    let summary = SessionSummary(planName: plan.name, results: tracker.results)
    let all = lines + [SessionJSON.summaryLine(summary, sessionID: 7)]
    let objects = try all.map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let steps = objects.filter { $0["event"] as? String == "step" }
    #expect(steps.count == 5)
    #expect(steps[0]["side"] as? String == "right")
    #expect(steps[0]["count"] as? Int == 10)
    #expect(steps[0]["target"] as? Int == 10)
    #expect(steps[0]["flags"] as? [String] == ["complete"])
    let last = try #require(objects.last)
    #expect(last["event"] as? String == "summary")
    #expect(last["count"] as? Int == 20)
    #expect(last["target"] as? Int == 50)
    let symmetry = try #require((last["symmetry"] as? [[String: Any]])?.first)
    // left 30°, right 40°: |30 − 40| / 35 = 28.6 %, above the 10 % flag.
    #expect(abs((symmetry["indexPercent"] as? Double ?? 0) - 28.571_428) < 1e-3)
    #expect(symmetry["flagged"] as? Bool == true)
  }

  @Test func stringsAreEscaped() {
    #expect(JSONValue.string("a\"b\\c\n\u{1}").text == #""a\"b\\c\n\u0001""#)
  }
}
