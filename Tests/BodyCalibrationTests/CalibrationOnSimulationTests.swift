import Foundation
import MotionCore
import MotionInput
import MotionSimulator
import Testing

@testable import BodyCalibration

/// Frames of a simulated recording, read through the same assembler a recording file uses.
func frames(of recording: SimulatedRecording, table: DeviceTable = .builtIn) throws -> [MotionFrame]
{
  var assembler = try FrameAssembler(
    device: recording.device, entry: table.entry(for: recording.device))
  var frames: [MotionFrame] = []
  for event in recording.events {
    if let frame = assembler.consume(event) { frames.append(frame) }
  }
  return frames
}

/// What one seed measured, for the figures.
struct SeedFigures {
  var label: String
  var rightErrorDegrees: Double
  var biasErrorDPS: Double?
  var scaleErrorPercent: Double?
  var foundScale: Double?
  /// Reps whose side the profile's right axis gets wrong (judged at each true rep).
  var profileSideMistakes: Int
  var profileSideMistakesWithTrueAxis: Int
  /// Counted reps the knee-lift detector gives the wrong side, with the profile and with the
  /// true right axis.
  var detectorSideMistakes: Int
  /// Counted reps given no side (an accelerometer-only device turned in its holder).
  var detectorUnknownSides: Int
  var detectorSideMistakesWithTrueAxis: Int
  var countedReps: Int
  var truthReps: Int
}

