import Foundation
import MotionCore
import Testing

@testable import Sessions

/// Records a scripted session (reps, steps and a synthetic signal) into a store.
@discardableResult
func recordScriptedSession(
  into store: HistoryStore, plan: Plan, script: [RepEvent], startedAt: Date, finish: Bool = true
) throws -> Int64 {
  let id = try store.startSession(plan: plan, source: "test", at: startedAt)
  var tracker = SessionTracker(plan: plan) { ScriptedDetector(exercise: $0, script: script) }
  var recorder = SignalTraceRecorder()
  var samples: [SignalSample] = []
  let end = (script.map(\.endSeconds).max() ?? 0) + 1
  var time = 0.0
  while time <= end {
    let angle = sin(time * 2 * Double.pi / 3) * 0.3
    let frame = MotionFrame(
      timeSeconds: time, accelerationG: Vector3(sin(angle), 0, cos(angle)),
      angularVelocityDPS: Vector3(0, 20, 0))
    if let sample = recorder.process(frame) { samples.append(sample) }
    for event in tracker.process(frame) {
      try store.record(event, session: id, segment: 1, at: startedAt)
    }
    time += 0.02
  }
  try store.appendSignal(samples, session: id, segment: 1)
  if finish {
    for event in tracker.finish() {
      try store.record(event, session: id, segment: 1, at: startedAt)
    }
    try store.endSession(id, status: .finished, at: startedAt)
  }
  return id
}

@Suite struct ReportAndOverviewTests {
  let plan = BuiltInPlans.plan(named: "back-basics")!

  func script(kneeRange: Double) -> [RepEvent] {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 10, seconds: 2, range: kneeRange, side: .right)
    script.reps(.kneeLift, 10, seconds: 2, range: kneeRange * 0.8, side: .left)
    script.reps(.twist, 3, seconds: 0.5, range: 20)
    return script.events
  }

  @Test func overviewTotalsAndWeeks() throws {
    let folder = TemporaryFolder()
    let store = try HistoryStore(path: folder.path + "/h.sqlite")
    let monday = Date(timeIntervalSince1970: 1_763_942_400)  // 2025-11-24, a Monday
    try recordScriptedSession(
      into: store, plan: plan, script: script(kneeRange: 20), startedAt: monday)
    try recordScriptedSession(
      into: store, plan: plan, script: script(kneeRange: 30), startedAt: monday + 8 * 86_400)
    let overview = try HistoryOverview(store: store)
    #expect(overview.sessions.map(\.countedReps) == [23, 23])
    #expect(overview.sessions[0].completeSteps == 2)
    let knee = try #require(overview.allTime.first { $0.exercise == .kneeLift })
    #expect(knee.sessions == 2 && knee.countedReps == 40)
    #expect(
      overview.weeks.filter { $0.exercise == .kneeLift }.map(\.medianRangeDegrees) == [18, 27])
    #expect(HistoryOverview.weekStart(of: monday + 3 * 86_400 + 500) == monday)
    let onlyHipRolls = try HistoryOverview(store: store, exercise: .hipRoll)
    #expect(onlyHipRolls.sessions.isEmpty)
  }

  @Test func reportHasEveryChartAndNoExternalReference() throws {
    let folder = TemporaryFolder()
    let store = try HistoryStore(path: folder.path + "/h.sqlite")
    let start = Date(timeIntervalSince1970: 1_763_942_400)
    try recordScriptedSession(
      into: store, plan: plan, script: script(kneeRange: 20), startedAt: start)
    let id = try recordScriptedSession(
      into: store, plan: plan, script: script(kneeRange: 30), startedAt: start + 86_400)
    let html = ReportRenderer.html(try ReportData(store: store, sessionID: id))
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    for chart in [
      "id=\"signal\"", "id=\"step-0\"", "id=\"step-1\"", "id=\"step-2\"", "id=\"trend\"",
    ] {
      #expect(html.contains(chart), "missing \(chart)")
    }
    // Steps never started get no chart.
    #expect(!html.contains("id=\"step-3\""))
    // One band per repetition, one range and one tempo bar per counted repetition.
    #expect(html.components(separatedBy: "class=\"rep-band").count - 1 == 23)
    #expect(html.components(separatedBy: "bar range-bar").count - 1 == 23)
    #expect(html.components(separatedBy: "bar tempo-bar").count - 1 == 23)
    // The quick twists carry the plan's "go gently" remark.
    #expect(html.contains("Go gently: that took 0.5 s, take at least 1.5 s per repetition."))
    #expect(html.contains("Knee lifts: left vs right differ by 22 %"))
    // Two sessions on the trend line for knee lifts.
    #expect(html.components(separatedBy: "class=\"trend-point\"").count - 1 == 4)
    // Self-contained: no scripts, links or fetched resources.
    for external in ["<script", "<link", "src=", "href=", "@import", "url("] {
      #expect(!html.contains(external), "found \(external)")
    }
    // Every opened SVG is closed.
    #expect(
      html.components(separatedBy: "<svg").count == html.components(separatedBy: "</svg>").count)
  }

  /// Twists from an accelerometer alone carry no range: the range row says it was not
  /// measured instead of drawing empty bars against a made-up 1° scale.
  @Test func unmeasuredRangeIsSaidNotDrawn() throws {
    let folder = TemporaryFolder()
    let store = try HistoryStore(path: folder.path + "/h.sqlite")
    var builder = ScriptBuilder()
    builder.reps(.twist, 4, seconds: 2, range: .nan)
    let twists = Plan(name: "twists", steps: [PlanStep(exercise: .twist, targetReps: 4)])
    let id = try recordScriptedSession(
      into: store, plan: twists, script: builder.events,
      startedAt: Date(timeIntervalSince1970: 1_763_942_400))
    let html = ReportRenderer.html(try ReportData(store: store, sessionID: id))
    #expect(html.contains("not measured: without a gyroscope a twist has no angle"))
    #expect(html.components(separatedBy: "bar range-bar").count - 1 == 0)
    #expect(html.components(separatedBy: "bar tempo-bar").count - 1 == 4)
  }

  @Test func unknownSessionIsAClearError() throws {
    let folder = TemporaryFolder()
    let store = try HistoryStore(path: folder.path + "/h.sqlite")
    #expect(throws: HistoryError.self) { try ReportData(store: store, sessionID: 42) }
  }
}

