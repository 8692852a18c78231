import Foundation
import MotionCore
import MotionInput

/// What to simulate. `nil` fields are drawn from the seed.
public struct SimulationOptions: Hashable, Sendable {
  public var exercise: SimulatedExercise
  /// Counted reps per set (per direction for hip rolls, per side for knee lifts).
  public var reps: Int?
  /// A device-table id from `Simulator.deviceIDs`.
  public var deviceID: String?
  /// A variant of that device (`usb`, `bluetooth`, …); random when `nil`.
  public var deviceVariant: String?
  public var placement: SensorPlacement?
  public var difficulty: SimulationDifficulty
  public var tempo: SimulationTempo
  public var seed: UInt64
  /// Whether a fidget turns the device in its holder (by 10–40°), as people adjusting a clip do;
  /// false leaves the shake alone, so the device sits all along as it was mounted (and as it was
  /// calibrated). The random draws are the same either way.
  public var fidgetsTurnDevice: Bool

  public init(
    exercise: SimulatedExercise, reps: Int? = nil, deviceID: String? = nil,
    deviceVariant: String? = nil, placement: SensorPlacement? = nil,
    difficulty: SimulationDifficulty = .normal, tempo: SimulationTempo = .usual, seed: UInt64 = 1,
    fidgetsTurnDevice: Bool = true
  ) {
    self.fidgetsTurnDevice = fidgetsTurnDevice
    self.exercise = exercise
    self.reps = reps
    self.deviceID = deviceID
    self.deviceVariant = deviceVariant
    self.placement = placement
    self.difficulty = difficulty
    self.tempo = tempo
    self.seed = seed
  }
}

public struct SimulationError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// A generated recording held in memory (tests, demos); `Simulator.write` streams to a file
/// instead.
public struct SimulatedRecording: Sendable {
  public var device: InputDeviceDescription
  public var events: [InputEvent]
  public var truth: SimulationTruth
}

/// Entry point of the simulator: plans a recording from options and a seed, runs the physics
/// and the device model, and writes evemu plus truth.
public enum Simulator {
  /// Device-table ids the simulator can emulate.
  public static var deviceIDs: [String] { SimulatedDeviceCatalog.ids }

  /// Variant names of one device id.
  public static func variants(of deviceID: String) -> [String] {
    SimulatedDeviceCatalog.variants(of: deviceID).map(\.variant)
  }

  /// Everything drawn for one recording before the device runs (internal: tests use the
  /// trajectory as the physical truth).
  struct Prepared {
    var device: SimulatedDevice
    var entry: DeviceTableEntry
    var placement: SensorPlacement
    var sideSign: Double
    var mountRotation: Quaternion
    var profile: DifficultyProfile
    var builder: PlanBuilder
    var trajectory: MotionTrajectory
    var dropouts: [PlannedDropout]
    var emulatorRandom: SimulationRandom
  }

  static func prepare(_ options: SimulationOptions, deviceTable: DeviceTable) throws -> Prepared {
    var root = SimulationRandom(seed: options.seed)
    var choiceRandom = root.fork()
    let planRandom = root.fork()
    var layerRandom = root.fork()
    let emulatorRandom = root.fork()
    var dropoutRandom = root.fork()

    let device = try chooseDevice(options, random: &choiceRandom)
    guard let entry = deviceTable.entry(id: device.tableID) else {
      throw SimulationError("the device table has no entry \"\(device.tableID)\"")
    }
    let placement =
      options.placement
      ?? choiceRandom.pick([.waist, .waist, .side, .thigh, .hand] as [SensorPlacement])
    let sideSign: Double = choiceRandom.chance(0.5) ? 1 : -1
    let mountRotation = choiceRandom.uniformRotation()
    let profile = DifficultyProfile.profile(for: options.difficulty)

    let builder = SessionPlanner.plan(
      exercise: options.exercise, reps: options.reps, profile: profile, tempo: options.tempo,
      random: planRandom)
    var fidgets = builder.fidgets.sorted { $0.startTime < $1.startTime }
    if !options.fidgetsTurnDevice {
      for index in fidgets.indices { fidgets[index].rotation = .identity }
    }
    let trajectory = MotionTrajectory(
      segments: builder.trajectorySegments,
      postural: PosturalLayer(scale: profile.swayScale, random: &layerRandom),
      placement: PlacementGeometry(placement: placement, sideSign: sideSign, random: &layerRandom),
      mount: MountTimeline(
        initial: mountRotation, fidgets: fidgets))
    let dropouts = planDropouts(
      device: device, profile: profile, durationSeconds: trajectory.durationSeconds,
      random: &dropoutRandom)
    return Prepared(
      device: device, entry: entry, placement: placement, sideSign: sideSign,
      mountRotation: mountRotation, profile: profile, builder: builder, trajectory: trajectory,
      dropouts: dropouts, emulatorRandom: emulatorRandom)
  }