/// Runs one scenario end to end: calibrate on the calibration recording, compare with the
/// truth (the resting twin gives the exact zero-rate offset and gain the frames carry), then
/// count the knee-lift recording with the profile and check every rep's side.
func checkScenario(_ options: CalibrationScenarioOptions, table: DeviceTable = .builtIn) throws
  -> SeedFigures
{
  let scenario = try CalibrationScenario.make(options, deviceTable: table)
  let calibrationFrames = try frames(of: scenario.calibration, table: table)
  var settings = CalibrationSettings()
  settings.scaleTurns = options.scaleTurns
  let result = CalibrationProcedure(settings: settings).run(frames: calibrationFrames)
  let label =
    "seed \(options.seed) \(scenario.truth.deviceID)/\(scenario.truth.deviceVariant) "
    + "\(options.placement.rawValue)"
  for outcome in result.outcomes where !outcome.isClean(settings) {
    Issue.record("\(label): step \(outcome.step.rawValue) not clean: \(outcome.note ?? "")")
  }
  let right = try #require(result.body.rightInSensor, "\(label): no right axis")
  let rightError = right.angleDegrees(to: scenario.truth.rightInSensor)

  var biasError: Double?
  var scaleError: Double?
  if let bias = result.body.gyroBiasDPS {
    let twin = try frames(of: scenario.restingTwin, table: table)
    #expect(twin.count == calibrationFrames.count)
    // True offset over the same still stretches the calibration averaged.
    var sum = Vector3.zero
    var count = 0
    for period in result.stillPeriods {
      let from = period.startSeconds + settings.edgeTrimSeconds
      let to = period.endSeconds - settings.edgeTrimSeconds
      for frame in twin where frame.timeSeconds >= from && frame.timeSeconds <= to {
        sum += frame.angularVelocityDPS ?? .zero
        count += 1
      }
    }
    let trueBias = sum / Double(max(count, 1))
    biasError = (bias - trueBias).length
    if options.scaleTurns > 0, let turns = result.outcome(.gyroScaleTurns), turns.found,
      let scale = result.body.gyroScale
    {
      // True gain: what the frames integrate over the turn once the exact offset is removed.
      var rotation = Vector3.zero
      var previous: (Double, Vector3)?
      for (frame, rest) in zip(calibrationFrames, twin)
      where frame.timeSeconds >= turns.startSeconds && frame.timeSeconds <= turns.endSeconds {
        let rate = (frame.angularVelocityDPS ?? .zero) - (rest.angularVelocityDPS ?? .zero)
        if let (time, last) = previous {
          rotation += (rate + last) * (0.5 * (frame.timeSeconds - time))
        }
        previous = (frame.timeSeconds, rate)
      }
      let trueScale = Double(options.scaleTurns) * 360 / rotation.length
      scaleError = (scale / trueScale - 1) * 100
    }
  }

  // Count the knee lifts with the profile.
  let profile = result.profile(
    device: DeviceIdentity(
      vendor: scenario.calibration.device.vendor, product: scenario.calibration.device.product,
      name: scenario.calibration.device.name, uniq: scenario.calibration.device.uniq),
    calibratedAt: "2026-11-25T07:00:00Z")
  let kneeFrames = try frames(of: scenario.kneeLifts, table: table)
  let truth = scenario.kneeLifts.truth
  // Frame time = first frame time + simulated time (the device clock starts with the recording).
  let origin = kneeFrames.first?.timeSeconds ?? 0

  // The profile's own verdict on every rep: up's change at the top of the lift, against the
  // rest just before it, along the calibrated right (a right lift moves up toward the left).
  // The same verdict along the true right axis is the yardstick: where the movement itself is
  // ambiguous (a roll of a degree or two against the tilt), a perfect axis errs too.
  let truthReps = truth.reps.filter { !$0.partial }
  func sideMistakes(along axis: Vector3) -> [String] {
    var mistakes: [String] = []
    for rep in truthReps {
      let start = origin + rep.startSeconds
      let end = origin + rep.endSeconds
      var restSum = Vector3.zero
      for frame in kneeFrames where frame.timeSeconds >= start - 0.5 && frame.timeSeconds < start {
        restSum += frame.accelerationG
      }
      guard let rest = restSum.normalized else { continue }
      let lift = kneeFrames.filter { $0.timeSeconds >= start && $0.timeSeconds <= end }
      let angles = lift.map { $0.accelerationG.angleDegrees(to: rest) }
      let peak = angles.max() ?? 0
      var change = Vector3.zero
      for (frame, angle) in zip(lift, angles) where angle >= 0.8 * peak {
        change += (frame.accelerationG.normalized ?? rest) - rest
      }
      let side: BodySide = change.dot(axis) < 0 ? .right : .left
      if side != rep.side {
        mistakes.append(
          "rep \(rep.number ?? 0) of the \(rep.side?.rawValue ?? "?") set looks \(side)")
      }
    }
    return mistakes
  }
  let profileMistakes = sideMistakes(along: right)
  let trueAxisMistakes = sideMistakes(along: scenario.truth.rightInSensor)
  if profileMistakes.count > trueAxisMistakes.count {
    Issue.record(
      "\(label): the calibrated axis gets more sides wrong than the true one: \(profileMistakes)")
  }

  // The core's knee-lift detector with this profile, and with the true right axis (what a
  // perfect calibration would give): the calibration must not add side mistakes.
  func detectorMistakes(_ bodyProfile: BodyProfile) -> (mistakes: Int, unknown: Int, counted: Int) {
    var detector = makeRepDetector(for: .kneeLift, profile: bodyProfile)
    var events: [RepEvent] = []
    for frame in kneeFrames {
      if let event = detector.process(frame) { events.append(event) }
    }
    events += detector.finish()
    let sets = truth.sets
    let boundary = origin + (sets[0].endSeconds + sets[sets.count - 1].startSeconds) / 2
    let counted = events.filter { !$0.isPartial }
    let mistakes = counted.filter { event in
      let expected: BodySide =
        (event.startSeconds + event.endSeconds) / 2 < boundary ? .right : .left
      return event.side != expected && event.side != .unknown
    }
    let unknown = counted.filter { $0.side == .unknown }
    return (mistakes.count, unknown.count, counted.count)
  }
  let withProfile = detectorMistakes(profile.bodyProfile)
  var perfect = profile.bodyProfile
  perfect.rightInSensor = scenario.truth.rightInSensor
  let withTruth = detectorMistakes(perfect)
  return SeedFigures(
    label: label, rightErrorDegrees: rightError, biasErrorDPS: biasError,
    scaleErrorPercent: scaleError, foundScale: result.body.gyroScale,
    profileSideMistakes: profileMistakes.count,
    profileSideMistakesWithTrueAxis: trueAxisMistakes.count,
    detectorSideMistakes: withProfile.mistakes, detectorUnknownSides: withProfile.unknown,
    detectorSideMistakesWithTrueAxis: withTruth.mistakes, countedReps: withProfile.counted,
    truthReps: truthReps.count)
}

