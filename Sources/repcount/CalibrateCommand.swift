import ArgumentParser
import BodyCalibration
import Foundation
import MotionCore
import MotionInput

struct CalibrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calibrate",
    abstract: "Learn how the device sits on your body, and its gyroscope bias and scale.",
    discussion: """
      Guided steps, one at a time, each with a progress bar, a confidence figure and a retry \
      when it was not clean: 1 stand still, 2 lean forward from the hips and back, 3 lie on \
      your back, 4 lift the right knee once, 5 the left knee; with --turns N also turn the \
      device N full turns flat on a table (gyroscope scale); with --reference-reps N also do N \
      waist twists and N hip rolls as usual, the reference sessions compare your form with. \
      With --input the same steps are \
      found in a recording (still periods of 2 s or more separate them). The profile is JSON \
      (see Calibration/README.md), written to --out or to \
      $XDG_CONFIG_HOME/repcount/profiles/ (default ~/.config/repcount/profiles/).
      """)

  @OptionGroup var input: InputOptions

  @Option(
    help: ArgumentHelp(
      "Where to write the profile (default: the per-device profile path).", valueName: "file"))
  var out: String?

  @Option(help: "Full turns for the optional gyroscope scale step (0 skips it).")
  var turns = 0

  @Option(
    help: ArgumentHelp(
      "Live: also ask for this many reference twists and hip rolls, which sessions compare "
        + "your repetitions with (0 skips them). Recordings: found whenever present.",
      valueName: "reps"))
  var referenceReps = 0

  func validate() throws {
    guard turns >= 0 && turns <= 20 else { throw ValidationError("--turns must be 0…20.") }
    guard referenceReps >= 0 && referenceReps <= 10 else {
      throw ValidationError("--reference-reps must be 0…10.")
    }
  }

  func run() throws {
    var settings = CalibrationSettings()
    settings.scaleTurns = turns
    settings.referenceReps = referenceReps
    // Live, Ctrl-C ends the wait for the next frame, and the run with a message.
    var source = try input.openFrameSource(notice: { printError($0) })
    let result: CalibrationResult
    if input.input != nil {
      var frames: [MotionFrame] = []
      while let frame = try source.nextFrame() { frames.append(frame) }
      result = CalibrationProcedure(settings: settings).run(frames: frames)
      for outcome in result.outcomes { print(CalibrateOutput.line(outcome, settings: settings)) }
    } else {
      result = try guided(&source, settings: settings)
    }
    if turns > 0 && result.body.gyroBiasDPS == nil {
      print("This device has no gyroscope: the scale step (--turns) was skipped.")
    }
    guard result.isUsable else {
      throw CalibrationIncomplete(steps: result.uncleanSteps, settings: settings)
    }
    let device = source.device
    let identity = DeviceIdentity(
      vendor: device.vendor, product: device.product, name: device.name, uniq: device.uniq)
    let path =
      out
      ?? ProfileStore.defaultStore(environment: ProcessInfo.processInfo.environment).path(
        for: identity)
    let date = ISO8601DateFormatter().string(from: Date())
    try saveProfile(result.profile(device: identity, calibratedAt: date), path: path)
    print(CalibrateOutput.summary(result))
    print("Profile written to \(path)")
  }

  /// The live procedure: prompts, a progress bar on one line, a verdict per step.
  private func guided(_ source: inout any MotionFrameSource, settings: CalibrationSettings) throws
    -> CalibrationResult
  {
    var guide = GuidedCalibration(settings: settings)
    let terminal = isatty(STDOUT_FILENO) == 1
    var prompted: CalibrationStep?
    func prompt(_ step: CalibrationStep) -> String {
      step.prompt(turns: settings.scaleTurns, referenceReps: settings.referenceReps)
    }
    while let step = guide.currentStep {
      if prompted != step {
        let number = step.number.map { "Step \($0)/5" } ?? "Optional step"
        print("\n\(number): \(prompt(step))")
        prompted = step
      }
      guard let frame = try source.nextFrame() else {
        // Ctrl-C, or a device that went and did not come back.
        throw CalibrationStopped(
          step: step.number.map { "step \($0)/5" } ?? "the optional step \(step.rawValue)")
      }
      switch guide.process(frame) {
      case .none, .finished:
        break
      case .progress(_, let fraction, let status):
        if terminal {
          print("\r" + CalibrateOutput.bar(fraction) + " " + status + "\u{1B}[K", terminator: "")
          fflush(nil)
        }
      case .stepDone(let outcome):
        print((terminal ? "\r\u{1B}[K" : "") + CalibrateOutput.line(outcome, settings: settings))
      case .retry(let outcome):
        print((terminal ? "\r\u{1B}[K" : "") + CalibrateOutput.line(outcome, settings: settings))
        print("Let's do that again: \(prompt(step))")
      }
    }
    return guide.result ?? CalibrationProcedure(settings: settings).run(frames: guide.frames)
  }
}

