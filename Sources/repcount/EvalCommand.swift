import ArgumentParser
import Evaluation
import Foundation
import MotionCore

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Score the counter on simulated recordings that have truth files.",
    discussion: """
      Runs the counter over every DIR/*.evemu that has a .truth.json beside it (written by \
      `repcount simulate`) and reports, per exercise, device, difficulty and placement, and per \
      exercise with a gyroscope and with the accelerometer only: \
      exact-count and within-±1 rates per set, mean absolute count error, direction/side \
      accuracy per rep (reps matched by time overlap), reps counted while still, fidgeting, \
      walking or changing posture (per minute), latency from a rep's true end to its count \
      (median, 95th percentile), per-rep timing error, and the worst recordings.

      Single-exercise recordings run that exercise's detector over the whole file. Sessions run \
      each exercise's detector over its sets ± --margin seconds (never into another exercise's \
      sets), as a session would while the user moves between exercises.

      Example: repcount simulate --corpus /tmp/dev --count 300 --seed 1 && repcount eval /tmp/dev
      """)

  @Argument(help: "Directory of recordings (*.evemu with *.truth.json).")
  var directory: String

  @Flag(help: "Print the report as JSON.")
  var json = false

  @Flag(help: "With --json: include every recording's per-set and per-rep results.")
  var details = false

  // A string, not `Exercise`, so this file does not need Exercise's ExpressibleByArgument
  // conformance (which the count command owns).
  @Option(help: "Only evaluate sets of this exercise (knee-lift, twist, hip-roll).")
  var exercise: String?

  private var selectedExercise: Exercise? { exercise.flatMap(Exercise.init(rawValue:)) }

  @Option(help: "Seconds around each exercise block of a session that its detector also sees.")
  var margin: Double = 8

  @Option(help: "How many of the worst recordings to list.")
  var worst: Int = 10

  @Flag(help: "Use the trivial placeholder peak counter instead of MotionCore's detectors.")
  var placeholder = false

  @Flag(
    help: """
      Count every set with the generic counter of `count --exercise any` instead of the \
      exercise's own detector: how well it does on movements it knows nothing about.
      """)
  var generic = false

  @Flag(
    help: """
      Give each detector the profile a perfect calibration would produce (body right and up in \
      the sensor frame, from the truth's initial mounting). Needed for knee-lift sides.
      """)
  var calibrated = false

  func validate() throws {
    if let exercise, [nil, .any].contains(Exercise(rawValue: exercise)) {
      throw ValidationError(
        "--exercise \(exercise): use knee-lift, twist or hip-roll (the simulated exercises)")
    }
    if margin < 0 { throw ValidationError("--margin must not be negative") }
    if details && !json { throw ValidationError("--details needs --json") }
    if generic && placeholder {
      throw ValidationError("--generic and --placeholder exclude each other")
    }
  }

  func run() throws {
    let (paths, withoutTruth) = try RecordingEvaluator.recordings(in: directory)
    guard !paths.isEmpty else {
      throw EvaluationError(
        "\(directory): no recordings with truth files (*.evemu + *.truth.json); "
          + "make some with: repcount simulate --corpus \(directory) --count 300")
    }
    let factory: DetectorFactory
    let name: String
    if placeholder {
      factory = { exercise, _ in PlaceholderPeakCounter(exercise: exercise) }
      name = "placeholder peak counter (not a real detector)"
    } else {
      let calibrated = self.calibrated
      // The generic counter counts every set in place of the exercise's own detector.
      let counter: Exercise? = generic ? .any : nil
      factory = { exercise, truth in
        makeRepDetector(for: counter ?? exercise, profile: calibrated ? truth.idealProfile : nil)
      }
      name =
        (generic
          ? "MotionCore's generic counter (--exercise any) on every set"
          : "MotionCore makeRepDetector")
        + (calibrated ? " with ideal calibration profiles" : "")
    }
    let results = try RecordingEvaluator.evaluateAll(
      paths: paths, factory: factory,
      options: EvaluationOptions(exercise: selectedExercise, sessionMarginSeconds: margin))
    let report = EvaluationReport(
      results: results, detector: name, recordingsWithoutTruth: withoutTruth, worstCount: worst,
      includeDetails: details)
    if json {
      FileHandle.standardOutput.write(try report.jsonData())
      print()
    } else {
      print(report.text)
    }
  }
}