func summarize(_ figures: [SeedFigures], title: String) -> String {
  func stats(_ values: [Double]) -> String {
    guard !values.isEmpty else { return "n/a" }
    let sorted = values.sorted()
    let mean = values.reduce(0, +) / Double(values.count)
    return String(
      format: "mean %.3f, median %.3f, max %.3f (n=%d)", mean, sorted[sorted.count / 2],
      sorted.last ?? 0, values.count)
  }
  var lines = ["== \(title)"]
  for item in figures {
    lines.append(
      "  \(item.label): right err \(String(format: "%.1f", item.rightErrorDegrees))°"
        + (item.biasErrorDPS.map { String(format: ", bias err %.3f °/s", $0) } ?? "")
        + (item.scaleErrorPercent.map { String(format: ", scale err %+.2f %%", $0) } ?? "")
        + (item.foundScale.map { String(format: " (scale %.4f)", $0) } ?? "")
        + ", profile sides wrong \(item.profileSideMistakes)/\(item.truthReps)"
        + " (true axis: \(item.profileSideMistakesWithTrueAxis))"
        + ", detector sides wrong \(item.detectorSideMistakes)/\(item.countedReps)"
        + ", unknown \(item.detectorUnknownSides)"
        + " (true axis: \(item.detectorSideMistakesWithTrueAxis))")
  }
  lines.append("  right axis error °: " + stats(figures.map(\.rightErrorDegrees)))
  lines.append("  bias error °/s: " + stats(figures.compactMap(\.biasErrorDPS)))
  lines.append("  |scale error| %: " + stats(figures.compactMap(\.scaleErrorPercent).map(abs)))
  func total(_ values: [Int]) -> Int { values.reduce(0, +) }
  lines.append(
    "  profile sides wrong: \(total(figures.map(\.profileSideMistakes))) of "
      + "\(total(figures.map(\.truthReps))) reps; detector sides wrong: "
      + "\(total(figures.map(\.detectorSideMistakes))) of \(total(figures.map(\.countedReps))) "
      + "counted, \(total(figures.map(\.detectorUnknownSides))) with no side "
      + "(with the true axis: \(total(figures.map(\.detectorSideMistakesWithTrueAxis))))")
  return lines.joined(separator: "\n")
}

