import ArgumentParser
import Foundation
import MotionInput
import MotionSimulator

extension SimulatedExercise: ExpressibleByArgument {}
extension SimulationDifficulty: ExpressibleByArgument {}
extension SimulationTempo: ExpressibleByArgument {}
extension SensorPlacement: ExpressibleByArgument {}

struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Write labelled recordings of simulated exercises (no hardware needed).",
    discussion: """
      A physical model of the body (hip rolls, waist twists, knee lifts, whole sessions with \
      walking and posture changes) drives a model of a real motion device: its driver's axes, \
      units, rate, fuzz filter, timestamps, noise, bias and lost reports. Each recording \
      FILE.evemu gets FILE.truth.json beside it with every rep, set and rest.

      Devices (device-table id: variants):
      \(Simulator.deviceIDs.map { "  \($0): " + Simulator.variants(of: $0).joined(separator: ", ") }.joined(separator: "\n"))

      Examples:
        repcount simulate --exercise hip-roll --out /tmp/hr.evemu
        repcount simulate --corpus /tmp/dev --count 300 --seed 1
      """)

  @Option(help: "knee-lift, twist, hip-roll or session (required with --out).")
  var exercise: SimulatedExercise?

  @Option(
    help:
      "Counted reps per set (per direction or side). Default: 10 hip rolls, 10 twists, 8 knee lifts."
  )
  var reps: Int?

  @Option(help: "Device-table id (see above). Default: drawn from the seed.")
  var device: String?

  @Option(help: "Device variant, e.g. usb or bluetooth. Default: drawn from the seed.")
  var variant: String?

  @Option(help: "waist, side, thigh or hand. Default: drawn from the seed.")
  var placement: SensorPlacement?

  @Option(help: "Random seed; the same seed gives the same bytes.")
  var seed: UInt64 = 1

  @Option(help: "easy, normal or hard (a corpus mixes all three unless given).")
  var difficulty: SimulationDifficulty?

  @Option(
    help: ArgumentHelp(
      "usual, or gentle: each repetition slower, as someone told to go gently moves (hip "
        + "circles 2.2 times as long, twists and knee lifts 1.6 times)."))
  var tempo: SimulationTempo = .usual

  @Option(help: "Output recording (FILE.evemu); the truth goes to FILE.truth.json.")
  var out: String?

  @Flag(
    help: ArgumentHelp(
      "With --out: write a calibration recording instead (the steps `repcount calibrate` asks "
        + "for: stand still, lean, lie still, right and left knee lifts, and --turns turns on a "
        + "table), to try `repcount calibrate --input FILE`. --placement waist or side."))
  var calibration = false

  @Option(help: "With --calibration: full turns of the gyroscope scale step (0 leaves it out).")
  var turns = 2

  @Option(
    help: ArgumentHelp(
      "With --calibration: reference twists and hip rolls after the lean (0 leaves them out).",
      valueName: "reps"))
  var referenceReps = 3

  @Option(help: "Write a varied corpus into this directory instead of one recording.")
  var corpus: String?

  @Option(help: "Number of recordings in the corpus.")
  var count: Int = 300

  func validate() throws {
    if out == nil && corpus == nil {
      throw ValidationError("give --out FILE.evemu (one recording) or --corpus DIR (many)")
    }
    if out != nil && corpus != nil {
      throw ValidationError("--out and --corpus exclude each other")
    }
    if calibration {
      guard out != nil, exercise == nil else {
        throw ValidationError("--calibration writes one recording: give --out, not --exercise")
      }
      if let placement, placement != .waist && placement != .side {
        throw ValidationError(
          "--calibration measures the pelvis: --placement waist or side, not \(placement.rawValue)")
      }
      guard (0...20).contains(turns) else { throw ValidationError("--turns must be 0…20") }
    }
    if out != nil && exercise == nil && !calibration {
      throw ValidationError("--out needs --exercise knee-lift|twist|hip-roll|session")
    }
    if let reps, reps < 1 || reps > 200 {
      throw ValidationError("--reps must be between 1 and 200")
    }
    if count < 1 { throw ValidationError("--count must be at least 1") }
    if let device, !Simulator.deviceIDs.contains(device) {
      throw ValidationError(
        "unknown device \"\(device)\"; known devices: \(Simulator.deviceIDs.joined(separator: ", "))"
      )
    }
    if variant != nil && device == nil {
      throw ValidationError("--variant needs --device")
    }
    if let variant, let device, !Simulator.variants(of: device).contains(variant) {
      throw ValidationError(
        "device \(device) has no variant \"\(variant)\"; variants: "
          + Simulator.variants(of: device).joined(separator: ", "))
    }
  }

  func run() throws {
    if let corpus {
      let filter = Corpus.Filter(
        exercise: exercise, deviceID: device, placement: placement, difficulty: difficulty,
        tempo: tempo)
      let items = Corpus.plan(count: count, seed: seed, filter: filter)
      let start = DispatchTime.now()
      let truths = try Corpus.write(items, directory: corpus)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      let reps = truths.reduce(0) { $0 + $1.reps.count }
      let minutes = truths.reduce(0) { $0 + $1.durationSeconds } / 60
      print(
        "wrote \(truths.count) recordings (\(String(format: "%.0f", minutes)) min, \(reps) reps) to "
          + "\(corpus) in \(String(format: "%.1f", seconds)) s")
      return
    }
    if calibration, let out {
      try writeCalibration(to: out)
      return
    }
    guard let out, let exercise else { return }
    let options = SimulationOptions(
      exercise: exercise, reps: reps, deviceID: device, deviceVariant: variant,
      placement: placement, difficulty: difficulty ?? .normal, tempo: tempo, seed: seed)
    let truth = try Simulator.write(options, to: out)
    let counted = truth.sets.reduce(0) { $0 + $1.countedReps }
    let partial = truth.sets.reduce(0) { $0 + $1.partialReps }
    print(
      "wrote \(out) (\(truth.device.id) \(truth.device.variant), \(truth.placement.rawValue), "
        + "\(truth.difficulty.rawValue), \(String(format: "%.1f", truth.durationSeconds)) s, "
        + "\(truth.sets.count) sets, \(counted) counted + \(partial) partial reps) and "
        + SimulationTruth.truthPath(forRecording: out))
  }

  private func writeCalibration(to path: String) throws {
    let scenario = try CalibrationScenario.make(
      CalibrationScenarioOptions(
        seed: seed, deviceID: device, deviceVariant: variant, placement: placement ?? .waist,
        scaleTurns: turns, referenceReps: referenceReps))
    let recording = scenario.calibration
    var writer = try EvemuWriter(path: path, device: recording.device)
    for event in recording.events { try writer.write(event) }
    try writer.close()
    print(
      "wrote \(path) (\(scenario.truth.deviceID) \(scenario.truth.deviceVariant), calibration "
        + "steps\(turns > 0 ? " with \(turns) turns" : "")"
        + "\(referenceReps > 0 ? ", \(referenceReps) reference twists and hip rolls" : ""))")
  }
}
