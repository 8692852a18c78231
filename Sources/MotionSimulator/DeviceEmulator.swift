import Foundation
import MotionCore
import MotionInput

/// The input core's fuzz filter, exactly as `input_defuzz_abs_event` (C integer division).
@inline(__always)
func defuzz(_ value: Int64, old: Int64, fuzz: Int64) -> Int64 {
  if fuzz != 0 {
    if value > old - fuzz / 2 && value < old + fuzz / 2 { return old }
    if value > old - fuzz && value < old + fuzz { return (old * 3 + value) / 4 }
    if value > old - fuzz * 2 && value < old + fuzz * 2 { return (old + value) / 2 }
  }
  return value
}

/// A stretch of lost frames planned for one recording.
struct PlannedDropout: Sendable {
  var kind: TruthDropout.Kind
  var startSeconds: Double
  var endSeconds: Double
}

/// Turns the physical trajectory into the raw evdev events a real driver would deliver:
/// sensor errors, chip quantisation and range, the driver's scale, the table's axis layout
/// (inverted), the input core's fuzz filter and unchanged-value dropping, report timing and
/// timestamps, lost reports and SYN_DROPPED.
struct DeviceEmulator {
  /// Which sensor and project axis feeds one evdev code.
  private struct CodeSource {
    var code: UInt16
    var projectAxis: Int
    var sign: Double
    var isGyroscope: Bool
    var countsPerUnit: Double
    var countRange: Double
    var driverUnitsPerCount: Double
    var minimum: Int64
    var maximum: Int64
    var fuzz: Int64
  }

  let device: SimulatedDevice
  private var sources: [CodeSource] = []
  private(set) var errors: TruthDeviceErrors
  private var accelerometerBias: Vector3
  private var accelerometerScale: Vector3
  private var gyroscopeBias: Vector3
  private var gyroscopeScale: Vector3
  private var gyroscopeDrift: [SmoothNoise]
  private var noiseScale: Double
  private var random: SimulationRandom

  /// Thrown when the table cannot be inverted for this device (a bug in the catalog or table).
  struct MappingError: Error, CustomStringConvertible {
    var description: String
  }

  init(
    device: SimulatedDevice, entry: DeviceTableEntry, errorScale: Double,
    random: SimulationRandom
  ) throws {
    self.device = device
    var random = random
    func vector(_ rms: Double) -> Vector3 {
      Vector3(random.gaussian() * rms, random.gaussian() * rms, random.gaussian() * rms)
    }
    let accelerometer = device.accelerometer
    accelerometerBias = vector(accelerometer.bias * errorScale)
    accelerometerScale = Vector3(1, 1, 1) + vector(accelerometer.scaleError)
    if let gyroscope = device.gyroscope {
      gyroscopeBias = vector(gyroscope.bias * errorScale)
      gyroscopeScale = Vector3(1, 1, 1) + vector(gyroscope.scaleError)
      gyroscopeDrift = (0..<3).map { _ in
        SmoothNoise(
          amplitude: gyroscope.drift * errorScale, frequencyRangeHz: 0.002...0.02, random: &random)
      }
    } else {
      gyroscopeBias = .zero
      gyroscopeScale = Vector3(1, 1, 1)
      gyroscopeDrift = []
    }
    let noiseFactor = errorScale > 1 ? 1.3 : 1
    noiseScale = noiseFactor
    let biasA = accelerometerBias
    let scaleA = accelerometerScale
    let biasG = gyroscopeBias
    let scaleG = gyroscopeScale
    errors = TruthDeviceErrors(
      accelerometerBiasG: [biasA.x, biasA.y, biasA.z],
      accelerometerScale: [scaleA.x, scaleA.y, scaleA.z],
      accelerometerNoiseG: accelerometer.noise * noiseFactor,
      gyroscopeBiasDPS: device.gyroscope == nil ? nil : [biasG.x, biasG.y, biasG.z],
      gyroscopeScale: device.gyroscope == nil ? nil : [scaleG.x, scaleG.y, scaleG.z],
      gyroscopeNoiseDPS: device.gyroscope.map { $0.noise * noiseFactor },
      gyroscopeDriftDPS: device.gyroscope.map { $0.drift * errorScale })

    // Invert the table: project axis i = sign_i · raw[code_i] / units, so raw[code_i] =
    // sign_i · value_i · units.
    var byCode: [UInt16: CodeSource] = [:]
    func add(_ texts: [String], sensor: SimulatedSensor, isGyroscope: Bool) throws {
      let mapping: AxisMapping
      switch AxisMapping.parse(texts) {
      case .success(let parsed): mapping = parsed
      case .failure(let problem):
        throw MappingError(description: "device table entry \(entry.id): \(problem)")
      }
      let driverScale =
        sensor.driverUnitsPerCount * (1 + sensor.driverScaleSpread * random.gaussian())
      for (index, axis) in mapping.axes.enumerated() {
        guard let info = device.axes[axis.code] else {
          throw MappingError(
            description:
              "simulated \(device.name) lacks \(axis.text) used by table entry \(entry.id)")
        }
        byCode[axis.code] = CodeSource(
          code: axis.code, projectAxis: index, sign: axis.sign, isGyroscope: isGyroscope,
          countsPerUnit: sensor.countsPerUnit, countRange: sensor.countRange,
          driverUnitsPerCount: driverScale, minimum: Int64(info.minimum),
          maximum: Int64(info.maximum), fuzz: Int64(info.fuzz))
      }
    }
    guard let accelerometerMapping = entry.accelerometer else {
      throw MappingError(description: "device table entry \(entry.id) has no accelerometer")
    }
    try add(accelerometerMapping.axes, sensor: accelerometer, isGyroscope: false)
    if let gyroscope = device.gyroscope, let gyroscopeMapping = entry.gyroscope {
      try add(gyroscopeMapping.axes, sensor: gyroscope, isGyroscope: true)
    }
    sources = device.eventOrder.compactMap { byCode[$0] }
    self.random = random
  }

