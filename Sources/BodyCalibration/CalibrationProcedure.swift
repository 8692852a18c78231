import MotionCore

/// How one step went.
public struct StepOutcome: Hashable, Sendable {
  public var step: CalibrationStep
  /// Whether the step was found at all (a recording may lack it).
  public var found: Bool
  /// 0 … 1; see each step's rule in `CalibrationProcedure`.
  public var confidence: Double
  public var startSeconds: Double
  public var endSeconds: Double
  /// What lowered the confidence, or why the step was not found.
  public var note: String?

  public func isClean(_ settings: CalibrationSettings) -> Bool {
    found && confidence >= settings.minimumConfidence
  }

  static func missing(_ step: CalibrationStep, _ note: String) -> StepOutcome {
    StepOutcome(step: step, found: false, confidence: 0, startSeconds: 0, endSeconds: 0, note: note)
  }
}

/// Everything a calibration measured.
public struct CalibrationResult: Sendable {
  public var settings: CalibrationSettings
  /// One outcome per step looked for, in step order.
  public var outcomes: [StepOutcome]
  public var body = BodyProfile()
  public var forwardInSensor: Vector3?
  public var gyroBiasStandardErrorDPS: Double?
  public var noiseFloor: NoiseFloor?
  public var kneeLiftRightDegrees: Double?
  public var kneeLiftLeftDegrees: Double?
  /// Integrated angle of the turn step (bias removed, before scale correction), degrees.
  public var measuredTurnDegrees: Double?
  public var stillPeriods: [StillPeriod] = []
  public var referenceReps: [ReferenceRep] = []

  public func outcome(_ step: CalibrationStep) -> StepOutcome? {
    outcomes.first { $0.step == step }
  }

  /// Steps that must be redone before the profile can be trusted. Reference repetitions are a
  /// bonus: without clean ones the profile simply has none.
  public var uncleanSteps: [StepOutcome] {
    outcomes.filter { !$0.isClean(settings) && !$0.step.isReferenceRepetitions }
  }

  /// A profile needs up, right (for knee-lift sides) and, with a gyroscope, the bias.
  public var isUsable: Bool { uncleanSteps.isEmpty && body.rightInSensor != nil }

  public func profile(device: DeviceIdentity, calibratedAt: String) -> CalibrationProfile {
    CalibrationProfile(
      calibratedAt: calibratedAt, device: device, body: body, forwardInSensor: forwardInSensor,
      gyroBiasStandardErrorDPS: gyroBiasStandardErrorDPS, noiseFloor: noiseFloor,
      kneeLiftRightDegrees: kneeLiftRightDegrees, kneeLiftLeftDegrees: kneeLiftLeftDegrees,
      steps: outcomes.filter(\.found).map {
        StepRecord(
          step: $0.step, confidence: ($0.confidence * 1000).rounded() / 1000,
          startSeconds: $0.startSeconds, endSeconds: $0.endSeconds, note: $0.note)
      },
      referenceReps: referenceReps)
  }
}

/// The calibration over a recorded stream: still periods (≥ 2 s) separate the steps, each step
/// is recognised by what it does (standing rests share one up; lying rests are ~90° from it;
/// a lean is a 8–60° excursion between standing rests; knee lifts are excursions between lying
/// rests; the turns rotate about up), measured, and given a confidence.
///
/// Right comes from two independent measurements: the lean (forward = where the body leans;
/// up seen by the sensor moves backwards) and lying on the back (up then *is* the body's
/// forward), each crossed with the standing up: right = forward × up. The lying estimate is
/// exact whatever the lean style, so it is used when both agree; their disagreement lowers the
/// lean's confidence. The knee lifts then check the side convention the counter uses (a right
/// lift moves up toward the body's left).
public struct CalibrationProcedure: Sendable {
  public var settings: CalibrationSettings

  public init(settings: CalibrationSettings = CalibrationSettings()) {
    self.settings = settings
  }

