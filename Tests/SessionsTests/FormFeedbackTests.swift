import MotionCore
import Testing

@testable import Sessions

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct FormFeedbackTests {
  func reps(durations: [Double], ranges: [Double]) -> [RepEvent] {
    var time = 0.0
    return zip(durations, ranges).enumerated().map { index, pair in
      defer { time += pair.0 }
      return RepEvent(
        exercise: .twist, index: index + 1, startSeconds: time, endSeconds: time + pair.0,
        metrics: RepMetrics(rangeDegrees: pair.1, peakAngularVelocityDPS: 0, smoothness: .nan))
    }
  }

  @Test func coefficientOfVariationIsSampleBased() throws {
    // mean 4, sample standard deviation 2 → 0.5
    let cv = try #require(FormFeedback.coefficientOfVariation([2, 4, 6]))
    #expect(abs(cv - 0.5) < 1e-12)
    #expect(FormFeedback.coefficientOfVariation([3]) == nil)
  }

  @Test func symmetryIndexFollowsRobinson() throws {
    let index = try #require(FormFeedback.symmetryIndexPercent(45, 55))
    #expect(abs(index - 20) < 1e-12)
    #expect(FormFeedback.symmetryIndexPercent(0, 0) == nil)
  }

  @Test func steadySetHasNoFlags() {
    let feedback = FormFeedback.setFeedback(
      for: reps(durations: [3, 3.1, 2.9, 3, 3.05, 2.95], ranges: [40, 41, 39, 40, 40.5, 39.5]))
    #expect(feedback.flags.isEmpty)
    #expect(feedback.medianRangeDegrees == 40)
  }

  @Test func tiringSetLosesRange() throws {
    let feedback = FormFeedback.setFeedback(
      for: reps(
        durations: Array(repeating: 3, count: 9), ranges: [40, 40, 40, 36, 34, 32, 28, 28, 28]))
    let lost = try #require(feedback.rangeLostPercent)
    #expect(abs(lost - 30) < 1e-9)
    #expect(feedback.flags.contains(.rangeLost))
  }

  @Test func unevenTempoIsFlagged() {
    let feedback = FormFeedback.setFeedback(
      for: reps(durations: [2, 5, 2, 5, 2, 5], ranges: Array(repeating: 40, count: 6)))
    #expect(feedback.flags == [.unevenTempo])
  }

  @Test func tooFewRepsGiveNoSetStatistics() {
    let feedback = FormFeedback.setFeedback(for: reps(durations: [2, 5, 9], ranges: [10, 40, 80]))
    #expect(feedback.tempoCoefficientOfVariation == nil)
    #expect(feedback.flags.isEmpty)
  }

  @Test func everyFlagHasASentence() {
    let event = reps(durations: [3], ranges: [30])[0]
    let step = PlanStep(
      exercise: .hipRoll, targetReps: 5, direction: .clockwise, tempoSeconds: 2...9)
    for flag in RepFlag.allCases {
      let sentence = FeedbackSentences.sentence(for: flag, event: event, step: step)
      #expect(sentence.hasSuffix("."))
    }
    let result = StepResult(
      index: 0, step: step, count: 3, partialCount: 1, manualAdjustment: -1, ending: .movedOn,
      flags: [], reps: [], feedback: .empty, startSeconds: 0, endSeconds: 1)
    for flag in StepFlag.allCases {
      #expect(FeedbackSentences.sentence(for: flag, result: result).hasSuffix("."))
    }
  }
}

@Suite struct TerminalKeyTests {
  @Test func keysAndArrowsMapToCorrections() {
    let bytes: [UInt8] =
      Array("+k=-jxq".utf8) + [0x1B, UInt8(ascii: "["), UInt8(ascii: "A")]
      + [0x1B, UInt8(ascii: "["), UInt8(ascii: "B")]
    #expect(
      TerminalKeys.keys(in: bytes) == [
        .plusOne, .plusOne, .plusOne, .minusOne, .minusOne, .quit, .plusOne, .minusOne,
      ])
  }

  @Test func noTerminalNoKeys() throws {
    // A pipe is not a TTY: the session must not touch it.
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    defer {
      close(ends[0])
      close(ends[1])
    }
    #expect(TerminalKeys(descriptor: ends[0]) == nil)
  }
}

@Suite struct LiveViewTests {
  let plan = BuiltInPlans.plan(named: "back-basics")!

  @Test func coloursOnlyOnATerminalWithoutNoColor() {
    if case .plain = LiveView.mode(standardOutputIsTerminal: false, environment: [:]) {
    } else {
      Issue.record("piped output must be plain")
    }
    if case .terminal(let colours) = LiveView.mode(
      standardOutputIsTerminal: true, environment: ["NO_COLOR": "1"])
    {
      #expect(!colours)
    } else {
      Issue.record("a terminal gets the terminal view")
    }
    if case .terminal(let colours) = LiveView.mode(standardOutputIsTerminal: true, environment: [:])
    {
      #expect(colours)
    }
  }

  @Test func plainLinesHaveNoControlCharacters() {
    var view = LiveView(mode: .plain, plan: plan)
    var script = ScriptBuilder()
    script.reps(.kneeLift, 10, seconds: 2, side: .right)
    script.reps(.kneeLift, 1, seconds: 0.5, side: .left)
    let (tracker, events) = runTracker(plan: plan, script: script.events)
    var text = view.stepHeading(index: 0)
    for event in events { text += view.render(event) }
    text += view.summary(SessionSummary(planName: plan.name, results: tracker.results))
    #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0 == "\r" })
    #expect(text.contains("knee lifts, right: 10/10 (2.0 s, 30°)"))
    #expect(text.contains("Go gently: that took 0.5 s, take at least 1.0 s per repetition."))
    #expect(text.contains("11 of 50 repetitions, 1 of 5 steps complete."))
  }

  @Test func terminalViewDrawsAProgressBar() {
    let view = LiveView(mode: .terminal(colours: false), plan: plan)
    let line = view.statusLine(stepIndex: 0, count: 5)
    #expect(line.contains("██████████░░░░░░░░░░ 5/10"))
    #expect(!line.contains("\u{1B}[3"))  // no colour codes when colours are off
  }
}
