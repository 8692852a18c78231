import Foundation
import MotionCore
import Yams

/// A problem with a plan, pointing at the place: prints as `FILE:LINE: message`.
public struct PlanError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file path, or a label such as "built-in plan gentle".
  public var source: String
  /// 1-based line number, or `nil` when the problem is with the plan as a whole.
  public var line: Int?
  public var message: String

  public init(source: String, line: Int? = nil, message: String) {
    self.source = source
    self.line = line
    self.message = message
  }

  public var description: String {
    if let line { return "\(source):\(line): \(message)" }
    return "\(source): \(message)"
  }
}

/// Reads plans from YAML.
///
/// ```yaml
/// name: my-morning            # optional, defaults to the file name
/// summary: One line for me.   # optional
/// steps:
///   - exercise: knee-lift     # knee-lift | twist | hip-roll | any
///     side: right             # knee lifts only: left | right
///     reps: 10                # required, 1...500
///     tempo-seconds: [1, 8]   # optional: allowed seconds per repetition, [min, max]
///   - exercise: hip-roll
///     direction: clockwise    # hip rolls only: clockwise | counterclockwise
///     reps: 10
/// ```
public enum PlanParser {
  /// Most repetitions one step may ask for; more is surely a typo.
  public static let maximumReps = 500

  /// Reads a plan from a file.
  public static func parse(fileAt path: String) throws(PlanError) -> Plan {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlanError(source: path, message: "cannot read the plan file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PlanError(source: path, message: "the plan is not UTF-8 text")
    }
    let fallbackName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try parse(yaml: text, source: path, fallbackName: fallbackName)
  }

  /// Reads a plan from YAML text; `source` names it in error messages.
  public static func parse(yaml: String, source: String, fallbackName: String = "plan")
    throws(PlanError) -> Plan
  {
    let root: Node
    do {
      guard let composed = try Yams.compose(yaml: yaml) else {
        throw PlanError(source: source, message: "the plan is empty")
      }
      root = composed
    } catch let error as PlanError {
      throw error
    } catch let error as YamlError {
      throw yamlSyntaxError(error, source: source)
    } catch {
      throw PlanError(source: source, message: "not valid YAML: \(error)")
    }
    return try PlanReader(source: source).plan(from: root, fallbackName: fallbackName)
  }

  private static func yamlSyntaxError(_ error: YamlError, source: String) -> PlanError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return PlanError(source: source, line: mark.line, message: "not valid YAML: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.joined(separator: ", ")
      return PlanError(
        source: source, line: context.mark.line, message: "the key '\(keys)' appears twice")
    default:
      return PlanError(source: source, message: "not valid YAML: \(error)")
    }
  }
}

/// Walks the composed YAML tree, keeping every node's line for error messages.
private struct PlanReader {
  let source: String

  func error(_ message: String, at node: Node?) -> PlanError {
    PlanError(source: source, line: node?.mark?.line, message: message)
  }

  func plan(from root: Node, fallbackName: String) throws(PlanError) -> Plan {
    guard let mapping = root.mapping else {
      throw error(
        "a plan is a mapping with 'steps:' (and optionally 'name:', 'summary:')", at: root)
    }
    let fields = try keyedFields(of: mapping, allowed: ["name", "summary", "steps"])
    let name = try fields["name"].map { node throws(PlanError) in try text(node, key: "name") }
    let summary = try fields["summary"].map { node throws(PlanError) in
      try text(node, key: "summary")
    }
    guard let stepsNode = fields["steps"] else {
      throw error("the plan has no 'steps:' list", at: root)
    }
    guard let sequence = stepsNode.sequence else {
      throw error(
        "'steps' must be a list of steps, each starting with '- exercise:'", at: stepsNode)
    }
    if sequence.isEmpty {
      throw error("'steps' is empty: a plan needs at least one step", at: stepsNode)
    }
    var steps: [PlanStep] = []
    for node in sequence {
      steps.append(try step(from: node, number: steps.count + 1))
    }
    return Plan(name: name ?? fallbackName, summary: summary ?? "", steps: steps)
  }