  /// Generates the recording, handing each event to `emit` as it is produced (nothing is kept).
  public static func generate(
    _ options: SimulationOptions, deviceTable: DeviceTable = .builtIn,
    begin: (InputDeviceDescription) throws -> Void, emit: (InputEvent) throws -> Void
  ) throws -> SimulationTruth {
    let prepared = try prepare(options, deviceTable: deviceTable)
    let device = prepared.device
    let builder = prepared.builder
    let placement = prepared.placement
    let mountRotation = prepared.mountRotation
    let duration = prepared.trajectory.durationSeconds
    var emulator = try DeviceEmulator(
      device: device, entry: prepared.entry, errorScale: prepared.profile.sensorErrorScale,
      random: prepared.emulatorRandom)
    let output = try emulator.run(
      trajectory: prepared.trajectory, durationSeconds: duration, dropouts: prepared.dropouts,
      begin: begin, emit: emit)
    return SimulationTruth(
      format: SimulationTruth.formatName, version: SimulationTruth.currentVersion,
      seed: options.seed, exercise: options.exercise, difficulty: options.difficulty,
      tempo: options.tempo == .usual ? nil : options.tempo, placement: placement,
      placementSide: placement == .waist ? nil : (prepared.sideSign > 0 ? .right : .left),
      device: TruthDevice(
        id: device.tableID, variant: device.variant, nodeName: device.name,
        reportIntervalSeconds: device.reportIntervalSeconds,
        samplesPerReport: device.samplesPerReport, hasGyroscope: device.gyroscope != nil,
        hasHardwareTimestamp: device.clock != .none),
      mountingRotation: TruthRotation(
        quaternion: [mountRotation.w, mountRotation.x, mountRotation.y, mountRotation.z].map(
          rounded),
        matrix: mountRotation.matrix.map { $0.map(rounded) }),
      timeReference: SimulationTruth.timeReferenceText,
      durationSeconds: rounded(duration),
      sets: builder.sets.map(roundedSet),
      reps: builder.reps.map(roundedRep),
      segments: builder.sortedTruthSegments.map(roundedSegment),
      dropouts: output.dropouts.map(roundedDropout),
      deviceErrors: emulator.errors.roundedForTruth,
      idealCalibration: idealCalibration(prepared))
  }

  /// Body axes in the sensor frame for the initial mount. The segment frame of every placement
  /// shares the pelvis's right axis; "up" while lying is the pelvis's forward axis, turned by
  /// the resting hip flexion for a thigh.
  static func idealCalibration(_ prepared: Prepared) -> TruthCalibration {
    let mount = prepared.mountRotation
    func inSensor(_ v: Vector3) -> [Double] {
      let u = mount.inverseRotate(v)
      return [u.x, u.y, u.z].map(rounded)
    }
    let lyingUpInSegment: Vector3
    if prepared.placement == .thigh {
      lyingUpInSegment = Quaternion.aboutX(prepared.builder.lyingRestFlexionRadians)
        .inverseRotate(Vector3(0, 1, 0))
    } else {
      lyingUpInSegment = Vector3(0, 1, 0)
    }
    return TruthCalibration(
      rightInSensor: inSensor(Vector3(1, 0, 0)), standingUpInSensor: inSensor(Vector3(0, 0, 1)),
      lyingUpInSensor: inSensor(lyingUpInSegment))
  }

  /// Generates into memory.
  public static func record(_ options: SimulationOptions, deviceTable: DeviceTable = .builtIn)
    throws -> SimulatedRecording
  {
    var description: InputDeviceDescription?
    var events: [InputEvent] = []
    let truth = try generate(
      options, deviceTable: deviceTable, begin: { description = $0 }, emit: { events.append($0) })
    guard let description else { throw SimulationError("no device description produced") }
    return SimulatedRecording(device: description, events: events, truth: truth)
  }

  /// Writes `path` (evemu) and the truth file beside it; returns the truth.
  @discardableResult
  public static func write(
    _ options: SimulationOptions, to path: String, deviceTable: DeviceTable = .builtIn,
    annotateEvents: Bool = true
  ) throws -> SimulationTruth {
    var writer: EvemuWriter?
    let truth = try generate(
      options, deviceTable: deviceTable,
      begin: { description in
        writer = try EvemuWriter(path: path, device: description)
        writer?.annotateEvents = annotateEvents
      },
      emit: { event in try writer?.write(event) })
    try writer?.close()
    let truthPath = SimulationTruth.truthPath(forRecording: path)
    do {
      try truth.jsonData().write(to: URL(fileURLWithPath: truthPath))
    } catch {
      throw SimulationError("\(truthPath): cannot write: \(error.localizedDescription)")
    }
    return truth
  }