  /// Raw evdev values (in `sources` order) for one physical sample, with this sample's noise.
  mutating func rawValues(
    accelerationG: Vector3, angularVelocityDPS: Vector3, time t: Double, into values: inout [Int64]
  ) {
    let accelerometerNoise = device.accelerometer.noise * noiseScale
    let measuredAcceleration = Vector3(
      accelerationG.x * accelerometerScale.x + accelerometerBias.x + random.gaussian()
        * accelerometerNoise,
      accelerationG.y * accelerometerScale.y + accelerometerBias.y + random.gaussian()
        * accelerometerNoise,
      accelerationG.z * accelerometerScale.z + accelerometerBias.z + random.gaussian()
        * accelerometerNoise)
    var measuredRate = Vector3.zero
    if let gyroscope = device.gyroscope {
      let noise = gyroscope.noise * noiseScale
      measuredRate = Vector3(
        angularVelocityDPS.x * gyroscopeScale.x + gyroscopeBias.x + gyroscopeDrift[0].value(at: t)
          + random.gaussian() * noise,
        angularVelocityDPS.y * gyroscopeScale.y + gyroscopeBias.y + gyroscopeDrift[1].value(at: t)
          + random.gaussian() * noise,
        angularVelocityDPS.z * gyroscopeScale.z + gyroscopeBias.z + gyroscopeDrift[2].value(at: t)
          + random.gaussian() * noise)
    }
    for (index, source) in sources.enumerated() {
      let vector = source.isGyroscope ? measuredRate : measuredAcceleration
      let physical =
        source.projectAxis == 0 ? vector.x : source.projectAxis == 1 ? vector.y : vector.z
      var counts = (source.sign * physical * source.countsPerUnit).rounded()
      counts = min(max(counts, -source.countRange - 1), source.countRange)
      let raw = Int64((counts * source.driverUnitsPerCount).rounded())
      values[index] = min(max(raw, source.minimum), source.maximum)
    }
  }

  /// Everything one run produces besides the events.
  struct Output {
    var description: InputDeviceDescription
    var dropouts: [TruthDropout]
    var frameCount: Int
  }

