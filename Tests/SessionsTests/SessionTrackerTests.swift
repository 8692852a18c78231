import MotionCore
import Testing

@testable import Sessions

@Suite struct SessionTrackerTests {
  let backBasics = BuiltInPlans.plan(named: "back-basics")!

  func perfectBackBasics() -> ScriptBuilder {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 10, seconds: 2, side: .right)
    script.pause(5)
    script.reps(.kneeLift, 10, seconds: 2, side: .left)
    script.pause(5)
    script.reps(.twist, 10, seconds: 3)
    script.pause(5)
    script.reps(.hipRoll, 10, seconds: 4, direction: .clockwise)
    script.pause(5)
    script.reps(.hipRoll, 10, seconds: 4, direction: .counterclockwise)
    return script
  }

  @Test func wholePlanCountsEveryStep() {
    let (tracker, events) = runTracker(plan: backBasics, script: perfectBackBasics().events)
    let steps = events.stepResults
    #expect(steps.map(\.count) == [10, 10, 10, 10, 10])
    #expect(steps.map(\.ending) == Array(repeating: .targetReached, count: 5))
    #expect(steps.allSatisfy { $0.flags.contains(.complete) && !$0.flags.contains(.tooFast) })
    #expect(tracker.isFinished)
    #expect(events.reps.filter(\.counted).count == 50)
    #expect(Set(events.reps.map(\.sequence)).count == 50)
  }

  @Test func stepEventsComeInPlanOrderAfterTheirReps() {
    let (_, events) = runTracker(plan: backBasics, script: perfectBackBasics().events)
    var lastStep = -1
    for event in events {
      switch event {
      case .rep(let rep): #expect(rep.stepIndex == lastStep + 1)
      case .stepEnded(let result):
        #expect(result.index == lastStep + 1)
        lastStep = result.index
      default: break
      }
    }
    #expect(lastStep == 4)
  }

  @Test func missedKneeLiftDoesNotBlockWithoutSides() {
    // No calibration: sides unknown. 9 right lifts, a long pause, then 10 left ones.
    var script = ScriptBuilder()
    script.reps(.kneeLift, 9, seconds: 2)
    script.pause(15)
    script.reps(.kneeLift, 10, seconds: 2)
    let (_, events) = runTracker(plan: backBasics, script: script.events)
    let steps = events.stepResults
    #expect(steps[0].count == 9)
    #expect(steps[0].ending == .movedOn)
    #expect(steps[0].flags.contains(.movedOn))
    #expect(steps[1].count == 10)
    #expect(steps[1].ending == .targetReached)
  }

  @Test func restMidSetIsNotTakenAsSwitchingSides() {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 5, seconds: 2)
    script.pause(15)
    script.reps(.kneeLift, 5, seconds: 2)
    let (_, events) = runTracker(plan: backBasics, script: script.events)
    let first = events.stepResults[0]
    #expect(first.count == 10)
    #expect(first.ending == .targetReached)
    #expect(first.flags.contains(.longPause))
    #expect(events.contains { if case .longPause(0, _) = $0 { true } else { false } })
  }

  @Test func missedHipRollMovesOnWhenTheDirectionChanges() {
    var script = ScriptBuilder()
    script.reps(.hipRoll, 9, seconds: 4, direction: .clockwise)
    script.reps(.hipRoll, 10, seconds: 4, direction: .counterclockwise)
    let plan = Plan(name: "rolls", steps: Array(backBasics.steps[3...4]))
    let (_, events) = runTracker(plan: plan, script: script.events)
    let steps = events.stepResults
    #expect(steps.map(\.count) == [9, 10])
    #expect(steps[0].ending == .movedOn)
    #expect(steps[1].ending == .targetReached)
    // The two counter-clockwise rolls that revealed the switch were reported first as not
    // counted, then again (same sequence) as counted for the next step.
    let credited = events.reps.filter { $0.flags.contains(.creditedToNextStep) }
    #expect(credited.count == 2)
    for rep in credited {
      #expect(rep.counted && rep.stepIndex == 1)
      #expect(
        events.reps.contains { $0.sequence == rep.sequence && !$0.counted && $0.stepIndex == 0 })
    }
    // Counting `counted` rep lines per step (the last line per sequence) gives the step counts.
    var lastBySequence: [Int: SessionRep] = [:]
    for rep in events.reps { lastBySequence[rep.sequence] = rep }
    let countedPerStep = Dictionary(
      grouping: lastBySequence.values.filter(\.counted), by: \.stepIndex)
    #expect(countedPerStep[0]?.count == 9)
    #expect(countedPerStep[1]?.count == 10)
  }

  @Test func wrongDirectionEarlyIsFlaggedNotCounted() {
    var script = ScriptBuilder()
    script.reps(.hipRoll, 1, seconds: 4, direction: .counterclockwise)
    script.reps(.hipRoll, 10, seconds: 4, direction: .clockwise)
    let plan = Plan(name: "rolls", steps: Array(backBasics.steps[3...4]))
    let (_, events) = runTracker(plan: plan, script: script.events)
    let first = events.reps[0]
    #expect(first.counted == false)
    #expect(first.flags == [.wrongDirection])
    #expect(
      FeedbackSentences.sentence(for: .wrongDirection, event: first.event, step: plan.steps[0])
        == "That was counter-clockwise, this set is clockwise.")
    let steps = events.stepResults
    #expect(steps[0].count == 10)
    #expect(steps[0].flags.contains(.wrongDirection))
    #expect(steps[1].ending == .sessionEnded)
    #expect(steps[1].flags.contains(.incomplete))
  }

  @Test func wrongDirectionTwiceAtTheStartDoesNotSkipTheStep() {
    var script = ScriptBuilder()
    script.reps(.hipRoll, 3, seconds: 4, direction: .counterclockwise)
    script.reps(.hipRoll, 10, seconds: 4, direction: .clockwise)
    let plan = Plan(name: "rolls", steps: Array(backBasics.steps[3...4]))
    let (_, events) = runTracker(plan: plan, script: script.events)
    #expect(events.stepResults[0].count == 10)
    #expect(events.reps.prefix(3).allSatisfy { !$0.counted && $0.flags == [.wrongDirection] })
  }

  @Test func wrongSideIsFlaggedWhenTheDetectorKnowsSides() {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 1, seconds: 2, side: .left)
    script.reps(.kneeLift, 10, seconds: 2, side: .right)
    let (_, events) = runTracker(plan: backBasics, script: script.events)
    #expect(events.reps[0].flags == [.wrongSide])
    #expect(events.stepResults[0].count == 10)
    #expect(events.stepResults[0].flags.contains(.wrongSide))
  }

  @Test func oneOddSideMidSetIsCountedAndMarkedUnsure() {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 4, seconds: 2, side: .right)
    script.reps(.kneeLift, 1, seconds: 2, side: .left)
    script.reps(.kneeLift, 5, seconds: 2, side: .right)
    let (_, events) = runTracker(plan: backBasics, script: script.events)
    #expect(events.stepResults[0].count == 10)
    // Held back when it came, counted (same sequence) once the next one matched again.
    let odd = events.reps.filter { $0.sequence == events.reps[4].sequence }
    #expect(odd.count == 2)
    #expect(!odd[0].counted && odd[0].flags == [.wrongSide])
    #expect(odd.last?.counted == true && odd.last?.flags.contains(.sideUnsure) == true)
    #expect(!events.stepResults[0].flags.contains(.wrongSide))
  }

  @Test func twoOddSidesInARowAreTakenAtTheirWord() {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 3, seconds: 2, side: .right)
    script.reps(.kneeLift, 2, seconds: 2, side: .left)
    script.reps(.kneeLift, 7, seconds: 2, side: .right)
    let (_, events) = runTracker(plan: backBasics, script: script.events)
    #expect(events.reps[3...4].allSatisfy { !$0.counted && $0.flags == [.wrongSide] })
    #expect(!events.reps.contains { $0.flags.contains(.sideUnsure) })
    #expect(events.stepResults[0].count == 10)
    #expect(events.stepResults[0].flags.contains(.wrongSide))
  }

  @Test func switchingToTheNextExerciseClosesTheStep() {
    var script = ScriptBuilder()
    script.reps(.twist, 8, seconds: 3)
    script.reps(.hipRoll, 10, seconds: 4, direction: .clockwise)
    let plan = Plan(name: "t", steps: Array(backBasics.steps[2...3]))
    let (_, events) = runTracker(plan: plan, script: script.events)
    #expect(events.stepResults.map(\.count) == [8, 10])
    #expect(events.stepResults[0].ending == .movedOn)
  }

  @Test func aFewStrayRepsOfAnotherDetectorDoNotMoveOnEarly() {
    // Another detector answering once to this step's movement is ignored.
    var script = ScriptBuilder()
    script.reps(.twist, 2, seconds: 3)
    script.reps(.hipRoll, 1, seconds: 4, direction: .clockwise)
    script.reps(.twist, 8, seconds: 3)
    let plan = Plan(name: "t", steps: Array(backBasics.steps[2...3]))
    let (_, events) = runTracker(plan: plan, script: script.events)
    #expect(events.stepResults[0].count == 10)
    #expect(events.stepResults[0].ending == .targetReached)
  }

  @Test func tooFastIsFlaggedWithAGentleSentence() throws {
    let gentle = try #require(BuiltInPlans.plan(named: "gentle"))
    var script = ScriptBuilder()
    script.reps(.kneeLift, 5, seconds: 1.2, side: .right)
    let (_, events) = runTracker(plan: gentle, script: script.events)
    let rep = events.reps[0]
    #expect(rep.flags.contains(.tooFast))
    #expect(events.stepResults[0].flags.contains(.tooFast))
    let sentence = FeedbackSentences.sentence(
      for: .tooFast, event: rep.event, step: gentle.steps[0])
    #expect(sentence == "Go gently: that took 1.2 s, take at least 2.5 s per repetition.")
  }

  @Test func partialRepsAreReportedNotCounted() {
    var script = ScriptBuilder()
    script.reps(.twist, 3, seconds: 3)
    script.reps(.twist, 2, seconds: 1, range: 3, partial: true)
    script.reps(.twist, 2, seconds: 3)
    let plan = Plan(name: "t", steps: [PlanStep(exercise: .twist, targetReps: 10)])
    let (_, events) = runTracker(plan: plan, script: script.events)
    let result = events.stepResults[0]
    #expect(result.count == 5)
    #expect(result.partialCount == 2)
    #expect(result.flags.contains(.partialReps))
    #expect(result.flags.contains(.incomplete))
    #expect(events.reps.filter { $0.flags.contains(.partial) }.allSatisfy { !$0.counted })
  }

  @Test func endOfStreamClosesTheCurrentStepAndSkipsTheRest() {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 4, seconds: 2, side: .right)
    let (_, events) = runTracker(plan: backBasics, script: script.events)
    let steps = events.stepResults
    #expect(
      steps.map(\.ending) == [.sessionEnded, .notStarted, .notStarted, .notStarted, .notStarted])
    #expect(steps[0].count == 4)
    #expect(steps.dropFirst().allSatisfy { $0.flags == [.skipped] })
  }

  @Test func manualPlusAndMinusCorrectTheCount() {
    let plan = Plan(
      name: "t",
      steps: [PlanStep(exercise: .twist, targetReps: 3), PlanStep(exercise: .twist, targetReps: 3)])
    var tracker = SessionTracker(plan: plan) { ScriptedDetector(exercise: $0, script: []) }
    var events = tracker.adjustCount(by: 1, atSeconds: 1)
    events += tracker.adjustCount(by: 1, atSeconds: 2)
    events += tracker.adjustCount(by: -1, atSeconds: 3)
    #expect(tracker.currentCount == 1)
    #expect(events.last == .removed(stepIndex: 0, stepCount: 1))
    events += tracker.adjustCount(by: 2, atSeconds: 4)
    #expect(tracker.currentStepIndex == 1)
    let result = events.stepResults[0]
    #expect(result.count == 3)
    #expect(result.manualAdjustment == 3)
    #expect(result.flags.contains(.manuallyAdjusted))
    #expect(tracker.adjustCount(by: -1, atSeconds: 5).isEmpty)  // nothing to take off
  }

  @Test func formFlagsCompareWithTheSet() {
    var script = ScriptBuilder()
    script.reps(.twist, 4, seconds: 3, range: 40)
    script.reps(.twist, 1, seconds: 3, range: 20)
    script.reps(.twist, 1, seconds: 1.2, range: 40)
    let plan = Plan(name: "t", steps: [PlanStep(exercise: .twist, targetReps: 6)])
    let (_, events) = runTracker(plan: plan, script: script.events)
    let reps = events.reps
    #expect(reps[3].flags.isEmpty)
    #expect(reps[4].flags == [.smallRange])
    #expect(reps[5].flags == [.quickerThanSet])
  }

  @Test func resumedSessionStartsWhereItStopped() {
    var script = ScriptBuilder()
    script.reps(.kneeLift, 6, seconds: 2, side: .left)
    let tracker = SessionTracker(
      plan: backBasics, detectorFactory: { ScriptedDetector(exercise: $0, script: script.events) },
      resumeAtStep: 1, resumeCount: 4, firstSequence: 14)
    #expect(tracker.currentStepIndex == 1)
    let (_, events) = runTracker(plan: backBasics, script: script.events, tracker: tracker)
    #expect(events.stepResults[0].index == 1)
    #expect(events.stepResults[0].count == 10)
    #expect(events.reps.first?.sequence == 14)
  }
}
