import ArgumentParser
import Foundation
import Sessions

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write one session as a self-contained HTML page with charts.",
    discussion: """
      The page needs no network: styles and SVG charts are inline. It shows each step's count and \
      remarks, the movement signal with every repetition marked, per-repetition range and tempo \
      bars, left/right and clockwise/counter-clockwise balance, and the trend over past sessions.
      """)

  @Argument(
    help: ArgumentHelp("Session id (see `repcount history`) or 'last'.", valueName: "session"))
  var session: String

  @Option(name: .long, help: ArgumentHelp("Where to write the HTML page.", valueName: "file"))
  var html: String

  @OptionGroup var history: HistoryOptions

  func validate() throws {
    if session != "last" && Int64(session) == nil {
      throw ValidationError("SESSION must be a session id (a number) or 'last', not '\(session)'.")
    }
  }

  func run() throws {
    let store = try history.open()
    let id: Int64
    if let number = Int64(session) {
      id = number
    } else {
      guard let last = try store.sessions().last else {
        throw ValidationError("No sessions yet in \(store.path).")
      }
      id = last.id
    }
    let page = ReportRenderer.html(try ReportData(store: store, sessionID: id))
    do {
      try page.write(toFile: html, atomically: true, encoding: .utf8)
    } catch {
      throw ValidationError("\(html): cannot write the report: \(error.localizedDescription)")
    }
    print("Wrote session \(id) to \(html).")
  }
}
