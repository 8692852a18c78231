import Foundation
import MotionCore
import MotionInput

/// A simulated calibration (issue 6) and a knee-lift recording made with the same device, the
/// same sensor errors and the same mounting, so a profile computed from the first can be checked
/// on the second.
///
/// The calibration follows the guided steps: stand still, lean forward from the hips and come
/// back, stand still, optionally reference twists and hip rolls (each followed by standing
/// still), lie down, lie still, right knee lift, still, left knee lift, still, and
/// optionally N full turns about the vertical (the device resting in its lying orientation, as
/// on a table), still.
public struct CalibrationScenarioOptions: Hashable, Sendable {
  public var seed: UInt64
  public var deviceID: String?
  public var deviceVariant: String?
  /// `waist` or `side` (calibration measures the pelvis; a thigh or a hand does not follow it).
  public var placement: SensorPlacement
  /// Full turns in the gyroscope scale step; 0 leaves the step out.
  public var scaleTurns: Int
  /// Counted reps per side in the knee-lift recording.
  public var kneeLiftReps: Int
  public var kneeLiftDifficulty: SimulationDifficulty
  /// Reference twists and hip rolls (each its own bout between standing rests, after the lean);
  /// 0 leaves them out.
  public var referenceReps: Int
  /// Whether the knee-lift recording's fidgets turn the device in its holder, away from where
  /// the calibration found it (see `SimulationOptions.fidgetsTurnDevice`).
  public var kneeLiftFidgetsTurnDevice: Bool

  public init(
    seed: UInt64, deviceID: String? = nil, deviceVariant: String? = nil,
    placement: SensorPlacement = .waist, scaleTurns: Int = 0, kneeLiftReps: Int = 4,
    kneeLiftDifficulty: SimulationDifficulty = .normal, referenceReps: Int = 0,
    kneeLiftFidgetsTurnDevice: Bool = true
  ) {
    self.kneeLiftFidgetsTurnDevice = kneeLiftFidgetsTurnDevice
    self.referenceReps = referenceReps
    self.seed = seed
    self.deviceID = deviceID
    self.deviceVariant = deviceVariant
    self.placement = placement
    self.scaleTurns = scaleTurns
    self.kneeLiftReps = kneeLiftReps
    self.kneeLiftDifficulty = kneeLiftDifficulty
  }
}

/// What the calibration should find, in the sensor (project) frame.
public struct CalibrationScenarioTruth: Codable, Hashable, Sendable {
  public var deviceID: String
  public var deviceVariant: String
  public var placement: SensorPlacement
  public var rightInSensor: Vector3
  public var forwardInSensor: Vector3
  public var standingUpInSensor: Vector3
  public var leanDegrees: Double
  public var scaleTurns: Int
  /// Reference twists and hip rolls made (each), and which way the hip rolls went.
  public var referenceReps: Int
  public var referenceHipRollDirection: RotationDirection?
  /// The emulator's sensor errors (bias, scale, noise), shared by both recordings.
  public var deviceErrors: TruthDeviceErrors
}

public struct CalibrationScenario: Sendable {
  /// The calibration recording.
  public var calibration: SimulatedRecording
  /// The same device and timing with the sensor at perfect rest throughout: its gyroscope reads
  /// exactly the zero-rate offset (bias + drift) at every instant, frame for frame aligned with
  /// `calibration`. Tests take the true bias and scale from it.
  public var restingTwin: SimulatedRecording
  /// Knee lifts (the simulator's knee-lift exercise), same device, errors and mounting.
  public var kneeLifts: SimulatedRecording
  public var truth: CalibrationScenarioTruth

