import Foundation
import MotionCore
import Testing

@testable import Sessions

/// The plan fixtures next to this file (tests must not depend on the working directory).
func planFixture(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/plans/\(name)").path
}

@Suite struct PlanParsingTests {
  @Test func exampleFileParsesEveryField() throws {
    let plan = try PlanParser.parse(fileAt: planFixture("example.yaml"))
    #expect(plan.name == "morning")
    #expect(plan.summary == "A short morning round for the lower back.")
    #expect(plan.steps.count == 5)
    #expect(
      plan.steps[0]
        == PlanStep(exercise: .kneeLift, targetReps: 8, side: .right, tempoSeconds: 1.5...8))
    #expect(plan.steps[2] == PlanStep(exercise: .twist, targetReps: 6))
    #expect(plan.steps[4].direction == .counterclockwise)
    #expect(plan.steps[4].tempoSeconds == 3...12)
  }

  @Test func backBasicsFollowsTheIssueOrder() throws {
    let plan = try #require(BuiltInPlans.plan(named: "back-basics"))
    let shape = plan.steps.map {
      "\($0.exercise.rawValue) \($0.side?.rawValue ?? "") \($0.direction?.rawValue ?? "") \($0.targetReps)"
    }
    #expect(
      shape == [
        "knee-lift right  10", "knee-lift left  10", "twist   10", "hip-roll  clockwise 10",
        "hip-roll  counterclockwise 10",
      ])
  }

  @Test func gentleIsFewerAndSlowerThanBackBasics() throws {
    let basics = try #require(BuiltInPlans.plan(named: "back-basics"))
    let gentle = try #require(BuiltInPlans.plan(named: "gentle"))
    #expect(gentle.steps.count == basics.steps.count)
    for (easy, normal) in zip(gentle.steps, basics.steps) {
      #expect(easy.exercise == normal.exercise)
      #expect(easy.targetReps < normal.targetReps)
      let easyMinimum = try #require(easy.tempoSeconds?.lowerBound)
      let normalMinimum = try #require(normal.tempoSeconds?.lowerBound)
      #expect(easyMinimum > normalMinimum)
    }
  }

  @Test func yamlRoundTripGivesTheSamePlan() throws {
    for (name, _) in BuiltInPlans.sources {
      let plan = try #require(BuiltInPlans.plan(named: name))
      let again = try PlanParser.parse(yaml: plan.yaml, source: "round trip")
      #expect(again == plan)
    }
  }

  @Test func fileNameIsTheDefaultName() throws {
    let plan = try PlanParser.parse(
      yaml: "steps:\n  - exercise: twist\n    reps: 3\n", source: "x", fallbackName: "mine")
    #expect(plan.name == "mine")
  }

  @Test(arguments: [
    ("bad-unknown-exercise.yaml", 5, "unknown exercise 'hip-circle'"),
    ("bad-missing-reps.yaml", 4, "has no 'reps:'"),
    ("bad-direction-on-twist.yaml", 3, "'direction' only applies to hip-roll"),
    ("bad-syntax.yaml", 4, "not valid YAML"),
  ])
  func badFilesNameFileAndLine(file: String, line: Int, message: String) {
    let path = planFixture(file)
    #expect {
      _ = try PlanParser.parse(fileAt: path)
    } throws: { error in
      guard let error = error as? PlanError else { return false }
      return error.line == line && error.description.hasPrefix("\(path):\(line): ")
        && error.message.contains(message)
    }
  }

  @Test(arguments: [
    ("steps:\n  - exercise: twist\n    reps: 0\n", 3, "'reps' must be a whole number"),
    ("steps:\n  - exercise: twist\n    reps: 2.5\n", 3, "'reps' must be a whole number"),
    ("steps:\n  - exercise: twist\n    reps: 4\n    side: left\n", 4, "'side' only applies"),
    ("steps:\n  - exercise: knee-lift\n    reps: 4\n    side: middle\n", 4, "left or right"),
    ("steps:\n  - exercise: hip-roll\n    reps: 4\n    direction: up\n", 4, "clockwise or"),
    (
      "steps:\n  - exercise: twist\n    reps: 4\n    tempo-seconds: [5, 2]\n", 4,
      "above its maximum"
    ),
    ("steps:\n  - exercise: twist\n    reps: 4\n    tempo-seconds: 3\n", 4, "[min, max]"),
    ("steps:\n  - exercise: twist\n    reps: 4\n    speed: 3\n", 4, "unknown key 'speed'"),
    ("steps:\n  - exercise: twist\n    reps: 4\n    reps: 5\n", 3, "appears twice"),
    ("steps: []\n", 1, "'steps' is empty"),
    ("name: x\n", 1, "no 'steps:'"),
    ("- twist\n", 1, "a plan is a mapping"),
    ("steps:\n  - twist\n", 2, "must be a mapping"),
    ("steps:\n  - reps: 3\n", 2, "has no 'exercise:'"),
  ])
  func badTextNamesTheLine(yaml: String, line: Int, message: String) {
    #expect {
      _ = try PlanParser.parse(yaml: yaml, source: "plan.yaml")
    } throws: { error in
      guard let error = error as? PlanError else { return false }
      return error.line == line && error.message.contains(message)
    }
  }

  @Test func missingFileIsAClearError() {
    #expect(throws: PlanError(source: "/nonexistent/p.yaml", message: "cannot read the plan file"))
    {
      _ = try PlanParser.parse(fileAt: "/nonexistent/p.yaml")
    }
  }
}
