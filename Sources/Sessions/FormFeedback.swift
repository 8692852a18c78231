import Foundation
import MotionCore

/// The thresholds behind every form flag, with where each comes from. They are deliberately
/// loose: a flag should mean "look at this", never nag about normal human variation.
public enum FeedbackThresholds {
  /// A repetition whose range is below this fraction of the set's median range is "small".
  /// Our choice: a quarter less than the user's own typical repetition is visible by eye and
  /// well outside the few-percent repeatability of the range measurement itself.
  public static let smallRangeFraction = 0.75
  /// A repetition shorter than this fraction of the set's median duration is "quicker".
  public static let quickerFraction = 0.6
  /// A repetition longer than this multiple of the set's median duration is "slower".
  public static let slowerMultiple = 1.67
  /// Smoothness (SPARC / log dimensionless jerk, negative, 0 is perfectly smooth) more negative
  /// than this multiple of the set's median is "less smooth". SPARC separates healthy from
  /// impaired reaching by roughly this margin (Balasubramanian et al. 2015, J NeuroEng Rehabil
  /// 12:112); we use it as a relative, per-user flag only.
  public static let lessSmoothMultiple = 1.25
  /// Coefficient of variation of repetition durations above which the tempo is "uneven".
  /// Self-paced rhythmic movement in healthy adults varies by a few percent (stride-time CV
  /// about 2–4 %, Hausdorff 2005, J NeuroEng Rehabil 2:19); exercises are less automatic, so we
  /// flag only at 20 %, where the pace is clearly irregular.
  public static let tempoCoefficientOfVariation = 0.20
  /// Coefficient of variation of ranges of motion above which the range is "uneven" (same
  /// reasoning as tempo; range varies a little more than timing, so 25 %).
  public static let rangeCoefficientOfVariation = 0.25
  /// Range lost from the first to the last repetitions above which the set shows fatigue, in
  /// percent. Adapted from resistance training, where a 20 % loss of repetition velocity marks
  /// substantial neuromuscular fatigue (Sánchez-Medina & González-Badillo 2011, Med Sci Sports
  /// Exerc 43:1725).
  public static let rangeLostPercent = 20.0
  /// Symmetry index (left vs right, clockwise vs counter-clockwise) above which we flag an
  /// asymmetry, in percent. Index as defined by Robinson et al. 1987 (J Manipulative Physiol
  /// Ther 10:172); healthy adults stay within about 5 % in gait (Sadeghi et al. 2000, Gait
  /// Posture 12:34) and 10 % is the usual clinical flag (a limb symmetry index of at least 90 %,
  /// e.g. Grindem et al. 2016, Br J Sports Med 50:804).
  public static let symmetryIndexPercent = 10.0
  /// Fewer repetitions than this and set-level statistics (CV, fatigue) are not computed.
  public static let minimumRepsForSetStatistics = 4
  /// Fewer earlier repetitions than this in the set and a repetition is not compared with the
  /// set's median yet.
  public static let minimumRepsForComparison = 3
  /// A repetition whose shape is less alike than this to the user's reference repetitions
  /// (`ReferenceComparison`, 0 … 1) moved differently from how they moved when calibrating.
  /// Our choice, a margin below the least alike natural repetition we measured (simulated
  /// sessions against the reference repetitions of other simulated calibrations, waist and side
  /// placements): twists never fell below 0.96, so 0.9 catches a twist to one side only
  /// (about 0.88). Knee lifts and hip rolls vary far more between people and reps (down to about
  /// 0.75), so only a clearly different movement, below 0.7, is flagged; a hesitation in the
  /// middle of a lift (about 0.87) is not.
  public static func minimumReferenceSimilarity(for exercise: Exercise) -> Double {
    exercise == .twist ? 0.9 : 0.7
  }
}

/// Per-set form figures. `nil` fields were not computable (too few repetitions, no data).
public struct SetFeedback: Hashable, Sendable {
  public var count: Int
  public var medianRangeDegrees: Double?
  public var medianDurationSeconds: Double?
  public var tempoCoefficientOfVariation: Double?
  public var rangeCoefficientOfVariation: Double?
  /// Percent of range lost from the first to the last repetitions (negative: range grew).
  public var rangeLostPercent: Double?
  public var flags: [StepFlag]

  public static let empty = SetFeedback(
    count: 0, medianRangeDegrees: nil, medianDurationSeconds: nil,
    tempoCoefficientOfVariation: nil, rangeCoefficientOfVariation: nil, rangeLostPercent: nil,
    flags: [])

  public init(
    count: Int, medianRangeDegrees: Double?, medianDurationSeconds: Double?,
    tempoCoefficientOfVariation: Double?, rangeCoefficientOfVariation: Double?,
    rangeLostPercent: Double?, flags: [StepFlag]
  ) {
    self.count = count
    self.medianRangeDegrees = medianRangeDegrees
    self.medianDurationSeconds = medianDurationSeconds
    self.tempoCoefficientOfVariation = tempoCoefficientOfVariation
    self.rangeCoefficientOfVariation = rangeCoefficientOfVariation
    self.rangeLostPercent = rangeLostPercent
    self.flags = flags
  }
}