  public static func make(
    _ options: CalibrationScenarioOptions, deviceTable: DeviceTable = .builtIn
  ) throws -> CalibrationScenario {
    let kneeOptions = SimulationOptions(
      exercise: .kneeLift, reps: options.kneeLiftReps, deviceID: options.deviceID,
      deviceVariant: options.deviceVariant, placement: options.placement,
      difficulty: options.kneeLiftDifficulty, seed: options.seed,
      fidgetsTurnDevice: options.kneeLiftFidgetsTurnDevice)
    let prepared = try Simulator.prepare(kneeOptions, deviceTable: deviceTable)
    let kneeLifts = try Simulator.record(kneeOptions, deviceTable: deviceTable)

    var random = SimulationRandom(seed: options.seed ^ 0x6361_6C69_6272_6174)
    var layerRandom = random.fork()
    let plan = CalibrationPlan(
      scaleTurns: options.scaleTurns, referenceReps: options.referenceReps, random: &random)
    let geometry = PlacementGeometry(
      placement: prepared.placement, sideSign: prepared.sideSign, random: &layerRandom)
    let mount = MountTimeline(initial: prepared.mountRotation, fidgets: [])
    let trajectory = MotionTrajectory(
      segments: plan.segments, postural: PosturalLayer(scale: 1, random: &layerRandom),
      placement: geometry, mount: mount)
    var motionless = PosturalLayer(scale: 0, random: &layerRandom)
    motionless.swayRadians = [SmoothNoise(), SmoothNoise()]
    motionless.breathingLift = SmoothNoise()
    motionless.breathingTilt = SmoothNoise()
    let restingTrajectory = MotionTrajectory(
      segments: [.hold(plan.standing, start: 0, end: plan.durationSeconds)], postural: motionless,
      placement: geometry, mount: mount)

    func run(_ trajectory: MotionTrajectory) throws -> (SimulatedRecording, TruthDeviceErrors) {
      // The same emulator seed: same bias, scale, drift and the same report timing.
      var emulator = try DeviceEmulator(
        device: prepared.device, entry: prepared.entry,
        errorScale: prepared.profile.sensorErrorScale, random: prepared.emulatorRandom)
      var description: InputDeviceDescription?
      var events: [InputEvent] = []
      _ = try emulator.run(
        trajectory: trajectory, durationSeconds: plan.durationSeconds, dropouts: [],
        begin: { description = $0 }, emit: { events.append($0) })
      guard let description else { throw SimulationError("no device description produced") }
      return (
        SimulatedRecording(device: description, events: events, truth: kneeLifts.truth),
        emulator.errors.roundedForTruth
      )
    }
    let (calibration, errors) = try run(trajectory)
    let (twin, _) = try run(restingTrajectory)
    let inverse = prepared.mountRotation
    let truth = CalibrationScenarioTruth(
      deviceID: prepared.device.tableID, deviceVariant: prepared.device.variant,
      placement: prepared.placement, rightInSensor: inverse.inverseRotate(Vector3(1, 0, 0)),
      forwardInSensor: inverse.inverseRotate(Vector3(0, 1, 0)),
      standingUpInSensor: inverse.inverseRotate(Vector3(0, 0, 1)),
      leanDegrees: plan.leanDegrees, scaleTurns: options.scaleTurns,
      referenceReps: options.referenceReps,
      referenceHipRollDirection: plan.hipRollDirection, deviceErrors: errors)
    return CalibrationScenario(
      calibration: calibration, restingTwin: twin, kneeLifts: kneeLifts, truth: truth)
  }

  /// Writes the calibration recording as evemu (for `repcount calibrate --input`).
  public func writeCalibration(to path: String) throws {
    var writer = try EvemuWriter(path: path, device: calibration.device)
    for event in calibration.events { try writer.write(event) }
    try writer.close()
  }
}

/// The body timeline of one calibration.
private struct CalibrationPlan {
  var segments: [MotionSegment] = []
  var standing: BasePose
  var leanDegrees: Double
  var durationSeconds: Double
  var hipRollDirection: RotationDirection?

