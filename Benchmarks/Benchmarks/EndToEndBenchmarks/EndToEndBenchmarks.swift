import Benchmark
import Foundation
import MotionCore
import MotionInput
import SyntheticMotion

// End to end, as `repcount count --input FILE --exercise hip-roll` does it: an evemu recording
// of a DualSense over USB (250 Hz, MSC_TIMESTAMP, the per-event comments `evemu-record`
// writes) opened with `openRecording`, every frame fed to the hip-roll detector. The issue asks
// for a one-hour recording in under 2 s, with peak memory under 30 MB whatever the length; the
// 10-minute recording is there to show that memory does not grow with the length.
//
// The recordings are generated once in the temporary directory (80 MB per 10 minutes, 479 MB for
// the hour) from SyntheticMotion's hip rolls, converted to the DualSense's units and passed
// through the kernel's fuzz filter, so lines and frames look like a real capture.

let rateHz = 250.0

func recordingPath(minutes: Int) -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("repcount-benchmark-\(minutes)min-250Hz.evemu").path
}

/// hid-playstation's DualSense motion node on USB.
let dualSense: InputDeviceDescription = {
  var axes: [UInt16: AbsAxisInfo] = [:]
  for code: UInt16 in 0...2 {
    axes[code] = AbsAxisInfo(minimum: -32768, maximum: 32768, fuzz: 16, resolution: 8192)
  }
  for code: UInt16 in 3...5 {
    axes[code] = AbsAxisInfo(minimum: -2_097_152, maximum: 2_097_152, fuzz: 16, resolution: 1024)
  }
  return InputDeviceDescription(
    name: "Sony Interactive Entertainment DualSense Wireless Controller Motion Sensors",
    busType: 3, vendor: 0x054C, product: 0x0CE6, version: 0x8111, properties: [6],
    supportedCodes: [0: [0, 1, 3], 3: Set(axes.keys), 4: [5]], absAxes: axes)
}()

/// The kernel's `input_defuzz_abs_event`: small changes are damped or dropped.
func defuzz(_ value: Int32, old: Int32, fuzz: Int32) -> Int32 {
  if value > old - fuzz / 2 && value < old + fuzz / 2 { return old }
  if value > old - fuzz && value < old + fuzz { return (old * 3 + value) / 4 }
  if value > old - fuzz * 2 && value < old + fuzz * 2 { return (old + value) / 2 }
  return value
}

/// Writes `minutes` of hip rolls unless a complete file is already there; returns its size.
@discardableResult
func makeRecordingIfNeeded(minutes: Int) throws -> Int {
  let path = recordingPath(minutes: minutes)
  let frameCount = minutes * 60 * Int(rateHz)
  // About 530 bytes a frame; a shorter file is left over from an interrupted run.
  if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
    let size = attributes[.size] as? Int, size > frameCount * 500
  {
    return size
  }
  var writer = try EvemuWriter(path: path, device: dualSense)
  var motion = SyntheticMotion(kind: .hipRoll, rateHz: rateHz, withGyroscope: true, seed: 7)
  var last: [Int32] = [Int32.min, Int32.min, Int32.min, Int32.min, Int32.min, Int32.min]
  var stamp: UInt32 = 3_000_000_000  // the pad's clock, µs; wraps during the hour
  let firstEventMicroseconds: Int64 = 81_234_567_000
  for index in 0..<frameCount {
    let frame = motion.next()
    let gyro = frame.angularVelocityDPS ?? .zero
    let raw: [Double] = [
      frame.accelerationG.x * 8192, frame.accelerationG.y * 8192, frame.accelerationG.z * 8192,
      gyro.x * 1024, gyro.y * 1024, gyro.z * 1024,
    ]
    // USB reports arrive every 4 ms of the pad's clock; the host's event time jitters.
    let jitter = Int64((index &* 7919) % 601) - 300
    let time = firstEventMicroseconds + Int64(index) * 4000 + jitter
    for (code, value) in raw.enumerated() {
      var reading = Int32(value.rounded())
      if last[code] != Int32.min { reading = defuzz(reading, old: last[code], fuzz: 16) }
      guard reading != last[code] else { continue }
      last[code] = reading
      try writer.write(
        InputEvent(timeMicroseconds: time, type: 3, code: UInt16(code), value: reading))
    }
    try writer.write(
      InputEvent(timeMicroseconds: time, type: 4, code: 5, value: Int32(bitPattern: stamp)))
    try writer.write(InputEvent(timeMicroseconds: time, type: 0, code: 0, value: 0))
    stamp &+= 4000
  }
  try writer.close()
  let attributes = try FileManager.default.attributesOfItem(atPath: path)
  return attributes[.size] as? Int ?? 0
}

let frameCount = BenchmarkMetric.custom(
  "frames", polarity: .prefersLarger, useScalingFactor: false)
let countedReps = BenchmarkMetric.custom(
  "counted reps", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  let configuration = Benchmark.Configuration(
    metrics: [
      .wallClock, .cpuTotal, .peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal,
      frameCount, countedReps,
    ],
    warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 5)

  for minutes in [10, 60] {
    Benchmark(
      "end-to-end \(minutes) min 250 Hz DualSense evemu: openRecording + hip-roll",
      configuration: configuration
    ) { benchmark in
      let size: Int
      do {
        size = try makeRecordingIfNeeded(minutes: minutes)
      } catch {
        benchmark.error("cannot write the recording: \(error)")
        return
      }
      let path = recordingPath(minutes: minutes)
      benchmark.startMeasurement()
      let start = ContinuousClock.now
      var frames = 0
      var counted = 0
      var partial = 0
      do {
        var source = try openRecording(path: path, deviceTable: .builtIn)
        var detector = makeRepDetector(for: .hipRoll)
        while let frame = try source.nextFrame() {
          frames += 1
          if let event = detector.process(frame) {
            if event.isPartial { partial += 1 } else { counted += 1 }
          }
        }
        for event in detector.finish() {
          if event.isPartial { partial += 1 } else { counted += 1 }
        }
      } catch {
        benchmark.error("\(error)")
      }
      let seconds = (ContinuousClock.now - start) / .seconds(1)
      benchmark.stopMeasurement()
      benchmark.measurement(frameCount, frames)
      benchmark.measurement(countedReps, counted)
      print(
        "end-to-end \(minutes) min: \(frames) frames, \(size) bytes, \(counted) counted, "
          + "\(partial) partial, in \(seconds) s")
    }
  }
}