  public func run(frames: [MotionFrame]) -> CalibrationResult {
    let periods = StillnessSegmenter.stillPeriods(in: frames, settings: settings)
    var result = CalibrationResult(settings: settings, outcomes: [])
    result.stillPeriods = periods
    guard let standing = periods.first else {
      result.outcomes = CalibrationStep.allCases.filter(settings.asks(for:)).map {
        .missing($0, "no still period of \(settings.minimumStillSeconds) s or more was found")
      }
      return result
    }
    let hasGyro = standing.meanAngularVelocityDPS != nil
    let bias = estimateBias(periods)
    result.body.gyroBiasDPS = bias?.mean
    result.gyroBiasStandardErrorDPS = bias?.standardError
    result.body.standingUpInSensor = standing.upInSensor
    result.noiseFloor = NoiseFloor(
      accelerationG: standing.accelerationNoiseG,
      angularVelocityDPS: standing.angularVelocityNoiseDPS)
    var outcomes = [evaluateStill(.standStill, standing)]

    func kind(_ period: StillPeriod) -> Posture {
      let angle = period.upInSensor.angleDegrees(to: standing.upInSensor)
      if angle < 35 { return .standing }
      if angle > 50 && angle < 130 { return .lying }
      return .other
    }
    let movements = zip(periods, periods.dropFirst()).map { before, after in
      (
        before: before, after: after,
        movement: Movement.measure(
          frames, from: before, to: after, biasDPS: bias?.mean, settings: settings)
      )
    }

    // Optional reference twists and hip rolls: repetitions between two standing rests. Found
    // first, so that a hip roll's tilt is never taken for the lean.
    var referenceFindings: [ReferenceFinding] = []
    for (index, item) in movements.enumerated()
    where kind(item.before) == .standing && kind(item.after) == .standing {
      if let finding = findReferenceReps(
        frames, item.before, item.after, item.movement, movementIndex: index,
        biasDPS: bias?.mean)
      {
        referenceFindings.append(finding)
      }
    }
    let referenceMovements = Set(referenceFindings.map(\.movementIndex))

    // Step 2: the best lean between two standing rests.
    var lean: (outcome: StepOutcome, forward: Vector3)?
    for (index, item) in movements.enumerated()
    where kind(item.before) == .standing && kind(item.after) == .standing
      && !referenceMovements.contains(index)
    {
      let movement = item.movement
      guard movement.peakAngleDegrees >= 8 && movement.peakAngleDegrees <= 60 else { continue }
      if let candidate = evaluateLean(movement, item.before, item.after, standing: standing),
        candidate.outcome.confidence > (lean?.outcome.confidence ?? -1)
      {
        lean = candidate
      }
    }

    // Step 3: the first lying rest (after the lean when there is one).
    let leanEnd = lean?.outcome.endSeconds ?? standing.endSeconds
    let lying = periods.first { kind($0) == .lying && $0.startSeconds >= leanEnd }
    var forwardFromLying: Vector3?
    if let lying {
      var outcome = evaluateStill(.lieStill, lying)
      let angle = lying.upInSensor.angleDegrees(to: standing.upInSensor)
      // Lying flat on the back turns the body 90°; a propped-up trunk or a side lie less so.
      let angleScore = clamp01(1 - max(0, abs(angle - 90) - 20) / 25)
      if angleScore < 1 {
        outcome.confidence *= angleScore
        outcome.note = joined(
          outcome.note, "lying \(Int(angle.rounded()))° from standing (expected about 90°)")
      }
      outcomes.append(outcome)
      result.body.lyingUpInSensor = lying.upInSensor
      forwardFromLying = lying.upInSensor.rejecting(standing.upInSensor).normalized
    } else {
      outcomes.append(.missing(.lieStill, "no still period lying down (about 90° from standing)"))
    }

    // Right = forward × up, preferring the lying estimate.
    let up = standing.upInSensor
    if var chosenLean = lean {
      if let forwardFromLying {
        let disagreement = chosenLean.forward.angleDegrees(to: forwardFromLying)
        let agreement = clamp01(1 - max(0, disagreement - 15) / 30)
        if agreement < 1 {
          chosenLean.outcome.confidence *= agreement
          chosenLean.outcome.note = joined(
            chosenLean.outcome.note,
            "the lean went \(Int(disagreement.rounded()))° away from the forward lying on the back gives"
          )
        }
      }
      outcomes.insert(chosenLean.outcome, at: 1)
      result.forwardInSensor = chosenLean.forward
    } else {
      outcomes.insert(
        .missing(.leanForward, "no forward lean (8–60°) between two standing still periods"), at: 1)
    }
    let forward: Vector3?
    if let forwardFromLying, outcomes[2].isClean(settings) {
      forward = forwardFromLying
    } else {
      forward = lean.map(\.forward)
    }
    result.body.rightInSensor = forward.flatMap { $0.cross(up).normalized }

    // Steps 4 and 5: excursions between lying rests, checked against right.
    let lifts = movements.filter { item in
      guard let lying else { return false }
      return item.before.startSeconds >= lying.startSeconds && kind(item.before) == .lying
        && kind(item.after) == .lying && item.movement.peakAngleDegrees >= 3
        && item.movement.peakAngleDegrees < 60
    }
    let right = result.body.rightInSensor
    let classified = lifts.map { item in (item, side(of: item.movement, right: right)) }
    let rightLift = classified.first { $0.1.side == .right }
    let leftLift = classified.first {
      $0.1.side == .left
        && $0.0.movement.startSeconds > (rightLift?.0.movement.startSeconds ?? -1e300)
    }
    for (step, found, wanted) in [
      (CalibrationStep.rightKneeLift, rightLift, BodySide.right),
      (CalibrationStep.leftKneeLift, leftLift, BodySide.left),
    ] {
      guard let (item, judged) = found else {
        let note: String
        if right == nil {
          note = "cannot tell sides without steps 2 or 3"
        } else if lifts.isEmpty {
          note = "no knee lift (an excursion of 3° or more between two lying still periods)"
        } else {
          note =
            "no lift moved the pelvis the way a \(wanted.rawValue) knee lift does; "
            + "check you lifted the \(wanted.rawValue) knee"
        }
        outcomes.append(.missing(step, note))
        continue
      }
      let movement = item.movement
      var outcome = StepOutcome(
        step: step, found: true,
        confidence: judged.confidence * clamp01(movement.peakAngleDegrees / 5),
        startSeconds: movement.startSeconds, endSeconds: movement.endSeconds)
      if judged.confidence < 1 {
        outcome.note =
          "the pelvis barely rolled sideways (\(percent(judged.rollShare)) of the movement)"
      }
      if movement.peakAngleDegrees < 5 {
        outcome.note = joined(
          outcome.note, "small movement (\(Int(movement.peakAngleDegrees.rounded()))°)")
      }
      if movement.hasGap { outcome.note = joined(outcome.note, "frames were lost") }
      outcomes.append(outcome)
      if wanted == .right {
        result.kneeLiftRightDegrees = movement.peakAngleDegrees
      } else {
        result.kneeLiftLeftDegrees = movement.peakAngleDegrees
      }
      result.referenceReps.append(
        ReferenceRep(
          exercise: .kneeLift, side: wanted, sampleRateHz: Movement.traceRateHz,
          angleDegrees: storedTrace(movement.angleTraceDegrees)))
    }

    // Optional: reference repetitions, the movement with the most of each exercise.
    for (step, exercise) in [
      (CalibrationStep.referenceTwists, Exercise.twist), (.referenceHipRolls, .hipRoll),
    ] {
      let candidates = referenceFindings.filter { $0.exercise == exercise }
      guard let best = candidates.max(by: { $0.traces.count < $1.traces.count }) else {
        if settings.referenceReps > 0 {
          let note =
            step.needsGyroscope && !hasGyro
            ? "reference twists need a gyroscope"
            : "no \(exercise == .twist ? "twists" : "hip rolls") between two standing still periods"
          outcomes.append(.missing(step, note))
        }
        continue
      }
      let asked = settings.referenceReps > 0 ? settings.referenceReps : 3
      var outcome = StepOutcome(
        step: step, found: true,
        confidence: clamp01(Double(best.traces.count) / Double(asked)),
        startSeconds: best.movement.startSeconds, endSeconds: best.movement.endSeconds)
      if best.traces.count < asked {
        outcome.note = "\(best.traces.count) of \(asked) repetitions counted"
      }
      if best.movement.hasGap { outcome.note = joined(outcome.note, "frames were lost") }
      outcomes.append(outcome)
      if outcome.isClean(settings) {
        result.referenceReps += best.traces.map { trace in
          ReferenceRep(
            exercise: exercise, side: nil, direction: trace.direction,
            sampleRateHz: RepTraceRecorder.sampleRateHz,
            angleDegrees: storedTrace(trace.angleDegrees))
        }
      }
    }

    // Optional: the gyroscope scale turns.
    // (Not looked for without a gyroscope: there is no scale to check.)
    if settings.scaleTurns > 0 && hasGyro {
      if let (outcome, measured) = bestTurns(
        movements.map { ($0.before, $0.after, $0.movement) })
      {
        outcomes.append(outcome)
        result.measuredTurnDegrees = measured
        if outcome.isClean(settings) {
          result.body.gyroScale = Double(settings.scaleTurns) * 360 / measured
        }
      } else {
        outcomes.append(
          .missing(
            .gyroScaleTurns,
            "no turn of \(settings.scaleTurns)×360° about up between two still periods"))
      }
    }
    result.outcomes = outcomes
    return result
  }