@Suite struct ReportSignalTests {
  @Test func unwrapRemovesTurnJumps() {
    #expect(ReportRenderer.unwrapDegrees([170, -170, -150, 170]) == [170, 190, 210, 170])
  }

  @Test func postureChangeIsTakenOutButRepsStay() {
    // 20 s at 10 Hz: an 8° oscillation (2.5 s period) on a posture that jumps by 80° at 10 s.
    let trace = (0..<200).map { index -> (segment: Int, sample: SignalSample) in
      let time = Double(index) / 10
      let posture = time < 10 ? 0.0 : 80
      return (
        1,
        SignalSample(
          timeSeconds: time, tiltXDegrees: posture + 8 * sin(2 * Double.pi * time / 2.5),
          tiltYDegrees: 0, angularSpeedDPS: 0)
      )
    }
    let moving = ReportRenderer.movementOnly(trace)
    // Away from the jump (±2 s window), only the oscillation remains.
    for item in moving
    where abs(item.sample.timeSeconds - 10) > 2.5 && item.sample.timeSeconds > 2.5
      && item.sample.timeSeconds < 17.5
    {
      let expected = 8 * sin(2 * Double.pi * item.sample.timeSeconds / 2.5)
      // A 4 s mean over a 2.5 s period leaves sin(πW/P)/(πW/P) ≈ −0.19 of the wave: ≤ 1.52°.
      #expect(abs(item.sample.tiltXDegrees - expected) < 8 * 0.19 + 0.05)
    }
  }
}

@Suite struct RepShapeTests {
  func circle(radius: Double, turns: Double = 1, phase: Double = 0) -> [SignalSample] {
    (0...40).map { index in
      let angle = phase + 2 * Double.pi * turns * Double(index) / 40
      return SignalSample(
        timeSeconds: Double(index) / 10, tiltXDegrees: radius * cos(angle),
        tiltYDegrees: radius * sin(angle), angularSpeedDPS: 0)
    }
  }

  @Test func sameShapeAtAnotherTempoIsClose() throws {
    let a = try #require(RepShape.shape(from: circle(radius: 10), start: 0, end: 4))
    // The same circle, but the first half slower: warping absorbs the timing.
    let slow = (0...40).map { index -> SignalSample in
      let progress = Double(index) / 40
      let warped = progress < 0.5 ? progress * 0.6 : 0.3 + (progress - 0.5) * 1.4
      let angle = 2 * Double.pi * warped
      return SignalSample(
        timeSeconds: Double(index) / 10, tiltXDegrees: 10 * cos(angle),
        tiltYDegrees: 10 * sin(angle), angularSpeedDPS: 0)
    }
    let b = try #require(RepShape.shape(from: slow, start: 0, end: 4))
    let line = try #require(
      RepShape.shape(
        from: (0...40).map {
          SignalSample(
            timeSeconds: Double($0) / 10, tiltXDegrees: Double($0) - 20, tiltYDegrees: 0,
            angularSpeedDPS: 0)
        }, start: 0, end: 4))
    #expect(RepShape.distance(a, a) == 0)
    #expect(RepShape.distance(a, b) < 2)
    #expect(RepShape.distance(a, line) > 5)
  }

  @Test func theOddRepetitionIsFlagged() throws {
    var shapes: [[(Double, Double)]] = []
    for radius in [10.0, 10.5, 9.5, 10.2, 9.8] {
      shapes.append(try #require(RepShape.shape(from: circle(radius: radius), start: 0, end: 4)))
    }
    // A back-and-forth swing instead of a circle.
    let swing = (0...40).map { index in
      SignalSample(
        timeSeconds: Double(index) / 10,
        tiltXDegrees: 10 * sin(2 * Double.pi * Double(index) / 40), tiltYDegrees: 0,
        angularSpeedDPS: 0)
    }
    shapes.append(try #require(RepShape.shape(from: swing, start: 0, end: 4)))
    let result = RepShape.compareWithSet(shapes)
    #expect(result.map(\.isOdd) == [false, false, false, false, false, true])
  }
}
