import Foundation
import MotionCore

/// What the terminal shows during a session, as text: pure formatting, no I/O, so it is the
/// same in tests and on a terminal. On a TTY the status line is redrawn in place; piped, every
/// repetition is one plain line.
public struct LiveView {
  public enum Mode: Sendable {
    /// Redraw a status line in place, colours allowed.
    case terminal(colours: Bool)
    /// One line per repetition, step and remark; no control characters.
    case plain
  }

  public let mode: Mode
  public let plan: Plan
  private var lastFeedback = ""

  public init(mode: Mode, plan: Plan) {
    self.mode = mode
    self.plan = plan
  }

  /// Colours only on a terminal and only when `NO_COLOR` is unset or empty (no-color.org).
  public static func mode(standardOutputIsTerminal: Bool, environment: [String: String]) -> Mode {
    guard standardOutputIsTerminal else { return .plain }
    let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return .terminal(colours: !noColour)
  }

  private var isTerminal: Bool { if case .terminal = mode { true } else { false } }
  private var colours: Bool { if case .terminal(let colours) = mode { colours } else { false } }

  private func paint(_ text: String, _ code: String) -> String {
    colours ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Text that starts a step (a heading line).
  public func stepHeading(index: Int) -> String {
    guard index < plan.steps.count else { return "" }
    let step = plan.steps[index]
    var text = "Step \(index + 1)/\(plan.steps.count): \(step.title) ×\(step.targetReps)"
    if let tempo = step.tempoSeconds {
      text += String(format: " (%.0f–%.0f s each)", tempo.lowerBound, tempo.upperBound)
    }
    return (isTerminal ? "\r\u{1B}[2K" : "") + paint(text, "1") + "\n"
  }

  /// The in-place status line (terminal mode only): progress bar, count, last feedback.
  public func statusLine(stepIndex: Int, count: Int) -> String {
    guard isTerminal, stepIndex < plan.steps.count else { return "" }
    let target = plan.steps[stepIndex].targetReps
    let width = 20
    let filled = min(width, target > 0 ? count * width / target : 0)
    let bar =
      paint(String(repeating: "█", count: filled), "32")
      + String(repeating: "░", count: width - filled)
    return "\r\u{1B}[2K  \(bar) \(count)/\(target)"
      + (lastFeedback.isEmpty ? "" : "  " + lastFeedback)
  }

  /// Text for one tracker event; updates the remembered feedback line.
  public mutating func render(_ event: SessionEvent) -> String {
    switch event {
    case .rep(let rep):
      guard rep.stepIndex < plan.steps.count else { return "" }
      let step = plan.steps[rep.stepIndex]
      // Another exercise's detector answering: only worth a line once it is credited.
      if !rep.counted && rep.flags.isEmpty { return "" }
      let sentences = rep.flags.map {
        FeedbackSentences.sentence(for: $0, event: rep.event, step: step)
      }
      let warning = rep.flags.contains { Self.warnings.contains($0) }
      var detail = ""
      if !rep.isManual {
        let range = rep.event.metrics.rangeDegrees
        detail =
          String(format: "%.1f s", rep.event.durationSeconds)
          + (range.isFinite ? String(format: ", %.0f°", range) : "")
      }
      if isTerminal {
        let feedback = sentences.joined(separator: " ")
        lastFeedback =
          feedback.isEmpty ? paint(detail, "2") : paint(feedback, warning ? "33" : "36")
        if !rep.counted && !rep.flags.isEmpty {
          // Keep "that was counter-clockwise…" on screen above the status line.
          return "\r\u{1B}[2K  " + paint(sentences.joined(separator: " "), "33") + "\n"
        }
        return ""
      }
      let label = rep.counted ? "\(rep.stepCount)/\(step.targetReps)" : "not counted"
      var line = "  \(step.title): \(label)"
      if !detail.isEmpty { line += " (\(detail))" }
      if !sentences.isEmpty { line += " — " + sentences.joined(separator: " ") }
      return line + "\n"
    case .removed(let stepIndex, let stepCount):
      lastFeedback = "corrected by hand"
      guard !isTerminal, stepIndex < plan.steps.count else { return "" }
      return
        "  \(plan.steps[stepIndex].title): \(stepCount)/\(plan.steps[stepIndex].targetReps) (−1 by hand)\n"
    case .stepEnded(let result):
      lastFeedback = ""
      let mark = result.count >= result.step.targetReps ? paint("✓", "32") : paint("•", "33")
      var text =
        (isTerminal ? "\r\u{1B}[2K" : "")
        + "\(mark) \(result.step.title): \(result.count)/\(result.step.targetReps)\n"
      for flag in result.flags where !Self.quietStepFlags.contains(flag) {
        text += "    " + FeedbackSentences.sentence(for: flag, result: result) + "\n"
      }
      if result.ending == .targetReached || result.ending == .movedOn,
        result.index + 1 < plan.steps.count
      {
        text += stepHeading(index: result.index + 1)
      }
      return text
    case .longPause(_, let seconds):
      let text = String(format: "Paused for %.0f s. Carry on when you are ready.", seconds)
      lastFeedback = paint(text, "2")
      return isTerminal ? "" : "  " + text + "\n"
    }
  }

  /// The closing lines.
  public func summary(_ summary: SessionSummary) -> String {
    var text = (isTerminal ? "\r\u{1B}[2K" : "") + "\n"
    text +=
      paint(
        "\(summary.countedReps) of \(summary.targetReps) repetitions, \(summary.completeSteps) of \(summary.results.count) steps complete.",
        "1") + "\n"
    for finding in summary.symmetry {
      text +=
        "  " + paint(FeedbackSentences.sentence(for: finding), finding.isFlagged ? "33" : "32")
        + "\n"
    }
    return text
  }

  /// Repetition flags shown in the warning colour.
  static let warnings: Set<RepFlag> = [.wrongDirection, .wrongSide, .tooFast, .partial]
  /// Step flags that need no sentence at the end of a step.
  static let quietStepFlags: Set<StepFlag> = [.complete, .skipped]
}
