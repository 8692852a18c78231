import Benchmark
import Foundation
import MotionCore
import MotionInput

// Parse throughput of evemu recordings (issue 2: ≥ 100 MB/s in a release build). The file is a
// generated ~100 MB recording of a DualSense-like node at 1 kHz, written by EvemuWriter with the
// same per-event comments `evemu-record` writes, so lines are as long as real ones.

let recordingPath = FileManager.default.temporaryDirectory
  .appendingPathComponent("repcount-benchmark-100MB.evemu").path

func makeRecordingIfNeeded() throws -> Int {
  if let attributes = try? FileManager.default.attributesOfItem(atPath: recordingPath),
    let size = attributes[.size] as? Int, size > 90_000_000
  {
    return size
  }
  var axes: [UInt16: AbsAxisInfo] = [:]
  for code: UInt16 in 0...2 {
    axes[code] = AbsAxisInfo(minimum: -32768, maximum: 32768, fuzz: 16, resolution: 8192)
  }
  for code: UInt16 in 3...5 {
    axes[code] = AbsAxisInfo(minimum: -2_097_152, maximum: 2_097_152, fuzz: 16, resolution: 1024)
  }
  let device = InputDeviceDescription(
    name: "DualSense Wireless Controller Motion Sensors", busType: 5, vendor: 0x054C,
    product: 0x0CE6, version: 0x8100, properties: [6],
    supportedCodes: [0: [0, 1, 3], 3: Set(axes.keys), 4: [5]], absAxes: axes)
  var writer = try EvemuWriter(path: recordingPath, device: device)
  var time: Int64 = 1_000_000_000
  var stamp: UInt32 = 0
  var bytes = 0
  var frame = 0
  while bytes < 100_000_000 {
    let phase = Double(frame) * 0.006
    let values: [Int32] = [
      Int32(2000 * sin(phase)), Int32(8192 + 1500 * cos(phase)), Int32(900 * sin(phase * 0.7)),
      Int32(60_000 * cos(phase)), Int32(-40_000 * sin(phase * 1.3)), Int32(frame % 97) - 48,
    ]
    for (code, value) in values.enumerated() {
      try writer.write(
        InputEvent(timeMicroseconds: time, type: 3, code: UInt16(code), value: value))
    }
    try writer.write(
      InputEvent(timeMicroseconds: time, type: 4, code: 5, value: Int32(bitPattern: stamp)))
    try writer.write(InputEvent(timeMicroseconds: time, type: 0, code: 0, value: 0))
    // About 8 lines of ~60 bytes per frame; checked against the real size below.
    bytes += 8 * 60
    time += 1000
    stamp &+= 1000
    frame += 1
  }
  try writer.close()
  let attributes = try FileManager.default.attributesOfItem(atPath: recordingPath)
  return attributes[.size] as? Int ?? bytes
}

let megabytesPerSecond = BenchmarkMetric.custom(
  "MB/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, megabytesPerSecond],
    warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 5)

  Benchmark("evemu parse: events", configuration: configuration) { benchmark in
    let size = (try? makeRecordingIfNeeded()) ?? 0
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    var count = 0
    var checksum: Int64 = 0
    do {
      let stream = try EvemuEventStream(path: recordingPath)
      while let event = try stream.nextEvent() {
        count += 1
        checksum &+= Int64(event.value)
      }
    } catch {
      benchmark.error("\(error)")
    }
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    benchmark.stopMeasurement()
    blackHole(checksum)
    benchmark.measurement(megabytesPerSecond, Int(Double(size) / 1_000_000 / seconds))
    print("evemu parse: \(count) events, \(size) bytes in \(seconds) s")
  }

  Benchmark("evemu parse: frames", configuration: configuration) { benchmark in
    let size = (try? makeRecordingIfNeeded()) ?? 0
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    var frames = 0
    var sum = 0.0
    do {
      var source = try openRecording(path: recordingPath, deviceTable: .builtIn)
      while let frame = try source.nextFrame() {
        frames += 1
        sum += frame.accelerationG.y
      }
    } catch {
      benchmark.error("\(error)")
    }
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    benchmark.stopMeasurement()
    blackHole(sum)
    benchmark.measurement(megabytesPerSecond, Int(Double(size) / 1_000_000 / seconds))
    print("evemu frames: \(frames) frames, \(size) bytes in \(seconds) s")
  }
}