  private enum Posture { case standing, lying, other }

  /// A reference trace as the profile stores it: to 0.01°, finer is noise and only bloats the
  /// file.
  private func storedTrace(_ angleDegrees: [Double]) -> [Double] {
    angleDegrees.map { ($0 * 100).rounded() / 100 }
  }

  /// Reference repetitions found in one movement between two standing rests.
  struct ReferenceFinding {
    var exercise: Exercise
    var movementIndex: Int
    var movement: Movement
    var traces: [(direction: RotationDirection?, angleDegrees: [Double])]
  }

  /// Runs the twist and hip-roll detectors (the ones sessions use) over a movement between two
  /// standing rests, rests included so they learn the rest. Twists turn about up far more than
  /// they tilt; hip rolls tilt more than they turn; a lean counts as neither (one excursion, no
  /// repetitions).
  func findReferenceReps(
    _ frames: [MotionFrame], _ before: StillPeriod, _ after: StillPeriod, _ movement: Movement,
    movementIndex: Int, biasDPS: Vector3?
  ) -> ReferenceFinding? {
    let profile = BodyProfile(standingUpInSensor: before.upInSensor, gyroBiasDPS: biasDPS)
    var twists = makeRepDetector(for: .twist, profile: profile)
    var hipRolls = makeRepDetector(for: .hipRoll, profile: profile)
    var recorder = RepTraceRecorder(
      capacitySeconds: after.endSeconds - before.startSeconds + 1)
    var twistReps: [RepEvent] = []
    var hipRollReps: [RepEvent] = []
    let first = max(before.frameRange.lowerBound, 0)
    let last = min(after.frameRange.upperBound, frames.count)
    guard first < last else { return nil }
    for frame in frames[first..<last] {
      recorder.process(frame)
      if let rep = twists.process(frame), !rep.isPartial { twistReps.append(rep) }
      if let rep = hipRolls.process(frame), !rep.isPartial { hipRollReps.append(rep) }
    }
    twistReps += twists.finish().filter { !$0.isPartial }
    hipRollReps += hipRolls.finish().filter { !$0.isPartial }

    // How far the movement turned about up (peak to peak, bias and drift removed) against how
    // far it tilted.
    let turn =
      recorder.trace(
        for: .twist, fromSeconds: movement.startSeconds, toSeconds: movement.endSeconds
      )
      .map { ($0.max() ?? 0) - ($0.min() ?? 0) }
    let tilt = movement.peakAngleDegrees
    let exercise: Exercise
    let reps: [RepEvent]
    if let turn, twistReps.count >= 2, turn > 3 * tilt {
      exercise = .twist
      reps = twistReps
    } else if hipRollReps.count >= 2, tilt >= 2, turn.map({ $0 < 3 * tilt }) ?? true {
      exercise = .hipRoll
      reps = hipRollReps
    } else {
      return nil
    }
    let traces = reps.compactMap { rep in
      recorder.trace(for: exercise, fromSeconds: rep.startSeconds, toSeconds: rep.endSeconds)
        .map { (direction: rep.direction, angleDegrees: $0) }
    }
    guard !traces.isEmpty else { return nil }
    return ReferenceFinding(
      exercise: exercise, movementIndex: movementIndex, movement: movement, traces: traces)
  }

