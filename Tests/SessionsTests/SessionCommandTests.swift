import Foundation
import MotionCore
import MotionSimulator
import Testing

@testable import Sessions

#if canImport(Glibc)
  import Glibc
#endif

/// The built `repcount` next to the test bundle (`swift build` / `swift test` put both in the
/// same folder), or `nil` when it has not been built.
let repcountBinary: String? = {
  var candidates: [URL] = []
  if let executable = Bundle.main.executableURL {
    candidates.append(executable.deletingLastPathComponent())
  }
  candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
  candidates.append(
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
  for folder in candidates {
    let path = folder.appendingPathComponent("repcount").path
    if FileManager.default.isExecutableFile(atPath: path) { return path }
  }
  return nil
}()

/// A running `repcount` whose standard output is read line by line.
final class RepcountProcess {
  let process = Process()
  private let output = Pipe()
  private let errors = Pipe()
  private var buffer = Data()

  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = URL(fileURLWithPath: repcountBinary ?? "/nonexistent")
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.merge(environment) { $1 }
    process.environment = merged
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  /// The next line of standard output, or `nil` at its end.
  func nextLine() -> String? {
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...newline)
        return line
      }
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { return nil }
      buffer.append(chunk)
    }
  }

  func finish() -> (status: Int32, errors: String) {
    while nextLine() != nil {}
    process.waitUntilExit()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (process.terminationStatus, text)
  }
}

/// The simulated session as a recording file, with the plan its person followed.
func writeSimulatedRecording(in folder: String, seed: UInt64) throws -> (
  recording: String, plan: String, truth: SimulationTruth
) {
  let recording = folder + "/session.evemu"
  let truth = try Simulator.write(
    SimulationOptions(exercise: .session, seed: seed), to: recording)
  let steps = truth.sets.map { set in
    var line = "  - exercise: \(set.exercise.rawValue)\n    reps: \(set.countedReps)\n"
    if let side = set.side { line += "    side: \(side.rawValue)\n" }
    if let direction = set.direction { line += "    direction: \(direction.rawValue)\n" }
    return line
  }
  let plan = folder + "/plan.yaml"
  try ("name: simulated\nsteps:\n" + steps.joined()).write(
    toFile: plan, atomically: true, encoding: .utf8)
  return (recording, plan, truth)
}

/// `repcount session` over the simulated session of `seed` with the plan its person followed,
/// its history in `folder`; `extraArguments` after those.
func startSimulatedSession(in folder: String, seed: UInt64, _ extraArguments: [String]) throws
  -> (
    run: RepcountProcess, files: (recording: String, plan: String, truth: SimulationTruth),
    history: String
  )
{
  let files = try writeSimulatedRecording(in: folder, seed: seed)
  let history = folder + "/history.sqlite"
  let run = try RepcountProcess(
    ["session", "--plan", files.plan, "--input", files.recording, "--history", history]
      + extraArguments)
  return (run, files, history)
}

