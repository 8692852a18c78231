import Foundation
import MotionInput
import Testing

/// Unplug, replug, Ctrl-C and `devices --watch`, driven by `Fixtures/hotplug.py` (umockdev's
/// library API sends the uevents; `umockdev-run` alone cannot).
@Suite("Hotplug under umockdev")
struct HotplugIntegrationTests {
  struct Outcome: Decodable {
    var status: Int?
    var steps: [Bool]
    var stdout: String
    var stderr: String
  }

  struct Run {
    var outcome: Outcome
    var directory: String
    var frames: [DumpedFrame]
    var recordingPath: String { directory + "/recording.evemu" }
  }

  private func run(_ scenario: String) throws -> Run {
    let python = try Harness.umockdevPython()
    let directory = try Harness.temporaryDirectory()
    let result = try Harness.run(
      python,
      [
        Harness.fixturesDirectory + "/hotplug.py", scenario, try Harness.repcountBinary(),
        directory,
      ],
      environment: ["LD_PRELOAD": "libumockdev-preload.so.0"], timeoutSeconds: 40)
    guard result.status == 0, let line = result.standardOutput.split(separator: "\n").last else {
      throw HarnessError(description: "hotplug.py \(scenario) failed: \(result.standardError)")
    }
    let outcome = try JSONDecoder().decode(Outcome.self, from: Data(line.utf8))
    let dumpPath = directory + "/frames.jsonl"
    let frames =
      FileManager.default.fileExists(atPath: dumpPath) ? try DumpedFrame.load(dumpPath) : []
    return Run(outcome: outcome, directory: directory, frames: frames)
  }

  /// What `--input FILE.evemu` gives for the recording.
  private func replay(_ path: String) throws -> [DumpedFrame] {
    var source = try openRecording(path: path, deviceTable: .builtIn)
    var frames: [DumpedFrame] = []
    while let frame = try source.nextFrame() {
      frames.append(
        DumpedFrame(
          t: frame.timeSeconds,
          a: [frame.accelerationG.x, frame.accelerationG.y, frame.accelerationG.z],
          g: frame.angularVelocityDPS.map { [$0.x, $0.y, $0.z] }, lost: frame.framesLostBefore))
    }
    return frames
  }

  @Test("unplugged while recording: clear message, non-zero exit, every frame kept")
  func unplugEndsCleanly() throws {
    let run = try run("unplug")
    #expect(run.outcome.steps.allSatisfy { $0 })
    #expect(run.outcome.status == 1)
    #expect(run.outcome.stderr.contains("/dev/input/event11 (Sony Interactive Entertainment"))
    #expect(run.outcome.stderr.contains("disconnected. Recording stopped"))
    #expect(run.outcome.stderr.contains("10 frames"))
    #expect(!run.outcome.stderr.contains("Fatal error"))
    #expect(run.frames.count == 10)
    let text = Harness.read(run.recordingPath)
    #expect(text.hasSuffix("SYN_REPORT (0) ---------- +4ms\n"), "file ends on a complete frame")
    #expect(try replay(run.recordingPath) == run.frames)
  }

  @Test("--wait: waits for the controller to come back (new node, same uniq) and continues")
  func replugContinues() throws {
    let run = try run("replug")
    #expect(run.outcome.steps.allSatisfy { $0 })
    #expect(run.outcome.status == 0, "\(run.outcome.stderr)")
    #expect(run.outcome.stderr.contains("disconnected; waiting for it to come back"))
    #expect(run.outcome.stderr.contains("is back as /dev/input/event14"))
    #expect(run.frames.count == 20)
    // Only the first frame after the gap is marked.
    #expect(
      run.frames.map(\.lost) == Array(repeating: false, count: 10) + [true]
        + Array(repeating: false, count: 9))
    #expect(try replay(run.recordingPath) == run.frames)
  }

  @Test("--device auto --wait: waits for a first motion sensor to be plugged in")
  func waitsForFirstDevice() throws {
    let run = try run("late")
    #expect(run.outcome.steps.allSatisfy { $0 })
    #expect(run.outcome.status == 0, "\(run.outcome.stderr)")
    #expect(run.frames.count == 10)
    #expect(!run.frames.contains { $0.lost })
    #expect(try replay(run.recordingPath) == run.frames)
  }

  @Test("Ctrl-C: exit 0 and a properly closed recording")
  func interruptClosesFile() throws {
    let run = try run("interrupt")
    #expect(run.outcome.steps.allSatisfy { $0 })
    #expect(run.outcome.status == 0, "\(run.outcome.stderr)")
    #expect(run.outcome.stderr.contains("10 frames (80 events"))
    #expect(try replay(run.recordingPath) == run.frames)
    #expect(run.frames.count == 10)
  }

  @Test("devices --watch reports motion nodes as they come and go")
  func watchReportsHotplug() throws {
    let run = try run("watch")
    #expect(run.outcome.steps.allSatisfy { $0 })
    #expect(run.outcome.status == 0)
    let nodes = try ListedNode.parse(run.outcome.stdout)
    #expect(nodes.map(\.event) == ["add", "remove"])
    #expect(nodes.map(\.node) == ["/dev/input/event11", "/dev/input/event11"])
    #expect(nodes.first?.kind == "accelerometer+gyroscope")
    #expect(nodes.first?.pairedPad == "/dev/input/event10")
  }
}