  init(scaleTurns: Int, referenceReps: Int, random: inout SimulationRandom) {
    let heading = random.uniform(-Double.pi...Double.pi)
    standing = BasePose(
      kind: .standing, headingRadians: heading, floorPosition: .zero, lyingFlexionRadians: 0)
    var time = 0.0
    var segments: [MotionSegment] = []
    func hold(_ pose: BasePose, _ seconds: Double) {
      segments.append(.hold(pose, start: time, end: time + seconds))
      time += seconds
    }
    hold(standing, random.uniform(3.2...4.5))

    // Lean forward from the hips and back: the pelvis pitches forward (about its right axis),
    // with a little sideways lean and twist as real people do.
    leanDegrees = random.uniform(15...30)
    let lean = leanDegrees * Double.pi / 180
    let sideways = random.uniform(-4...4) * Double.pi / 180
    let twist = random.uniform(-4...4) * Double.pi / 180
    var leanMotion = PostureChangeMotion(
      standing: standing, lying: standing, lyingDown: true, startTime: time,
      legSeconds: [1, 1, 1])
    let upright = standing.state
    let leaned = Quaternion.aboutZ(heading) * .aboutZ(twist) * .aboutX(-lean) * .aboutY(sideways)
    let down = random.uniform(0.9...1.6)
    let pause = random.uniform(0.2...0.8)
    let up = random.uniform(0.9...1.6)
    func keyframe(_ orientation: Quaternion, _ at: Double) -> PostureChangeMotion.Keyframe {
      PostureChangeMotion.Keyframe(
        orientation: orientation, positionMeters: upright.pelvisPositionMeters,
        flexionRadians: 0, standingWeight: 1, time: at)
    }
    leanMotion.keyframes = [
      keyframe(upright.pelvisOrientation, time), keyframe(leaned, time + down),
      keyframe(leaned, time + down + pause),
      keyframe(upright.pelvisOrientation, time + down + pause + up),
    ]
    segments.append(.postureChange(leanMotion))
    time = leanMotion.endTime
    hold(standing, random.uniform(3.2...4.5))

    if referenceReps > 0 {
      // Twists, then hip rolls (either way round), at an even personal pace.
      let twistPeriod = random.uniform(2.0...3.5)
      let twistTimes = (0...referenceReps).map { time + Double($0) * twistPeriod }
      let twist = TwistMotion(
        base: standing,
        phase: PhaseCurve(
          times: twistTimes, phases: (0...referenceReps).map { 2 * Double.pi * Double($0) }),
        amplitudeRadians: StepwiseSmoothValue(
          boundaries: twistTimes,
          values: (0..<referenceReps).map { _ in random.uniform(25...45) * Double.pi / 180 },
          blendSeconds: 0.3),
        rampSeconds: 0.2 * twistPeriod, leanCoupling: random.uniform(0.03...0.12))
      segments.append(.twist(twist))
      time = twist.endTime
      hold(standing, random.uniform(3.2...4.5))

      let rollPeriod = random.uniform(2.5...4.0)
      var rollTimes = (0...referenceReps).map { time + Double($0) * rollPeriod }
      var rollPhases = (0...referenceReps).map { 2 * Double.pi * Double($0) }
      let boundaries = rollTimes
      // A quarter-circle lead-out back to standing, as in the exercise sets.
      rollTimes.append(rollTimes[rollTimes.count - 1] + 0.25 * rollPeriod)
      rollPhases.append(rollPhases[rollPhases.count - 1] + Double.pi / 2)
      let tiltDegrees = random.uniform(6...12)
      let radius = random.uniform(0.03...0.05)
      let directionSign: Double = random.chance(0.5) ? 1 : -1
      hipRollDirection = directionSign > 0 ? .counterclockwise : .clockwise
      let roll = HipRollMotion(
        base: standing, phase: PhaseCurve(times: rollTimes, phases: rollPhases),
        directionSign: directionSign,
        startAngleRadians: random.uniform(0...(2 * Double.pi)),
        radiusMeters: StepwiseSmoothValue(
          boundaries: boundaries, values: Array(repeating: radius, count: referenceReps),
          blendSeconds: 0.3),
        tiltRadians: StepwiseSmoothValue(
          boundaries: boundaries,
          values: Array(repeating: tiltDegrees * Double.pi / 180, count: referenceReps),
          blendSeconds: 0.3),
        leadInEnd: time + 0.25 * rollPeriod, leadOutStart: boundaries[boundaries.count - 1])
      segments.append(.hipRoll(roll))
      time = roll.endTime
      hold(standing, random.uniform(3.2...4.5))
    }

    var lying = standing
    lying.kind = .lying
    lying.floorPosition = standing.floorPosition - standing.forward * random.uniform(0.3...0.5)
    lying.lyingFlexionRadians = random.uniform(0...45) * Double.pi / 180
    let lieDown = PostureChangeMotion(
      standing: standing, lying: lying, lyingDown: true, startTime: time,
      legSeconds: (0..<3).map { _ in random.uniform(1.0...2.0) })
    segments.append(.postureChange(lieDown))
    time = lieDown.endTime
    hold(lying, random.uniform(3.2...4.5))

    for side in [1.0, -1.0] {
      let handRamp = random.uniform(0.6...1.0)
      let maximumLift = 120 - lying.lyingFlexionRadians * 180 / Double.pi
      let rep = KneeLiftMotion.Rep(
        start: time + handRamp, riseSeconds: random.uniform(0.8...1.3),
        holdSeconds: random.uniform(0.3...1.0), lowerSeconds: random.uniform(0.8...1.3),
        liftRadians: min(random.uniform(60...100), maximumLift) * Double.pi / 180)
      let motion = KneeLiftMotion(
        base: lying, sideSign: side, reps: [rep], startTime: time, endTime: rep.end + handRamp,
        handRampSeconds: handRamp, tiltPerLift: random.uniform(5...15) / 80,
        rollPerLift: random.uniform(2...6) / 80)
      segments.append(.kneeLift(motion))
      time = motion.endTime
      hold(lying, random.uniform(3.2...4.5))
    }

    if scaleTurns > 0 {
      // Turned by hand about the vertical, about 2–3 s per turn, either way round.
      let direction: Double = random.chance(0.5) ? 1 : -1
      let turn = WalkMotion(
        start: lying, startTime: time,
        turnSeconds: Double(scaleTurns) * random.uniform(2...3),
        turnRadians: direction * Double(scaleTurns) * 2 * Double.pi, walkSeconds: 0,
        speedMetersPerSecond: 0, strideFrequencyHz: 1, rampSeconds: 0.5)
      segments.append(.walk(turn))
      time = turn.endTime
      hold(turn.end, random.uniform(3.2...4.5))
    }
    self.segments = segments
    durationSeconds = time
  }
}