@Suite(.enabled(if: repcountBinary != nil, "needs the built repcount binary"))
struct SessionCommandTests {
  @Test func killedMidSessionKeepsEveryRepAndResumes() throws {
    let folder = TemporaryFolder()
    // Real time ×8: the person is mid-session when we pull the plug.
    let (run, files, history) = try startSimulatedSession(
      in: folder.path, seed: 3, ["--json", "--replay-speed", "8"])
    var printed: [[String: Any]] = []
    while let line = run.nextLine() {
      let object = try #require(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      printed.append(object)
      if printed.filter({ $0["event"] as? String == "rep" && $0["counted"] as? Bool == true })
        .count >= 12
      {
        kill(run.process.processIdentifier, SIGKILL)
        break
      }
    }
    let ended = run.finish()
    #expect(ended.status == SIGKILL)
    #expect(run.process.terminationReason == .uncaughtSignal)

    // Every repetition printed before the kill is in the history, as printed.
    let store = try HistoryStore(path: history)
    let session = try #require(try store.sessions().last)
    #expect(session.status == .running)
    let stored = try store.reps(session: session.id)
    let printedReps = printed.filter { $0["event"] as? String == "rep" }
    #expect(printedReps.count >= 12)
    // A rep printed again under the same sequence (credited to the next step once the user had
    // moved on) supersedes its earlier line, in the history as on the output.
    var latestBySequence: [Int: [String: Any]] = [:]
    for rep in printedReps {
      if let sequence = rep["sequence"] as? Int { latestBySequence[sequence] = rep }
    }
    for rep in latestBySequence.values {
      let sequence = try #require(rep["sequence"] as? Int)
      let match = stored.first { $0.sequence == sequence }
      #expect(match?.counted == rep["counted"] as? Bool, "sequence \(sequence)")
      #expect(match?.stepIndex == rep["step"] as? Int)
    }

    // Resume: carries on at the open step with its count, and finishes the session.
    let point = try #require(try store.resumePoint())
    let lastCounted = try #require(
      printedReps.last { $0["counted"] as? Bool == true && $0["step"] as? Int == point.stepIndex })
    #expect(point.stepCount == lastCounted["stepCount"] as? Int)
    let resumed = try RepcountProcess([
      "session", "--resume", "--input", files.recording, "--history", history, "--json",
    ])
    var steps: [[String: Any]] = []
    while let line = resumed.nextLine() {
      let object = try #require(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if object["event"] as? String == "step" { steps.append(object) }
    }
    let finished = resumed.finish()
    #expect(finished.status == 0, "\(finished.errors)")
    #expect(steps.first?["index"] as? Int == point.stepIndex)
    #expect(try store.session(id: session.id)?.status == .finished)
    #expect(try store.session(id: session.id)?.segments == 2)
  }

  @Test func ctrlCStopsCleanlyAndLeavesTheSessionResumable() throws {
    let folder = TemporaryFolder()
    let (run, _, history) = try startSimulatedSession(
      in: folder.path, seed: 1, ["--replay-speed", "8"])
    var lines = 0
    while let line = run.nextLine() {
      if line.contains("/") { lines += 1 }
      if lines >= 4 {
        kill(run.process.processIdentifier, SIGINT)
        break
      }
    }
    let ended = run.finish()
    #expect(ended.status == 0, "\(ended.errors)")
    #expect(ended.errors.contains("carry on with `repcount session --resume`"))
    let store = try HistoryStore(path: history)
    let session = try #require(try store.sessions().last)
    #expect(session.status == .interrupted)
    #expect(try store.resumePoint()?.session.id == session.id)
  }

  @Test func ctrlCWithJSONEndsWithAnInterruptedSummary() throws {
    let folder = TemporaryFolder()
    let (run, _, history) = try startSimulatedSession(
      in: folder.path, seed: 1, ["--replay-speed", "8", "--json"])
    var steps = 0
    while let line = run.nextLine() {
      if line.contains(#""event":"step""#) { steps += 1 }
      if steps >= 1 {
        kill(run.process.processIdentifier, SIGINT)
        break
      }
    }
    var last: String?
    while let line = run.nextLine() { last = line }
    let ended = run.finish()
    #expect(ended.status == 0, "\(ended.errors)")
    let line = try #require(last)
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(summary["event"] as? String == "summary")
    #expect(summary["status"] as? String == "interrupted")
    let point = try #require(try HistoryStore(path: history).resumePoint())
    #expect(summary["stoppedAtStep"] as? Int == point.stepIndex)
    #expect(summary["stepCount"] as? Int == point.stepCount)
    #expect(summary["steps"] as? Int == point.stepIndex)
  }

  @Test func missingInputLeavesNoEmptySession() throws {
    let folder = TemporaryFolder()
    let history = folder.path + "/h.sqlite"
    let run = try RepcountProcess([
      "session", "--input", folder.path + "/missing.evemu", "--history", history,
    ])
    let ended = run.finish()
    #expect(ended.status != 0)
    #expect(ended.errors.contains("missing.evemu"))
    #expect(try HistoryStore(path: history).sessions().isEmpty)
  }

  @Test func badPlanNamesFileAndLine() throws {
    let folder = TemporaryFolder()
    let plan = folder.path + "/bad.yaml"
    try "steps:\n  - exercise: twist\n    reps: 10\n  - exercise: cartwheel\n    reps: 3\n"
      .write(toFile: plan, atomically: true, encoding: .utf8)
    let run = try RepcountProcess([
      "session", "--plan", plan, "--input", "/nonexistent.evemu", "--history",
      folder.path + "/h.sqlite",
    ])
    let ended = run.finish()
    #expect(ended.status != 0)
    #expect(ended.errors.contains("\(plan):4: unknown exercise 'cartwheel'"), "\(ended.errors)")
  }

  @Test func jsonStepsFollowThePlanAndReportIsWritten() throws {
    let folder = TemporaryFolder()
    let (run, files, history) = try startSimulatedSession(
      in: folder.path, seed: 2, ["--json"])
    var events: [[String: Any]] = []
    while let line = run.nextLine() {
      events.append(
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
    }
    #expect(run.finish().status == 0)
    let steps = events.filter { $0["event"] as? String == "step" }
    #expect(steps.map { $0["index"] as? Int } == Array(0..<files.truth.sets.count))
    #expect(
      steps.map { $0["exercise"] as? String } == files.truth.sets.map(\.exercise.rawValue))
    #expect(events.last?["event"] as? String == "summary")
    #expect(
      events.allSatisfy {
        ["rep", "step", "summary", "pause"].contains($0["event"] as? String ?? "")
      })

    let html = folder.path + "/report.html"
    let report = try RepcountProcess(["report", "last", "--html", html, "--history", history])
    #expect(report.finish().status == 0)
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("<svg id=\"signal\""))
    #expect(page.contains("<polyline class=\"trace trace-x\""))

    let list = try RepcountProcess(["history", "--json", "--history", history])
    var lines: [[String: Any]] = []
    while let line = list.nextLine() {
      lines.append(
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
    }
    #expect(list.finish().status == 0)
    #expect(lines.filter { $0["event"] as? String == "session" }.count == 1)
    #expect(!lines.filter { $0["event"] as? String == "total" }.isEmpty)
  }
}