/// A left/right or clockwise/counter-clockwise comparison across two steps.
public struct SymmetryFinding: Hashable, Sendable {
  /// "knee lifts: left vs right", "hip rolls: clockwise vs counter-clockwise".
  public var label: String
  public var firstRangeDegrees: Double
  public var secondRangeDegrees: Double
  /// 100 × |a − b| / ((a + b) / 2), in percent.
  public var indexPercent: Double
  public var isFlagged: Bool { indexPercent > FeedbackThresholds.symmetryIndexPercent }
}

/// Form statistics; pure functions over repetitions.
public enum FormFeedback {
  /// Flags for one repetition compared with earlier counted repetitions of the same set.
  public static func compare(_ event: RepEvent, withSet earlier: [RepEvent]) -> [RepFlag] {
    guard earlier.count >= FeedbackThresholds.minimumRepsForComparison else { return [] }
    var flags: [RepFlag] = []
    if let medianRange = median(earlier.map(\.metrics.rangeDegrees)), medianRange > 0,
      event.metrics.rangeDegrees.isFinite,
      event.metrics.rangeDegrees < FeedbackThresholds.smallRangeFraction * medianRange
    {
      flags.append(.smallRange)
    }
    if let medianDuration = median(earlier.map(\.durationSeconds)), medianDuration > 0 {
      if event.durationSeconds < FeedbackThresholds.quickerFraction * medianDuration {
        flags.append(.quickerThanSet)
      } else if event.durationSeconds > FeedbackThresholds.slowerMultiple * medianDuration {
        flags.append(.slowerThanSet)
      }
    }
    if let medianSmoothness = median(earlier.map(\.metrics.smoothness)), medianSmoothness < 0,
      event.metrics.smoothness.isFinite,
      event.metrics.smoothness < FeedbackThresholds.lessSmoothMultiple * medianSmoothness
    {
      flags.append(.lessSmooth)
    }
    return flags
  }

  /// Set-level figures over a step's counted, detected (not manual) repetitions.
  public static func setFeedback(for reps: [RepEvent]) -> SetFeedback {
    let ranges = reps.map(\.metrics.rangeDegrees).filter(\.isFinite)
    let durations = reps.map(\.durationSeconds).filter { $0.isFinite && $0 > 0 }
    var feedback = SetFeedback.empty
    feedback.count = reps.count
    feedback.medianRangeDegrees = median(ranges)
    feedback.medianDurationSeconds = median(durations)
    guard reps.count >= FeedbackThresholds.minimumRepsForSetStatistics else { return feedback }
    feedback.tempoCoefficientOfVariation = coefficientOfVariation(durations)
    feedback.rangeCoefficientOfVariation = coefficientOfVariation(ranges)
    feedback.rangeLostPercent = rangeLostPercent(ranges)
    if let cv = feedback.tempoCoefficientOfVariation,
      cv > FeedbackThresholds.tempoCoefficientOfVariation
    {
      feedback.flags.append(.unevenTempo)
    }
    if let cv = feedback.rangeCoefficientOfVariation,
      cv > FeedbackThresholds.rangeCoefficientOfVariation
    {
      feedback.flags.append(.unevenRange)
    }
    if let lost = feedback.rangeLostPercent, lost > FeedbackThresholds.rangeLostPercent {
      feedback.flags.append(.rangeLost)
    }
    return feedback
  }

  /// Percent of range lost between the first and the last third of the set (at most three
  /// repetitions each): the fatigue figure.
  public static func rangeLostPercent(_ ranges: [Double]) -> Double? {
    guard ranges.count >= FeedbackThresholds.minimumRepsForSetStatistics else { return nil }
    let edge = min(3, ranges.count / 3)
    guard edge > 0 else { return nil }
    let first = ranges.prefix(edge).reduce(0, +) / Double(edge)
    let last = ranges.suffix(edge).reduce(0, +) / Double(edge)
    guard first > 0 else { return nil }
    return 100 * (first - last) / first
  }

  /// Symmetry index between two values, in percent (Robinson et al. 1987).
  public static func symmetryIndexPercent(_ first: Double, _ second: Double) -> Double? {
    let mean = (first + second) / 2
    guard mean > 0, first.isFinite, second.isFinite else { return nil }
    return 100 * abs(first - second) / mean
  }

