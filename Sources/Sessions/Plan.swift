import Foundation
import MotionCore

/// An ordered list of steps the user works through in one session.
public struct Plan: Hashable, Sendable {
  /// Short name shown in the live view and stored in the history.
  public var name: String
  /// One sentence for the user: who the plan is for.
  public var summary: String
  public var steps: [PlanStep]

  public init(name: String, summary: String = "", steps: [PlanStep]) {
    self.name = name
    self.summary = summary
    self.steps = steps
  }

  /// The plan as YAML that `PlanParser` reads back to an equal plan (stored with each session so
  /// it can be resumed even when the plan file changed or went away).
  public var yaml: String {
    var lines = ["name: \(Self.quoted(name))"]
    if !summary.isEmpty { lines.append("summary: \(Self.quoted(summary))") }
    lines.append("steps:")
    for step in steps {
      lines.append("  - exercise: \(step.exercise.rawValue)")
      if let side = step.side { lines.append("    side: \(side.rawValue)") }
      if let direction = step.direction { lines.append("    direction: \(direction.rawValue)") }
      lines.append("    reps: \(step.targetReps)")
      if let tempo = step.tempoSeconds {
        lines.append("    tempo-seconds: [\(tempo.lowerBound), \(tempo.upperBound)]")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func quoted(_ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    return "\"\(escaped)\""
  }
}

/// One step of a plan: an exercise, how many repetitions, and which side or direction.
public struct PlanStep: Hashable, Sendable {
  public var exercise: Exercise
  public var targetReps: Int
  /// Knee lifts only.
  public var side: BodySide?
  /// Hip rolls only.
  public var direction: RotationDirection?
  /// Allowed duration of one repetition, in seconds; `nil` means any tempo.
  public var tempoSeconds: ClosedRange<Double>?

  public init(
    exercise: Exercise,
    targetReps: Int,
    side: BodySide? = nil,
    direction: RotationDirection? = nil,
    tempoSeconds: ClosedRange<Double>? = nil
  ) {
    self.exercise = exercise
    self.targetReps = targetReps
    self.side = side
    self.direction = direction
    self.tempoSeconds = tempoSeconds
  }

  /// "knee lifts, right", "hip rolls, clockwise": what the live view and the report call it.
  public var title: String {
    let name: String
    switch exercise {
    case .kneeLift: name = "knee lifts"
    case .twist: name = "waist twists"
    case .hipRoll: name = "hip rolls"
    case .any: name = "repetitions"
    }
    if let side, side != .unknown { return "\(name), \(side.rawValue)" }
    if let direction {
      return "\(name), \(direction == .clockwise ? "clockwise" : "counter-clockwise")"
    }
    return name
  }
}
