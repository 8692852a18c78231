import Foundation
import MotionCore

/// One session boiled down for `history` and the report's trend chart.
public struct SessionOverview: Hashable, Sendable {
  public var session: SessionRecord
  public var countedReps: Int
  public var targetReps: Int
  public var completeSteps: Int
  public var steps: Int
  /// Per exercise: counted repetitions and the median range of the detected ones.
  public var exercises: [ExerciseFigures]

  public struct ExerciseFigures: Hashable, Sendable {
    public var exercise: Exercise
    public var countedReps: Int
    public var medianRangeDegrees: Double?
    public var medianDurationSeconds: Double?
  }

  public func figures(for exercise: Exercise) -> ExerciseFigures? {
    exercises.first { $0.exercise == exercise }
  }
}

/// Totals for one exercise over a period (a week, or all time).
public struct ExerciseTotals: Hashable, Sendable {
  public var exercise: Exercise
  /// First day of the period (Monday for weeks, UTC), `nil` for all time.
  public var periodStart: Date?
  public var sessions: Int
  public var countedReps: Int
  public var medianRangeDegrees: Double?
  public var medianDurationSeconds: Double?
}

/// Sessions, per-exercise totals and weekly trends from the history.
public struct HistoryOverview: Sendable {
  public var sessions: [SessionOverview]
  public var allTime: [ExerciseTotals]
  public var weeks: [ExerciseTotals]

  /// Reads everything from the store; `exercise` keeps only sessions (and totals) with it.
  public init(store: HistoryStore, exercise: Exercise? = nil) throws(HistoryError) {
    var overviews: [SessionOverview] = []
    var detectedByExercise: [Exercise: [(Date, Int64, RepEvent)]] = [:]
    for session in try store.sessions() {
      let results = try store.stepResults(session: session.id).map(\.result)
      var figures: [SessionOverview.ExerciseFigures] = []
      for kind in Exercise.allCases {
        let steps = results.filter { $0.step.exercise == kind }
        guard !steps.isEmpty else { continue }
        let detected = steps.flatMap(\.reps).filter { $0.counted && !$0.isManual }.map(\.event)
        for event in detected {
          detectedByExercise[kind, default: []].append((session.startedAt, session.id, event))
        }
        figures.append(
          .init(
            exercise: kind, countedReps: steps.reduce(0) { $0 + $1.count },
            medianRangeDegrees: FormFeedback.median(
              detected.map(\.metrics.rangeDegrees).filter(\.isFinite)),
            medianDurationSeconds: FormFeedback.median(detected.map(\.durationSeconds))))
      }
      if let exercise, !figures.contains(where: { $0.exercise == exercise && $0.countedReps > 0 }) {
        continue
      }
      overviews.append(
        SessionOverview(
          session: session, countedReps: results.reduce(0) { $0 + $1.count },
          targetReps: results.reduce(0) { $0 + $1.step.targetReps },
          completeSteps: results.filter { $0.count >= $0.step.targetReps }.count,
          steps: results.count, exercises: figures))
    }
    sessions = overviews
    let kinds = Exercise.allCases.filter { kind in exercise == nil || kind == exercise }
    allTime = Self.totals(overviews, kinds: kinds, detected: detectedByExercise, period: nil)
    var weeks: [ExerciseTotals] = []
    let weekStarts = Set(overviews.map { Self.weekStart(of: $0.session.startedAt) }).sorted()
    for week in weekStarts {
      let inWeek = overviews.filter { Self.weekStart(of: $0.session.startedAt) == week }
      weeks += Self.totals(inWeek, kinds: kinds, detected: detectedByExercise, period: week)
    }
    self.weeks = weeks
  }

  private static func totals(
    _ overviews: [SessionOverview], kinds: [Exercise],
    detected: [Exercise: [(Date, Int64, RepEvent)]], period: Date?
  ) -> [ExerciseTotals] {
    let ids = Set(overviews.map(\.session.id))
    return kinds.compactMap { kind in
      let withKind = overviews.filter { $0.figures(for: kind) != nil }
      guard !withKind.isEmpty else { return nil }
      let events = (detected[kind] ?? []).filter { ids.contains($0.1) }.map(\.2)
      return ExerciseTotals(
        exercise: kind, periodStart: period, sessions: withKind.count,
        countedReps: withKind.reduce(0) { $0 + ($1.figures(for: kind)?.countedReps ?? 0) },
        medianRangeDegrees: FormFeedback.median(
          events.map(\.metrics.rangeDegrees).filter(\.isFinite)),
        medianDurationSeconds: FormFeedback.median(events.map(\.durationSeconds)))
    }
  }

  /// Monday 00:00 UTC of the date's ISO week.
  public static func weekStart(of date: Date) -> Date {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
    return calendar.date(from: components) ?? date
  }
}
