/// The whole session at a glance: what the final `{"event":"summary"}` line and the live view's
/// last screen say.
public struct SessionSummary: Hashable, Sendable {
  public var planName: String
  public var results: [StepResult]
  public var symmetry: [SymmetryFinding]

  public init(planName: String, results: [StepResult]) {
    self.planName = planName
    self.results = results
    self.symmetry = FormFeedback.symmetry(of: results)
  }

  public var countedReps: Int { results.reduce(0) { $0 + $1.count } }
  public var targetReps: Int { results.reduce(0) { $0 + $1.step.targetReps } }
  public var partialReps: Int { results.reduce(0) { $0 + $1.partialCount } }
  public var completeSteps: Int { results.filter { $0.count >= $0.step.targetReps }.count }
  public var durationSeconds: Double? {
    let starts = results.compactMap(\.startSeconds)
    let ends = results.compactMap(\.endSeconds)
    guard let start = starts.min(), let end = ends.max(), end >= start else { return nil }
    return end - start
  }

  /// Every step flag that occurred, in a fixed order (without the per-step ending flags).
  public var flags: [StepFlag] {
    let endings: Set<StepFlag> = [.complete]
    let seen = Set(results.flatMap(\.flags)).subtracting(endings)
    return StepFlag.allCases.filter(seen.contains)
  }
}
