import Foundation
import MotionCore
import MotionInput
import Testing

@testable import MotionSimulator

private func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(getpid())-\(name)").path
}

private func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

private func percentile(_ values: [Double], _ fraction: Double) -> Double {
  let sorted = values.sorted()
  return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

/// The reader's units for one sensor (table value or absinfo resolution) times the table's
/// correction, against the simulated chip: the gain a correct reader ends up with.
private func readGain(
  sensor: SimulatedSensor, tableUnits: Double?, resolution: Int32, correction: Double
) -> Double {
  let units = tableUnits ?? Double(resolution)
  return sensor.countsPerUnit * sensor.driverUnitsPerCount / units * correction
}

@Test(arguments: Simulator.deviceIDs)
func recordingsReadBackAsThePhysicalTruthWithinTheModelledErrors(deviceID: String) throws {
  let options = SimulationOptions(
    exercise: .twist, reps: 3, deviceID: deviceID, placement: .waist, difficulty: .easy, seed: 21)
  let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
  let path = temporaryPath("\(deviceID).evemu")
  defer {
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: SimulationTruth.truthPath(forRecording: path))
  }
  let truth = try Simulator.write(options, to: path)
  #expect(FileManager.default.fileExists(atPath: SimulationTruth.truthPath(forRecording: path)))
  let device = prepared.device
  let errors = truth.deviceErrors
  let accelerometerBias = Vector3(
    errors.accelerometerBiasG[0], errors.accelerometerBiasG[1], errors.accelerometerBiasG[2])
  let accelerometerScale = Vector3(
    errors.accelerometerScale[0], errors.accelerometerScale[1], errors.accelerometerScale[2])
  let firstAccelerometerCode = try #require(
    device.eventOrder.first { $0 < 3 || deviceID == "nintendo-wii-remote" })
  let accelerometerGain = readGain(
    sensor: device.accelerometer, tableUnits: prepared.entry.accelerometer?.unitsPerG,
    resolution: device.axes[firstAccelerometerCode]?.resolution ?? 0, correction: 1)

  var source = try openRecording(path: path, deviceTable: .builtIn)
  var first: Double?
  var accelerometerResiduals: [Double] = []
  var gyroscopeResiduals: [Double] = []
  var frames = 0
  while let frame = try source.nextFrame() {
    frames += 1
    let start = first ?? frame.timeSeconds
    first = start
    let t = frame.timeSeconds - start
    guard t > 0.05 && t < truth.durationSeconds - 0.05 else { continue }
    let physical = prepared.trajectory.physicalSample(at: t)
    let f = physical.accelerationG
    let expected =
      Vector3(
        f.x * accelerometerScale.x, f.y * accelerometerScale.y, f.z * accelerometerScale.z)
      + accelerometerBias
    accelerometerResiduals.append((frame.accelerationG - expected * accelerometerGain).length)
    if let gyroscope = device.gyroscope, let rate = frame.angularVelocityDPS,
      let scale = errors.gyroscopeScale, let bias = errors.gyroscopeBiasDPS
    {
      let gain = readGain(
        sensor: gyroscope, tableUnits: prepared.entry.gyroscope?.unitsPerDPS,
        resolution: device.axes[EventCode.absRX]?.resolution ?? 0,
        correction: prepared.entry.gyroscope?.scaleCorrection ?? 1)
      let w = physical.angularVelocityDPS
      let expectedRate =
        (Vector3(w.x * scale[0], w.y * scale[1], w.z * scale[2])
          + Vector3(bias[0], bias[1], bias[2]))
        * gain
      // Drift is not in the truth; it is a slow wander of ~0.1 deg/s RMS.
      gyroscopeResiduals.append((rate - expectedRate).length / max(1, w.length * 0.05 + 1))
    }
  }
  // Without MSC_TIMESTAMP a frame whose values all stayed within the fuzz is never sent.
  let minimumShare = truth.device.hasHardwareTimestamp ? 0.9 : 0.1
  #expect(frames > Int(truth.durationSeconds / device.reportIntervalSeconds * minimumShare))
  // Noise, quantisation, the fuzz filter and timing jitter, nothing else.
  let noise = errors.accelerometerNoiseG
  let quantum = 1 / device.accelerometer.countsPerUnit
  #expect(median(accelerometerResiduals) < 2.5 * noise + quantum + 0.01, "\(deviceID)")
  #expect(percentile(accelerometerResiduals, 0.99) < 5 * noise + 2 * quantum + 0.04, "\(deviceID)")
  if device.gyroscope != nil {
    #expect(truth.device.hasGyroscope)
    #expect(median(gyroscopeResiduals) < 0.6, "\(deviceID)")
    #expect(percentile(gyroscopeResiduals, 0.99) < 2, "\(deviceID)")
  } else {
    #expect(gyroscopeResiduals.isEmpty)
  }
}

@Test func theSameSeedGivesTheSameBytes() throws {
  let options = SimulationOptions(
    exercise: .hipRoll, reps: 3, deviceID: "nintendo-pro-controller", difficulty: .hard, seed: 77)
  var paths: [String] = []
  defer {
    for path in paths {
      try? FileManager.default.removeItem(atPath: path)
      try? FileManager.default.removeItem(atPath: SimulationTruth.truthPath(forRecording: path))
    }
  }
  for run in 0..<2 {
    let path = temporaryPath("same-\(run).evemu")
    paths.append(path)
    try Simulator.write(options, to: path)
  }
  let first = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
  let second = try Data(contentsOf: URL(fileURLWithPath: paths[1]))
  #expect(first == second)
  let firstTruth = try Data(
    contentsOf: URL(fileURLWithPath: SimulationTruth.truthPath(forRecording: paths[0])))
  let secondTruth = try Data(
    contentsOf: URL(fileURLWithPath: SimulationTruth.truthPath(forRecording: paths[1])))
  #expect(firstTruth == secondTruth)

  var other = options
  other.seed = 78
  let different = try Simulator.record(other)
  let again = try Simulator.record(options)
  #expect(different.events != again.events)
  #expect(
    try SimulationTruth.load(path: SimulationTruth.truthPath(forRecording: paths[0])) == again.truth
  )
}
