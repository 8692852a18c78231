import Foundation
import Testing

/// `repcount session --device` with the controller's count buttons (R1 adds one and L1 takes one
/// off on a DualSense; each controller's pair is in its device table entry), through the real
/// libudev pairing and libevdev reads of the gamepad/buttons node, driven by
/// `Fixtures/pad_buttons.py`: the motion stream and the presses start once repcount holds both
/// nodes open, so the buttons are pressed while the session runs (after an unplug and replug, on
/// the new gamepad node).
@Suite("Pad buttons under umockdev")
struct PadButtonsIntegrationTests {
  struct Outcome: Decodable {
    var steps: [Bool]
    var interrupted: Bool
    var status: Int?
    var stdout: String
    var stderr: String
  }

  /// The fields of the `session --json` lines this test looks at.
  struct SessionLine: Decodable, Equatable {
    var event: String
    var step: Int?
    var index: Int?
    var stepCount: Int?
    var delta: Int?
    var count: Int?
    var manual: Int?
    var target: Int?
    var ending: String?
    var flags: [String]?
    var status: String?
  }

  /// A one-step plan small enough for the buttons alone to finish it. The resting stream
  /// holds no movement, so any count comes from the buttons.
  private static let plan = """
    name: pad-buttons
    steps:
      - exercise: any
        reps: 2
    """

  /// Every controller with a gamepad/buttons node, each with its fixture's presses of the
  /// buttons its driver reports (`Fixtures/generate.py`): add one, take one off, add one, add one.
  static let controllers = [
    "dualsense-usb", "dualshock4-usb", "dualshock3-usb", "joycon-left", "joycon-right",
    "pro-controller-usb", "wii-remote", "steam-deck",
  ].map(DeviceFixture.named)

  /// Runs the session on `fixture`'s motion node; `buttons` is the gamepad node's evemu stream,
  /// `nil` for no presses. With `replug` (DualSense only) the session waits for the device
  /// (`--wait`) and the controller is unplugged and plugged in again before the presses, which go
  /// to the new gamepad node.
  private func runSession(
    fixture: DeviceFixture = .named("dualsense-usb"), buttons: String?, replug: Bool = false
  ) throws -> (outcome: Outcome, lines: [SessionLine]) {
    let python = try Harness.umockdevPython()
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let planPath = directory + "/plan.yaml"
    try Self.plan.write(toFile: planPath, atomically: true, encoding: .utf8)
    // No stored profile or device table of the user's may take part.
    var environment = ["XDG_CONFIG_HOME": directory, "XDG_DATA_HOME": directory]
    // The uevents of the unplug and replug are sent from the script, under the preload.
    if replug { environment["LD_PRELOAD"] = "libumockdev-preload.so.0" }
    let result = try Harness.run(
      python,
      [Harness.fixturesDirectory + "/pad_buttons.py"] + (replug ? ["--replug"] : []) + [
        "--fixture", fixture.name, try Harness.repcountBinary(),
        buttons.map { Harness.fixturesDirectory + "/" + $0 } ?? "none", directory,
        "session", "--device", fixture.motionPath, "--plan", planPath, "--json",
        "--history", directory + "/history.sqlite",
      ] + (replug ? ["--wait"] : []),
      environment: environment, timeoutSeconds: replug ? 45 : 30)
    guard result.status == 0, let last = result.standardOutput.split(separator: "\n").last else {
      throw HarnessError(description: "pad_buttons.py failed: \(result.standardError)")
    }
    let outcome = try JSONDecoder().decode(Outcome.self, from: Data(last.utf8))
    let lines = try outcome.stdout.split(separator: "\n").map {
      try JSONDecoder().decode(SessionLine.self, from: Data($0.utf8))
    }
    return (outcome, lines)
  }

  /// What add one, take one off, add one, add one (R1, L1, R1, R1 on a DualSense) print on the
  /// one-step plan: 1, 0, 1, 2 counted, the step ends on its target, and the session finishes.
  private static let pressedLines: [SessionLine] = {
    let manualRep = { (index: Int, stepCount: Int) in
      SessionLine(
        event: "rep", step: 0, index: index, stepCount: stepCount, flags: ["manual"])
    }
    return [
      manualRep(1, 1),
      SessionLine(event: "adjust", step: 0, stepCount: 0, delta: -1),
      manualRep(1, 1),
      manualRep(2, 2),
      SessionLine(
        event: "step", index: 0, count: 2, manual: 2, target: 2, ending: "target",
        flags: ["complete", "manually-adjusted"]),
      SessionLine(
        event: "summary", count: 2, target: 2, flags: ["manually-adjusted"], status: "finished"),
    ]
  }()

  @Test(
    "the add-one button (R1 on a DualSense) adds one, the take-one-off button (L1) takes one off",
    arguments: controllers)
  func buttonsAdjustTheCount(_ fixture: DeviceFixture) throws {
    let (outcome, lines) = try runSession(fixture: fixture, buttons: fixture.name + "-pad.evemu")
    #expect(outcome.steps == [true], "repcount never opened the gamepad node: \(outcome.stderr)")
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(!outcome.interrupted, "the presses should have finished the step")
    #expect(lines == Self.pressedLines, "\(outcome.stdout)")
  }

  @Test("after an unplug and replug the buttons work on the new gamepad node")
  func buttonsFollowAReplug() throws {
    let (outcome, lines) = try runSession(
      buttons: "dualsense-usb-replugged-pad.evemu", replug: true)
    // Steps: first gamepad node open, waiting for the controller, back, new gamepad node open.
    #expect(outcome.steps.count == 4, "\(outcome.stderr)")
    #expect(outcome.steps.prefix(3).allSatisfy { $0 }, "\(outcome.stderr)")
    #expect(
      outcome.steps.dropFirst(3).allSatisfy { $0 },
      "repcount never opened the new gamepad node: \(outcome.stderr)")
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(!outcome.interrupted, "the presses should have finished the step")
    #expect(lines == Self.pressedLines, "\(outcome.stdout)")
  }

  @Test("without presses the same session counts nothing and waits for Ctrl-C")
  func noPressesNoCount() throws {
    let (outcome, lines) = try runSession(buttons: nil)
    #expect(outcome.steps == [true], "repcount never opened the gamepad node: \(outcome.stderr)")
    #expect(outcome.interrupted)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    // Only the last line of a stopped session: no step ended (so no target yet), step 0 stopped
    // with 0 counted.
    #expect(
      lines == [
        SessionLine(
          event: "summary", stepCount: 0, count: 0, target: 0, flags: [], status: "interrupted")
      ],
      "\(outcome.stdout)")
    #expect(outcome.stderr.contains("saved at step 1 with 0 counted"))
  }
}