  func step(from node: Node, number: Int) throws(PlanError) -> PlanStep {
    guard let mapping = node.mapping else {
      throw error("step \(number) must be a mapping such as 'exercise: hip-roll'", at: node)
    }
    let fields = try keyedFields(
      of: mapping, allowed: ["exercise", "reps", "side", "direction", "tempo-seconds"])
    guard let exerciseNode = fields["exercise"] else {
      throw error("step \(number) has no 'exercise:'", at: node)
    }
    let exerciseName = try text(exerciseNode, key: "exercise")
    guard let exercise = Exercise(rawValue: exerciseName) else {
      let known = Exercise.allCases.map(\.rawValue).joined(separator: ", ")
      throw error("unknown exercise '\(exerciseName)' (known: \(known))", at: exerciseNode)
    }
    guard let repsNode = fields["reps"] else {
      throw error("step \(number) (\(exerciseName)) has no 'reps:'", at: node)
    }
    guard let reps = repsNode.scalar.flatMap({ Int($0.string) }),
      (1...PlanParser.maximumReps).contains(reps)
    else {
      throw error(
        "'reps' must be a whole number from 1 to \(PlanParser.maximumReps)", at: repsNode)
    }
    var side: BodySide?
    if let sideNode = fields["side"] {
      guard exercise == .kneeLift else {
        throw error("'side' only applies to knee-lift steps, not to \(exerciseName)", at: sideNode)
      }
      let value = try text(sideNode, key: "side")
      guard let parsed = BodySide(rawValue: value), parsed != .unknown else {
        throw error("'side' must be left or right, not '\(value)'", at: sideNode)
      }
      side = parsed
    }
    var direction: RotationDirection?
    if let directionNode = fields["direction"] {
      guard exercise == .hipRoll else {
        throw error(
          "'direction' only applies to hip-roll steps, not to \(exerciseName)", at: directionNode)
      }
      let value = try text(directionNode, key: "direction")
      switch value {
      case "clockwise", "cw": direction = .clockwise
      case "counterclockwise", "counter-clockwise", "anticlockwise", "ccw":
        direction = .counterclockwise
      default:
        throw error(
          "'direction' must be clockwise or counterclockwise, not '\(value)'", at: directionNode)
      }
    }
    var tempo: ClosedRange<Double>?
    if let tempoNode = fields["tempo-seconds"] {
      tempo = try tempoRange(tempoNode)
    }
    return PlanStep(
      exercise: exercise, targetReps: reps, side: side, direction: direction, tempoSeconds: tempo)
  }

  func tempoRange(_ node: Node) throws(PlanError) -> ClosedRange<Double> {
    let usage = "'tempo-seconds' must be [min, max]: seconds per repetition, e.g. [2, 8]"
    guard let items = node.sequence, items.count == 2 else { throw error(usage, at: node) }
    var bounds: [Double] = []
    for item in items {
      guard let value = item.scalar.flatMap({ Double($0.string) }), value.isFinite, value > 0
      else {
        throw error(usage + "; '\(item.scalar?.string ?? "?")' is not a positive number", at: item)
      }
      bounds.append(value)
    }
    guard bounds[0] <= bounds[1] else {
      throw error(
        "'tempo-seconds' minimum \(bounds[0]) is above its maximum \(bounds[1])", at: node)
    }
    return bounds[0]...bounds[1]
  }

  func text(_ node: Node, key: String) throws(PlanError) -> String {
    guard let scalar = node.scalar, !scalar.string.isEmpty else {
      throw error("'\(key)' must be a single value", at: node)
    }
    return scalar.string
  }

  func keyedFields(of mapping: Node.Mapping, allowed: [String]) throws(PlanError) -> [String: Node]
  {
    var fields: [String: Node] = [:]
    for (keyNode, valueNode) in mapping {
      guard let key = keyNode.scalar?.string else {
        throw error("keys must be plain words such as '\(allowed[0])'", at: keyNode)
      }
      guard allowed.contains(key) else {
        let hint = allowed.joined(separator: ", ")
        throw error("unknown key '\(key)' (expected one of: \(hint))", at: keyNode)
      }
      fields[key] = valueNode
    }
    return fields
  }
}
