import MotionCore
import Testing

@testable import Sessions

@Test func planStepKeepsItsTarget() {
  let step = PlanStep(exercise: .hipRoll, targetReps: 10, direction: .clockwise)
  #expect(step.targetReps == 10)
  #expect(step.direction == .clockwise)
}