  /// Still steps: full confidence from `targetStillSeconds` on, scaled down by noise near the
  /// stillness thresholds.
  func evaluateStill(_ step: CalibrationStep, _ period: StillPeriod) -> StepOutcome {
    let durationScore = clamp01(period.durationSeconds / settings.targetStillSeconds)
    let accelerationScore = clamp01(
      1.5 - 1.5 * period.accelerationNoiseG / settings.stillAccelerationThresholdG)
    let gyroScore = period.angularVelocityNoiseDPS.map {
      clamp01(1.5 - 1.5 * $0 / settings.stillGyroThresholdDPS)
    }
    let confidence = durationScore * accelerationScore * (gyroScore ?? 1)
    var note: String?
    if durationScore < 1 {
      note =
        "still for \(format1(period.durationSeconds)) s of \(format1(settings.targetStillSeconds))"
    }
    if accelerationScore * (gyroScore ?? 1) < 1 { note = joined(note, "not quite still") }
    return StepOutcome(
      step: step, found: true, confidence: confidence, startSeconds: period.startSeconds,
      endSeconds: period.endSeconds, note: note)
  }

  /// The lean: a clear excursion (full confidence for 12–40°), in one direction (the peak's
  /// tilt is mostly along one axis), coming back to the same standing up.
  func evaluateLean(
    _ movement: Movement, _ before: StillPeriod, _ after: StillPeriod, standing: StillPeriod
  ) -> (outcome: StepOutcome, forward: Vector3)? {
    let up = standing.upInSensor
    guard let backward = movement.upChangeAtPeak.rejecting(up).normalized else { return nil }
    let angle = movement.peakAngleDegrees
    let sizeScore = clamp01(min((angle - 5) / 7, (60 - angle) / 20))
    let returnAngle = before.upInSensor.angleDegrees(to: after.upInSensor)
    let returnScore = clamp01(1 - max(0, returnAngle - 5) / 10)
    var note: String?
    if sizeScore < 1 { note = "lean of \(Int(angle.rounded()))° (best 15–30°)" }
    if returnScore < 1 {
      note = joined(note, "did not come back upright (\(Int(returnAngle.rounded()))° off)")
    }
    if movement.hasGap { note = joined(note, "frames were lost") }
    let outcome = StepOutcome(
      step: .leanForward, found: true, confidence: sizeScore * returnScore,
      startSeconds: movement.startSeconds, endSeconds: movement.endSeconds, note: note)
    // Leaning forward tilts the sensor with the body, so up, seen from the sensor, moves back.
    return (outcome, -backward)
  }