  private static func chooseDevice(_ options: SimulationOptions, random: inout SimulationRandom)
    throws -> SimulatedDevice
  {
    let id = options.deviceID ?? random.pick(deviceIDs)
    let variants = SimulatedDeviceCatalog.variants(of: id)
    guard !variants.isEmpty else {
      throw SimulationError(
        "unknown device \"\(id)\"; known devices: \(deviceIDs.joined(separator: ", "))")
    }
    if let wanted = options.deviceVariant {
      guard let variant = variants.first(where: { $0.variant == wanted }) else {
        throw SimulationError(
          "device \(id) has no variant \"\(wanted)\"; variants: "
            + variants.map(\.variant).joined(separator: ", "))
      }
      return variant
    }
    return random.pick(variants)
  }

  private static func planDropouts(
    device: SimulatedDevice, profile: DifficultyProfile, durationSeconds: Double,
    random: inout SimulationRandom
  ) -> [PlannedDropout] {
    var result: [PlannedDropout] = []
    guard durationSeconds > 4 else { return result }
    let hard = profile.reportGapProbability > 0.5
    if device.isBluetooth && random.chance(profile.reportGapProbability) {
      for _ in 0..<random.integer(1...(hard ? 4 : 2)) {
        let start = random.uniform(1...(durationSeconds - 2))
        let length =
          random.chance(0.25)
          ? random.uniform(0.2...(hard ? 0.6 : 0.4)) : random.uniform(0.02...0.15)
        result.append(
          PlannedDropout(kind: .reportGap, startSeconds: start, endSeconds: start + length))
      }
    }
    if random.chance(profile.synDroppedProbability) {
      for _ in 0..<random.integer(1...2) {
        let start = random.uniform(1...(durationSeconds - 2))
        result.append(
          PlannedDropout(
            kind: .synDropped, startSeconds: start, endSeconds: start + random.uniform(0.015...0.12)
          ))
      }
    }
    // Overlapping dropouts would be ambiguous in the truth: keep the first of any overlap.
    result.sort { $0.startSeconds < $1.startSeconds }
    var merged: [PlannedDropout] = []
    for dropout in result {
      if let last = merged.last, dropout.startSeconds <= last.endSeconds + 0.05 { continue }
      merged.append(dropout)
    }
    return merged
  }

  // Truth values are rounded to the microsecond (times) or 1e-6 (other numbers), which keeps
  // the JSON readable and stable.
  static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }

  private static func roundedSet(_ set: TruthSet) -> TruthSet {
    var copy = set
    copy.startSeconds = rounded(set.startSeconds)
    copy.endSeconds = rounded(set.endSeconds)
    return copy
  }

  private static func roundedRep(_ rep: TruthRep) -> TruthRep {
    var copy = rep
    copy.startSeconds = rounded(rep.startSeconds)
    copy.endSeconds = rounded(rep.endSeconds)
    copy.amplitudeDegrees = (rep.amplitudeDegrees * 1000).rounded() / 1000
    return copy
  }

  private static func roundedSegment(_ segment: TruthSegment) -> TruthSegment {
    var copy = segment
    copy.startSeconds = rounded(segment.startSeconds)
    copy.endSeconds = rounded(segment.endSeconds)
    return copy
  }

  private static func roundedDropout(_ dropout: TruthDropout) -> TruthDropout {
    var copy = dropout
    copy.startSeconds = rounded(dropout.startSeconds)
    copy.endSeconds = rounded(dropout.endSeconds)
    return copy
  }
}

extension TruthDeviceErrors {
  var roundedForTruth: TruthDeviceErrors {
    func r(_ values: [Double]?) -> [Double]? { values?.map(Simulator.rounded) }
    return TruthDeviceErrors(
      accelerometerBiasG: accelerometerBiasG.map(Simulator.rounded),
      accelerometerScale: accelerometerScale.map(Simulator.rounded),
      accelerometerNoiseG: Simulator.rounded(accelerometerNoiseG),
      gyroscopeBiasDPS: r(gyroscopeBiasDPS), gyroscopeScale: r(gyroscopeScale),
      gyroscopeNoiseDPS: gyroscopeNoiseDPS.map(Simulator.rounded),
      gyroscopeDriftDPS: gyroscopeDriftDPS.map(Simulator.rounded))
  }
}