/// The live calibration ended before its last step; exits non-zero without writing a profile.
struct CalibrationStopped: Error, CustomStringConvertible {
  var step: String

  var description: String {
    "calibration stopped at \(step) before it finished; no profile written (run it again when ready)"
  }
}

/// The steps that must be redone; exits non-zero without writing a profile.
struct CalibrationIncomplete: Error, CustomStringConvertible {
  var steps: [StepOutcome]
  var settings: CalibrationSettings

  var description: String {
    let lines = steps.map { "  " + CalibrateOutput.line($0, settings: settings) }
    return "calibration incomplete, no profile written; redo:\n" + lines.joined(separator: "\n")
  }
}

enum CalibrateOutput {
  static func bar(_ fraction: Double, width: Int = 24) -> String {
    let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded())
    return "[" + String(repeating: "#", count: filled)
      + String(repeating: "-", count: width - filled) + "]"
  }

  static func line(_ outcome: StepOutcome, settings: CalibrationSettings) -> String {
    let name = outcome.step.number.map { "\($0) " } ?? "+ "
    let verdict =
      outcome.isClean(settings) ? "ok" : (outcome.found ? "NOT CLEAN" : "NOT FOUND")
    var text =
      "\(name)\(outcome.step.rawValue): \(verdict), confidence "
      + String(format: "%.0f %%", outcome.confidence * 100)
    if let note = outcome.note { text += " (\(note))" }
    return text
  }

  static func summary(_ result: CalibrationResult) -> String {
    func vector(_ value: Vector3?) -> String {
      guard let value else { return "—" }
      return String(format: "[%.3f, %.3f, %.3f]", value.x, value.y, value.z)
    }
    var lines = [
      "right in sensor frame: \(vector(result.body.rightInSensor))",
      "up standing: \(vector(result.body.standingUpInSensor)), lying: \(vector(result.body.lyingUpInSensor))",
    ]
    if let bias = result.body.gyroBiasDPS {
      lines.append(
        "gyroscope bias: \(vector(bias)) °/s"
          + (result.gyroBiasStandardErrorDPS.map { String(format: " (± %.3f)", $0) } ?? ""))
    }
    if let scale = result.body.gyroScale {
      lines.append(String(format: "gyroscope scale correction: %.4f", scale))
    }
    if let right = result.kneeLiftRightDegrees, let left = result.kneeLiftLeftDegrees {
      lines.append(String(format: "knee-lift range (pelvis): right %.1f°, left %.1f°", right, left))
    }
    let references = Dictionary(grouping: result.referenceReps, by: \.exercise)
    if !references.isEmpty {
      let parts = [Exercise.kneeLift, .twist, .hipRoll].compactMap { exercise in
        references[exercise].map { "\($0.count) \(exercise.rawValue)" }
      }
      lines.append(
        "reference repetitions for the form comparison: " + parts.joined(separator: ", "))
    }
    return lines.joined(separator: "\n")
  }
}