  /// Emits the recording's events through `emit` (after `begin` receives the device
  /// description with the axes' values at the start), sample by sample from t = 0 to
  /// `durationSeconds`.
  mutating func run(
    trajectory: MotionTrajectory, durationSeconds: Double, dropouts: [PlannedDropout],
    begin: (InputDeviceDescription) throws -> Void, emit: (InputEvent) throws -> Void
  ) throws -> Output {
    let interval = device.reportIntervalSeconds
    let perReport = device.samplesPerReport
    let sampleSpacing = interval / Double(perReport)
    let bootMicroseconds = Int64(random.uniform(200...40000) * 1e6)

    // The kernel's absinfo values before the first frame: the reading one report earlier.
    var kernelValues = [Int64](repeating: 0, count: sources.count)
    var values = [Int64](repeating: 0, count: sources.count)
    let preRoll = trajectory.physicalSample(at: 0)
    rawValues(
      accelerationG: preRoll.accelerationG, angularVelocityDPS: preRoll.angularVelocityDPS,
      time: 0, into: &kernelValues)
    var description = device.description
    for (index, source) in sources.enumerated() {
      description.absAxes[source.code]?.value = Int32(kernelValues[index])
    }
    try begin(description)
    var clientValues = kernelValues
    var changed = [Bool](repeating: false, count: sources.count)

    // Timestamp state.
    var microsecondCounter = UInt32(truncatingIfNeeded: random.next())
    if random.chance(0.3) {
      // Start just below a wrap point so some recordings cross 2^31 or 2^32 µs.
      let wrapPoint: UInt64 = random.chance(0.5) ? 1 << 31 : 1 << 32
      let before = UInt64(random.uniform(0...max(1, durationSeconds * 0.8)) * 1e6)
      microsecondCounter = UInt32(truncatingIfNeeded: wrapPoint &- before)
    }
    let startSeconds = Double(microsecondCounter) * 1e-6
    var previousTicks: UInt64 = 0
    var ticksInitialized = false
    var nintendoAverageMicroseconds: Int64 = 15000
    var nintendoDeltaSum: Int64 = 0
    var nintendoDeltaCount: Int64 = 0
    var nintendoLastMilliseconds: Int64?

    var lastEventMicroseconds: Int64 = 0
    var frameCount = 0
    var dropoutIndex = 0
    var lostInCurrent = 0
    var pendingSynDropped: Int64?
    var truthDropouts: [TruthDropout] = []
    let sortedDropouts = dropouts.sorted { $0.startSeconds < $1.startSeconds }
    let reportCount = Int(durationSeconds / interval) + 1

    for report in 0..<reportCount {
      // The device samples on its own regular clock; jitter is per report, not cumulative.
      let jitter = device.reportTimeJitterSeconds * (2 * random.unit() - 1)
      let reportTime = max(
        Double(report) * interval + Double(perReport - 1) * sampleSpacing + jitter,
        Double(perReport - 1) * sampleSpacing)
      let firstSampleTime = reportTime - Double(perReport - 1) * sampleSpacing
      if firstSampleTime > durationSeconds { break }
      let arrival = reportTime + random.uniform(device.deliveryLatencySeconds)
      var arrivalMicroseconds = bootMicroseconds + Int64((arrival * 1e6).rounded())
      if arrivalMicroseconds <= lastEventMicroseconds {
        arrivalMicroseconds = lastEventMicroseconds + 1
      }

      // Which dropout, if any, covers this report.
      while dropoutIndex < sortedDropouts.count
        && sortedDropouts[dropoutIndex].endSeconds < firstSampleTime
      {
        if lostInCurrent > 0 {
          let dropout = sortedDropouts[dropoutIndex]
          truthDropouts.append(
            TruthDropout(
              kind: dropout.kind, startSeconds: dropout.startSeconds,
              endSeconds: dropout.endSeconds,
              lostFrames: lostInCurrent))
        }
        lostInCurrent = 0
        dropoutIndex += 1
      }
      var activeDropout: TruthDropout.Kind?
      if dropoutIndex < sortedDropouts.count && report > 0
        && sortedDropouts[dropoutIndex].startSeconds <= firstSampleTime
      {
        activeDropout = sortedDropouts[dropoutIndex].kind
      }

      if activeDropout == .reportGap {
        // Never reached the host: no state change, no timestamp step for synthetic clocks.
        lostInCurrent += perReport
        continue
      }

      // Per-report timestamp bookkeeping (host side for Nintendo).
      var nintendoStep: Int64 = 0
      switch device.clock {
      case .nintendoSynthetic:
        let milliseconds = (arrivalMicroseconds - bootMicroseconds) / 1000
        if let last = nintendoLastMilliseconds {
          let delta = milliseconds - last
          if delta > 0 && delta * 1000 < nintendoAverageMicroseconds * 3 / 2 {
            nintendoDeltaSum += delta
            nintendoDeltaCount += 1
            if nintendoDeltaCount >= 300 {
              nintendoAverageMicroseconds = nintendoDeltaSum / nintendoDeltaCount * 1000
              nintendoDeltaSum = 0
              nintendoDeltaCount = 0
            }
          }
        }
        nintendoLastMilliseconds = milliseconds
        microsecondCounter &+= UInt32(truncatingIfNeeded: nintendoAverageMicroseconds)
        nintendoStep = nintendoAverageMicroseconds / 3
      case .steamFixedStep:
        if report > 0 { microsecondCounter &+= 4000 }
      default:
        break
      }

      for sampleIndex in 0..<perReport {
        let sampleTime = firstSampleTime + Double(sampleIndex) * sampleSpacing
        let physical = trajectory.physicalSample(at: sampleTime)
        rawValues(
          accelerationG: physical.accelerationG, angularVelocityDPS: physical.angularVelocityDPS,
          time: sampleTime, into: &values)
        let eventTime = arrivalMicroseconds + Int64(sampleIndex) * 4
        lastEventMicroseconds = eventTime

        // Device timestamp of this sample.
        var timestamp: Int32?
        switch device.clock {
        case .hardwareMicroseconds:
          let micros = UInt64((sampleTime * 1e6).rounded())
          timestamp = Int32(bitPattern: microsecondCounter &+ UInt32(truncatingIfNeeded: micros))
        case .dualShock4Counter:
          // 16-bit counter in 16/3 µs ticks; the driver adds the wrapped delta.
          let ticks = UInt64(((startSeconds + sampleTime) * 1e6 * 3 / 16).rounded(.down))
          if ticksInitialized {
            let delta = (ticks &- previousTicks) & 0xFFFF
            microsecondCounter &+= UInt32((delta * 16 + 1) / 3)
          }
          previousTicks = ticks
          ticksInitialized = true
          timestamp = Int32(bitPattern: microsecondCounter)
        case .nintendoSynthetic:
          timestamp = Int32(bitPattern: microsecondCounter)
          microsecondCounter &+= UInt32(truncatingIfNeeded: nintendoStep)
        case .steamFixedStep:
          timestamp = Int32(bitPattern: microsecondCounter)
        case .none:
          timestamp = nil
        }

        // The input core: fuzz, then drop unchanged values.
        var anyChanged = false
        for index in sources.indices {
          changed[index] = false
          let filtered = defuzz(values[index], old: kernelValues[index], fuzz: sources[index].fuzz)
          if filtered != kernelValues[index] {
            kernelValues[index] = filtered
            changed[index] = true
            anyChanged = true
          }
        }

        if activeDropout == .synDropped {
          // The kernel saw the frame; the reader's buffer overflowed, so it never gets it.
          lostInCurrent += 1
          pendingSynDropped = eventTime
          continue
        }

        if let droppedTime = pendingSynDropped {
          // SYN_DROPPED, then libevdev's resync: every axis that differs from what the reader
          // last saw, closed by SYN_REPORT.
          try emit(
            InputEvent(
              timeMicroseconds: droppedTime, type: EventCode.synType, code: EventCode.synDropped,
              value: 0))
          for index in sources.indices where clientValues[index] != kernelValues[index] {
            if changed[index] { continue }
            try emit(
              InputEvent(
                timeMicroseconds: droppedTime, type: EventCode.absoluteType,
                code: sources[index].code,
                value: Int32(kernelValues[index])))
            clientValues[index] = kernelValues[index]
          }
          try emit(
            InputEvent(
              timeMicroseconds: droppedTime, type: EventCode.synType, code: EventCode.synReport,
              value: 0))
          pendingSynDropped = nil
        }

        // Without MSC_TIMESTAMP a frame of unchanged values is empty and never sent.
        if !anyChanged && timestamp == nil { continue }
        for index in sources.indices where changed[index] {
          try emit(
            InputEvent(
              timeMicroseconds: eventTime, type: EventCode.absoluteType, code: sources[index].code,
              value: Int32(kernelValues[index])))
          clientValues[index] = kernelValues[index]
        }
        if let timestamp {
          try emit(
            InputEvent(
              timeMicroseconds: eventTime, type: EventCode.miscType, code: EventCode.miscTimestamp,
              value: timestamp))
        }
        try emit(
          InputEvent(
            timeMicroseconds: eventTime, type: EventCode.synType, code: EventCode.synReport,
            value: 0))
        frameCount += 1
      }
    }
    if lostInCurrent > 0 && dropoutIndex < sortedDropouts.count {
      let dropout = sortedDropouts[dropoutIndex]
      truthDropouts.append(
        TruthDropout(
          kind: dropout.kind, startSeconds: dropout.startSeconds, endSeconds: dropout.endSeconds,
          lostFrames: lostInCurrent))
    }
    return Output(description: description, dropouts: truthDropouts, frameCount: frameCount)
  }
}