  /// Left vs right knee lifts and clockwise vs counter-clockwise hip rolls, from the median
  /// ranges of the finished steps.
  public static func symmetry(of results: [StepResult]) -> [SymmetryFinding] {
    func medianRange(_ match: (PlanStep) -> Bool) -> Double? {
      let ranges = results.filter { match($0.step) }.flatMap { result in
        result.reps.filter { $0.counted && !$0.isManual }.map(\.event.metrics.rangeDegrees)
      }
      return median(ranges.filter(\.isFinite))
    }
    var findings: [SymmetryFinding] = []
    let pairs: [(String, (PlanStep) -> Bool, (PlanStep) -> Bool)] = [
      (
        "knee lifts: left vs right",
        { $0.exercise == .kneeLift && $0.side == .left },
        { $0.exercise == .kneeLift && $0.side == .right }
      ),
      (
        "hip rolls: clockwise vs counter-clockwise",
        { $0.exercise == .hipRoll && $0.direction == .clockwise },
        { $0.exercise == .hipRoll && $0.direction == .counterclockwise }
      ),
    ]
    for (label, first, second) in pairs {
      guard let a = medianRange(first), let b = medianRange(second),
        let index = symmetryIndexPercent(a, b)
      else { continue }
      findings.append(
        SymmetryFinding(
          label: label, firstRangeDegrees: a, secondRangeDegrees: b, indexPercent: index))
    }
    return findings
  }

  public static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// Sample standard deviation over mean; `nil` for fewer than two values or a zero mean.
  public static func coefficientOfVariation(_ values: [Double]) -> Double? {
    guard values.count >= 2 else { return nil }
    let mean = values.reduce(0, +) / Double(values.count)
    guard mean > 0 else { return nil }
    let variance =
      values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return variance.squareRoot() / mean
  }
}

/// One plain sentence per flag, for the live view and the report.
public enum FeedbackSentences {
  public static func sentence(for flag: RepFlag, event: RepEvent, step: PlanStep) -> String {
    switch flag {
    case .wrongDirection:
      let done = event.direction.map(directionWords) ?? "the other way"
      let wanted = step.direction.map(directionWords) ?? "the other way"
      return "That was \(done), this set is \(wanted)."
    case .wrongSide:
      let done = event.side?.rawValue ?? "other"
      let wanted = step.side?.rawValue ?? "other"
      return "That was your \(done) knee, this set is the \(wanted) one."
    case .sideUnsure:
      let done = event.side?.rawValue ?? "other"
      let wanted = step.side?.rawValue ?? "this"
      return
        "That looked like your \(done) knee; counted, as the rest of this set is the \(wanted) one."
    case .tooFast:
      let minimum = step.tempoSeconds?.lowerBound ?? 0
      return String(
        format: "Go gently: that took %.1f s, take at least %.1f s per repetition.",
        event.durationSeconds, minimum)
    case .tooSlow:
      return String(
        format: "That one took %.1f s, slower than this step's tempo; keep moving steadily.",
        event.durationSeconds)
    case .partial: return "That one was too small to count; make the full movement."
    case .afterLongPause: return "Welcome back after a long pause."
    case .smallRange: return "Smaller than your other repetitions in this set."
    case .quickerThanSet: return "Quicker than your other repetitions; keep an even pace."
    case .slowerThanSet: return "Slower than your other repetitions."
    case .lessSmooth: return "Less smooth than your other repetitions; move without jerks."
    case .differentShape: return "Moved differently from your other repetitions."
    case .unlikeReference:
      return "Moved differently from the reference repetitions you made when calibrating."
    case .manual: return "Added by hand."
    case .creditedToNextStep: return "Counted for the next step: you had moved on."
    }
  }

  public static func sentence(for flag: StepFlag, result: StepResult) -> String {
    let feedback = result.feedback
    switch flag {
    case .movedOn:
      return "You moved on after \(result.count) of \(result.step.targetReps); that is fine."
    case .incomplete:
      return "The session ended at \(result.count) of \(result.step.targetReps)."
    case .skipped: return "Not done in this session."
    case .complete: return "Done: \(result.count) of \(result.step.targetReps)."
    case .manuallyAdjusted:
      return "The count was corrected by hand (\(signed(result.manualAdjustment)))."
    case .wrongDirection: return "Some repetitions went the other way round and were not counted."
    case .wrongSide: return "Some repetitions used the other knee and were not counted."
    case .tooFast: return "Some repetitions were faster than the plan's tempo; go gently."
    case .longPause: return "You paused for a long time within this set."
    case .partialReps:
      return "\(result.partialCount) repetition(s) were too small to count."
    case .unevenTempo:
      return String(
        format: "Your pace varied a lot (%.0f %% variation); try a steady rhythm.",
        100 * (feedback.tempoCoefficientOfVariation ?? 0))
    case .unevenRange:
      return String(
        format: "Your range varied a lot (%.0f %% variation); aim for the same size each time.",
        100 * (feedback.rangeCoefficientOfVariation ?? 0))
    case .rangeLost:
      return String(
        format: "Your last repetitions were %.0f %% smaller than the first: you may be tiring.",
        feedback.rangeLostPercent ?? 0)
    }
  }

  public static func sentence(for finding: SymmetryFinding) -> String {
    let percent = String(format: "%.0f", finding.indexPercent)
    let label = finding.label.capitalizedFirst
    if finding.isFlagged {
      return "\(label) differ by \(percent) % (above 10 %, worth watching)."
    }
    return "\(label) are balanced (\(percent) % difference)."
  }

  static func directionWords(_ direction: RotationDirection) -> String {
    direction == .clockwise ? "clockwise" : "counter-clockwise"
  }

  static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }
}

extension String {
  var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