@Test func calibrationOnRandomDevicesAndMountings() throws {
  var figures: [SeedFigures] = []
  for seed in UInt64(1)...20 {
    let placement: SensorPlacement = seed % 3 == 0 ? .side : .waist
    let options = CalibrationScenarioOptions(
      seed: seed, placement: placement, scaleTurns: 3, kneeLiftReps: 4)
    let item = try checkScenario(options)
    figures.append(item)
    #expect(item.rightErrorDegrees < 10, "\(item.label)")
    if let bias = item.biasErrorDPS { #expect(bias < 0.2, "\(item.label)") }
    if let scale = item.scaleErrorPercent { #expect(abs(scale) < 1, "\(item.label)") }
    #expect(item.profileSideMistakes <= item.profileSideMistakesWithTrueAxis, "\(item.label)")
    // The issue's bar: with the profile, every counted knee lift has the right side. Only an
    // accelerometer-only device seen to turn in its holder may leave a lift without one.
    #expect(item.detectorSideMistakes == 0, "\(item.label)")
    if item.biasErrorDPS != nil { #expect(item.detectorUnknownSides == 0, "\(item.label)") }
  }
  print(summarize(figures, title: "calibration on 20 random devices/mountings"))
}

/// The issue's check as it reads: calibrate, then do knee lifts with the device as it was
/// calibrated. The user fidgets now and then (the shake is there) but the clip stays put, so
/// every device, accelerometer-only ones included, gives every counted lift its side, and the
/// right one. (In `calibrationOnRandomDevicesAndMountings` the fidgets also turn the device in
/// its holder, which an accelerometer alone cannot always follow.)
@Test func everyKneeLiftHasItsSideWhileTheDeviceStaysAsCalibrated() throws {
  var figures: [SeedFigures] = []
  for seed in UInt64(1)...40 {
    let placement: SensorPlacement = seed % 3 == 0 ? .side : .waist
    let item = try checkScenario(
      CalibrationScenarioOptions(
        seed: seed, placement: placement, kneeLiftReps: 4, kneeLiftFidgetsTurnDevice: false))
    figures.append(item)
    #expect(item.countedReps >= item.truthReps - 1, "\(item.label)")
    #expect(item.detectorSideMistakes == 0, "\(item.label)")
    #expect(item.detectorUnknownSides == 0, "\(item.label)")
  }
  print(summarize(figures, title: "knee-lift sides, device left as calibrated (40 seeds)"))
}

@Test func dualSenseBiasAndUncorrectedNintendoScale() throws {
  // The table's 0.858 correction removed: the calibration alone must find the ~14 % error.
  var table = DeviceTable.builtIn
  for index in table.entries.indices where table.entries[index].id.hasPrefix("nintendo") {
    table.entries[index].gyroscope?.scaleCorrection = nil
  }
  var figures: [SeedFigures] = []
  for seed in UInt64(101)...105 {
    let item = try checkScenario(
      CalibrationScenarioOptions(seed: seed, deviceID: "nintendo-pro-controller", scaleTurns: 3),
      table: table)
    figures.append(item)
    let scale = try #require(item.foundScale)
    // The driver reads ~15 % high, so the correction is about 1/1.15.
    #expect(scale > 0.84 && scale < 0.9, "\(item.label)")
    #expect(abs(item.scaleErrorPercent ?? 99) < 1, "\(item.label)")
    #expect(item.profileSideMistakes <= item.profileSideMistakesWithTrueAxis)
  }
  for seed in UInt64(201)...205 {
    let item = try checkScenario(
      CalibrationScenarioOptions(seed: seed, deviceID: "sony-dualsense", scaleTurns: 2))
    figures.append(item)
    #expect((item.biasErrorDPS ?? 99) < 0.2, "\(item.label)")
    #expect(item.profileSideMistakes <= item.profileSideMistakesWithTrueAxis)
  }
  print(summarize(figures, title: "Nintendo without table correction, DualSense bias"))
}

@Test func referenceRepetitionsInTheCalibration() throws {
  var lines: [String] = []
  for seed in UInt64(41)...52 {
    let placement: SensorPlacement = seed % 3 == 0 ? .side : .waist
    let scenario = try CalibrationScenario.make(
      CalibrationScenarioOptions(seed: seed, placement: placement, referenceReps: 3))
    let result = CalibrationProcedure().run(frames: try frames(of: scenario.calibration))
    let truth = scenario.truth
    let label = "seed \(seed) \(truth.deviceID) \(placement.rawValue)"
    let hasGyro = result.body.gyroBiasDPS != nil
    // The twists and hip rolls are not mistaken for the lean: right stays right.
    let right = try #require(result.body.rightInSensor, "\(label)")
    #expect(right.angleDegrees(to: truth.rightInSensor) < 10, "\(label)")
    let twists = result.referenceReps.filter { $0.exercise == .twist }
    let hipRolls = result.referenceReps.filter { $0.exercise == .hipRoll }
    // A detector may miss the first repetition while it learns the rest; never more.
    if hasGyro {
      #expect(twists.count >= 2 && twists.count <= 3, "\(label): \(twists.count) twists")
      #expect(result.outcome(.referenceTwists)?.isClean(result.settings) == true, "\(label)")
    } else {
      #expect(twists.isEmpty, "\(label)")
    }
    #expect(hipRolls.count >= 2 && hipRolls.count <= 3, "\(label): \(hipRolls.count) hip rolls")
    #expect(
      hipRolls.allSatisfy { $0.direction == truth.referenceHipRollDirection }, "\(label)")
    // Each trace is one movement: twists swing both ways by about the amplitude (25–45°),
    // hip rolls tilt away by about the diameter of the tilt circle (2 × 6–12°).
    for twist in twists {
      let swing = (twist.angleDegrees.max() ?? 0) - (twist.angleDegrees.min() ?? 0)
      #expect(swing > 25 && swing < 100, "\(label): twist swing \(swing)°")
    }
    for roll in hipRolls {
      let tilt = roll.angleDegrees.max() ?? 0
      #expect(tilt > 6 && tilt < 30, "\(label): hip-roll tilt \(tilt)°")
    }
    lines.append("\(label): \(twists.count) twists, \(hipRolls.count) hip rolls")
  }
  print(lines.joined(separator: "\n"))
}

/// The live procedure fed the frames one by one, as `calibrate --device` does: each step is
/// prompted, judged and done in order, and it ends with the profile a recording gives.
@Test func guidedCalibrationFollowsTheSteps() throws {
  for seed in UInt64(61)...72 {
    let scenario = try CalibrationScenario.make(
      CalibrationScenarioOptions(seed: seed, scaleTurns: 2))
    let label = "seed \(seed) \(scenario.truth.deviceID)"
    let allFrames = try frames(of: scenario.calibration)
    var settings = CalibrationSettings()
    settings.scaleTurns = 2
    var guide = GuidedCalibration(settings: settings)
    var done: [String] = []
    var retries: [String] = []
    var sawProgress = false
    // Live, the person keeps still until the prompt says the step is done: after the
    // recording's last (still) frame, the same reading goes on for up to 5 s.
    var frames = allFrames
    if let last = allFrames.last, allFrames.count > 1 {
      let step = last.timeSeconds - allFrames[allFrames.count - 2].timeSeconds
      for index in 1...Int(5 / max(step, 0.001)) {
        var still = last
        still.timeSeconds += Double(index) * step
        frames.append(still)
      }
    }
    for frame in frames {
      switch guide.process(frame) {
      case .stepDone(let outcome): done.append(outcome.step.rawValue)
      case .retry(let outcome): retries.append(outcome.step.rawValue + ": " + (outcome.note ?? ""))
      case .progress: sawProgress = true
      case .none, .finished: break
      }
      if guide.isFinished { break }
    }
    let hasGyro = allFrames.first?.angularVelocityDPS != nil
    // Without a gyroscope there is no scale to check.
    let expected = CalibrationStep.allCases.filter {
      $0 != .referenceTwists && $0 != .referenceHipRolls && (hasGyro || $0 != .gyroScaleTurns)
    }.map(\.rawValue)
    #expect(done == expected, "\(label): done \(done), retries \(retries)")
    #expect(sawProgress)
    guard let result = guide.result, let right = result.body.rightInSensor else {
      Issue.record("\(label): no result")
      continue
    }
    #expect(right.angleDegrees(to: scenario.truth.rightInSensor) < 10, "\(label)")
  }
}

/// Frames lost in the middle of the turns (what a reader that fell behind gives: the frames are
/// missing and the next one is marked) are bridged: a short loss leaves the scale found within
/// 0.1 % of what the whole recording gives, and the step clean; a long one makes the step ask
/// for the turns again.
@Test func framesLostInTheTurnsAreBridgedWhenShort() throws {
  let cases: [(String, UInt64)] = [
    ("sony-dualsense", 201), ("sony-dualsense", 202), ("nintendo-pro-controller", 101),
    ("nintendo-pro-controller", 102),
  ]
  var settings = CalibrationSettings()
  settings.scaleTurns = 3
  let procedure = CalibrationProcedure(settings: settings)
  for (device, seed) in cases {
    let scenario = try CalibrationScenario.make(
      CalibrationScenarioOptions(seed: seed, deviceID: device, scaleTurns: 3))
    let whole = try frames(of: scenario.calibration)
    let result = procedure.run(frames: whole)
    let turns = try #require(result.outcome(.gyroScaleTurns), "\(device) \(seed)")
    let wholeScale = try #require(result.body.gyroScale, "\(device) \(seed)")
    #expect(turns.isClean(settings), "\(device) \(seed): \(turns.note ?? "")")
    // Cut a stretch out of the middle of the turns.
    let middle = (turns.startSeconds + turns.endSeconds) / 2
    for lostSeconds in [0.05, 0.1, 0.6] {
      var gapped: [MotionFrame] = []
      var marked = false
      for frame in whole {
        if frame.timeSeconds >= middle && frame.timeSeconds < middle + lostSeconds { continue }
        var kept = frame
        if frame.timeSeconds >= middle + lostSeconds && !marked {
          kept.framesLostBefore = true
          marked = true
        }
        gapped.append(kept)
      }
      let label = "\(device) \(seed), \(lostSeconds) s lost"
      let again = procedure.run(frames: gapped)
      let outcome = try #require(again.outcome(.gyroScaleTurns), "\(label)")
      #expect(outcome.note?.contains("frames were lost") == true, "\(label)")
      if lostSeconds <= 0.1 {
        #expect(outcome.isClean(settings), "\(label): \(outcome.note ?? "")")
        let scale = try #require(again.body.gyroScale, "\(label)")
        #expect(abs(scale / wholeScale - 1) < 0.001, "\(label): \(scale) against \(wholeScale)")
      } else {
        #expect(!outcome.isClean(settings), "\(label): \(outcome.note ?? "")")
      }
    }
  }
}