  struct SideJudgement {
    var side: BodySide
    /// |roll| / |up change| at the peak.
    var rollShare: Double
    var confidence: Double
  }

  /// A right lift rolls the pelvis toward the right, so up moves toward the body's left.
  func side(of movement: Movement, right: Vector3?) -> SideJudgement {
    guard let right, let change = movement.upChangeAtPeak.normalized else {
      return SideJudgement(side: .unknown, rollShare: 0, confidence: 0)
    }
    let roll = change.dot(right)
    // A roll of a tenth of the movement is already unambiguous against sensor noise.
    return SideJudgement(
      side: roll < 0 ? .right : .left, rollShare: abs(roll), confidence: clamp01(abs(roll) / 0.1))
  }

  /// Lost frames in the turn step are bridged when what the bridges may be off by is at most
  /// this fraction of the angle: a fifth of the 1 % scale error the step must find.
  static let bridgedTurnFraction = 0.002

  /// The turn step: rotation about the resting up, both rests on the same up, angle near N×360°.
  func bestTurns(_ candidates: [(StillPeriod, StillPeriod, Movement)]) -> (StepOutcome, Double)? {
    let expected = Double(settings.scaleTurns) * 360
    var best: (StepOutcome, Double)?
    for (before, after, movement) in candidates {
      guard let rotation = movement.integratedRotationDegrees else { continue }
      let measured = rotation.length
      guard measured > 0.5 * expected && measured < 2 * expected else { continue }
      let axisAngle = rotation.angleDegrees(to: before.upInSensor)
      let offAxis = min(axisAngle, 180 - axisAngle)
      guard offAxis < 30 else { continue }
      let restAngle = before.upInSensor.angleDegrees(to: after.upInSensor)
      let ratio = measured / expected
      // A gyroscope more than 25 % off is more likely a miscounted turn than a scale error.
      let ratioScore = clamp01(1 - max(0, abs(ratio - 1) - 0.25) / 0.1)
      let axisScore = clamp01(1 - max(0, offAxis - 5) / 15)
      let restScore = clamp01(1 - max(0, restAngle - 3) / 7)
      var note: String?
      if ratioScore < 1 {
        note =
          "turned \(Int(measured.rounded()))°, far from \(Int(expected))°: count the turns again"
      }
      if axisScore < 1 {
        note = joined(note, "not flat on the table (\(Int(offAxis.rounded()))° tilt)")
      }
      if restScore < 1 { note = joined(note, "moved on the table") }
      // Lost frames are bridged; the step is clean only when what the bridges may be off by
      // is far below the scale error the step is there to find.
      let bridgeFraction = movement.bridgedUncertaintyDegrees / measured
      let bridged = bridgeFraction <= Self.bridgedTurnFraction
      if movement.hasGap {
        let lost = String(format: "%.2f s", movement.lostSeconds)
        let within = String(format: "%.1f°", movement.bridgedUncertaintyDegrees)
        note = joined(
          note,
          bridged
            ? "frames were lost for \(lost), bridged to within \(within)"
            : "frames were lost for \(lost): the angle is incomplete (off by up to \(within))")
      }
      let confidence = ratioScore * axisScore * restScore * (bridged ? 1 : 0)
      let outcome = StepOutcome(
        step: .gyroScaleTurns, found: true, confidence: confidence,
        startSeconds: movement.startSeconds, endSeconds: movement.endSeconds, note: note)
      if confidence > (best?.0.confidence ?? -1) { best = (outcome, measured) }
    }
    return best
  }

