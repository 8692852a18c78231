import ArgumentParser
import Foundation
import MotionCore
import Sessions

/// Where the history database is (`--history FILE`), shared by session, history and report.
struct HistoryOptions: ParsableArguments {
  @Option(
    name: .customLong("history"),
    help: ArgumentHelp(
      "History database (default: $XDG_DATA_HOME/repcount/history.sqlite, else ~/.local/share/repcount/history.sqlite).",
      valueName: "file"))
  var path: String?

  func open() throws -> HistoryStore {
    try HistoryStore(path: path ?? HistoryStore.defaultPath())
  }
}

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List past sessions, per-exercise totals and weekly trends.",
    discussion: """
      With --json, prints JSON Lines: one {"event":"session"} per session (oldest first), one \
      {"event":"total"} per exercise over all time and one {"event":"week"} per exercise and ISO \
      week (weeks start on Monday, UTC).
      """)

  @OptionGroup var history: HistoryOptions

  @Flag(name: .long, help: "Print JSON Lines instead of tables.")
  var json = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only sessions with this exercise: knee-lift, twist, hip-roll or any.", valueName: "name"))
  var exercise: String?

  func validate() throws {
    if let exercise, Exercise(rawValue: exercise) == nil {
      throw ValidationError(
        "Unknown exercise '\(exercise)'; use knee-lift, twist, hip-roll or any.")
    }
  }

  func run() throws {
    let store = try history.open()
    let overview = try HistoryOverview(store: store, exercise: exercise.flatMap(Exercise.init))
    if json {
      printJSON(overview)
    } else {
      printTables(overview, path: store.path)
    }
  }

  private func printJSON(_ overview: HistoryOverview) {
    let iso = ISO8601DateFormatter()
    for item in overview.sessions {
      let exercises: [JSONValue] = item.exercises.map { figures in
        .object([
          ("exercise", .string(figures.exercise.rawValue)),
          ("count", .integer(figures.countedReps)),
          ("medianRangeDegrees", .finite(figures.medianRangeDegrees)),
          ("medianDurationSeconds", .finite(figures.medianDurationSeconds)),
        ])
      }
      print(
        JSONValue.object([
          ("event", .string("session")),
          ("id", .integer(Int(item.session.id))),
          ("startedAt", .string(iso.string(from: item.session.startedAt))),
          ("plan", .string(item.session.planName)),
          ("status", .string(item.session.status.rawValue)),
          ("count", .integer(item.countedReps)),
          ("target", .integer(item.targetReps)),
          ("stepsComplete", .integer(item.completeSteps)),
          ("steps", .integer(item.steps)),
          ("exercises", .array(exercises)),
        ]).text)
    }
    for totals in overview.allTime { print(totalsJSON(totals, event: "total", iso: iso)) }
    for totals in overview.weeks { print(totalsJSON(totals, event: "week", iso: iso)) }
  }

  private func totalsJSON(_ totals: ExerciseTotals, event: String, iso: ISO8601DateFormatter)
    -> String
  {
    var fields: [(String, JSONValue)] = [("event", .string(event))]
    if let start = totals.periodStart {
      fields.append(("weekStart", .string(iso.string(from: start))))
    }
    fields += [
      ("exercise", .string(totals.exercise.rawValue)),
      ("sessions", .integer(totals.sessions)),
      ("count", .integer(totals.countedReps)),
      ("medianRangeDegrees", .finite(totals.medianRangeDegrees)),
      ("medianDurationSeconds", .finite(totals.medianDurationSeconds)),
    ]
    return JSONValue.object(fields).text
  }

  private func printTables(_ overview: HistoryOverview, path: String) {
    guard !overview.sessions.isEmpty else {
      print("No sessions yet in \(path). Start one with `repcount session --device auto`.")
      return
    }
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    print("Sessions")
    print(
      pad("id", 5) + pad("started", 18) + pad("plan", 14) + pad("reps", 9) + pad("steps", 7)
        + "status")
    for item in overview.sessions {
      print(
        pad("\(item.session.id)", 5) + pad(formatter.string(from: item.session.startedAt), 18)
          + pad(item.session.planName, 14) + pad("\(item.countedReps)/\(item.targetReps)", 9)
          + pad("\(item.completeSteps)/\(item.steps)", 7) + item.session.status.rawValue)
    }
    print("")
    print("Per exercise, all time")
    print(
      pad("exercise", 11) + pad("sessions", 10) + pad("reps", 7) + pad("median range", 14)
        + "median time")
    for totals in overview.allTime { print(totalsRow(totals)) }
    print("")
    print("By week (starting Monday)")
    let dayFormatter = DateFormatter()
    dayFormatter.dateFormat = "yyyy-MM-dd"
    dayFormatter.timeZone = TimeZone(identifier: "UTC")
    var previous: [Exercise: Double] = [:]
    for totals in overview.weeks {
      var trend = ""
      if let range = totals.medianRangeDegrees, let before = previous[totals.exercise] {
        let change = range - before
        let sign = change >= 0 ? "+" : "−"
        trend = "  " + sign + String(format: "%.1f° vs the week before", abs(change))
      }
      if let range = totals.medianRangeDegrees { previous[totals.exercise] = range }
      print(
        pad(dayFormatter.string(from: totals.periodStart ?? Date()), 12) + totalsRow(totals)
          + trend)
    }
  }

  private func totalsRow(_ totals: ExerciseTotals) -> String {
    pad(totals.exercise.rawValue, 11) + pad("\(totals.sessions)", 10)
      + pad("\(totals.countedReps)", 7)
      + pad(totals.medianRangeDegrees.map { String(format: "%.1f°", $0) } ?? "–", 14)
      + (totals.medianDurationSeconds.map { String(format: "%.1f s", $0) } ?? "–")
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