  /// The bias: the mean rate over every still period, weighted by length. Its standard error
  /// is the larger of the spread between periods (drift, sway) and the noise over the samples.
  func estimateBias(_ periods: [StillPeriod]) -> (mean: Vector3, standardError: Double)? {
    var weightSum = 0.0
    var sum = Vector3.zero
    var noiseSum = 0.0
    var samples = 0
    for period in periods {
      guard let mean = period.biasEstimateDPS, let noise = period.angularVelocityNoiseDPS
      else { return nil }
      let weight = Double(period.sampleCount)
      sum += mean * weight
      weightSum += weight
      noiseSum += noise * noise * weight
      samples += period.sampleCount
    }
    guard weightSum > 0 else { return nil }
    let mean = sum / weightSum
    // Neighbouring samples are correlated (sway, filtering): count ~20 independent per second.
    let seconds = periods.reduce(0) { $0 + $1.durationSeconds }
    let independent = max(1, min(Double(samples), seconds * 20))
    var standardError = (noiseSum / weightSum / independent).squareRoot()
    if periods.count >= 3 {
      var spread = 0.0
      for period in periods {
        guard let periodMean = period.biasEstimateDPS else { continue }
        spread += (periodMean - mean).lengthSquared / 3 * Double(period.sampleCount)
      }
      let between = (spread / weightSum / Double(periods.count - 1)).squareRoot()
      standardError = max(standardError, between)
    }
    return (mean, standardError)
  }
}

func joined(_ note: String?, _ more: String) -> String {
  guard let note else { return more }
  return note + "; " + more
}

func format1(_ value: Double) -> String {
  String(format: "%.1f", value)
}

func percent(_ share: Double) -> String {
  "\(Int((share * 100).rounded())) %"
}

#if canImport(Foundation)
  import Foundation
#endif
