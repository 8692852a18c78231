import Benchmark
import MotionCore
import SyntheticMotion

// MotionCore alone: frames per second through each exercise's detector, built by
// `makeRepDetector(for:)` and called through `any RepDetector` exactly as `repcount count` does,
// on pre-generated 250 Hz frames of that exercise (sets and rests, gravity, noise, gyroscope
// bias; see SyntheticMotion). The issue asks for ≥ 5 million frames/s on one core.
//
// Each benchmark iteration is one pass over the whole stream with a fresh detector (created
// before the measurement starts), ending with `finish()`. Every stream is measured at two
// lengths, 1 and 10 minutes: a detector that allocates nothing per frame shows the same
// mallocCountTotal for both.

let rateHz = 250.0
let shortFrames = 60 * 250
let longFrames = 10 * 60 * 250

// Generated once, lazily (global `let`s are initialised on first use), never while measuring.
let hipRollGyro = SyntheticMotion.frames(.hipRoll, count: longFrames, withGyroscope: true)
let hipRollAccel = SyntheticMotion.frames(.hipRoll, count: longFrames, withGyroscope: false)
let twistGyro = SyntheticMotion.frames(.twist, count: longFrames, withGyroscope: true)
let twistAccel = SyntheticMotion.frames(.twist, count: longFrames, withGyroscope: false)
let kneeLiftGyro = SyntheticMotion.frames(.kneeLift, count: longFrames, withGyroscope: true)
let kneeLiftAccel = SyntheticMotion.frames(.kneeLift, count: longFrames, withGyroscope: false)

/// The stream each detector is fed: its own exercise; the generic counter gets knee lifts (a
/// movement that rests at one end, as it assumes).
func frames(for exercise: Exercise, withGyroscope: Bool) -> [MotionFrame] {
  switch (exercise, withGyroscope) {
  case (.hipRoll, true): return hipRollGyro
  case (.hipRoll, false): return hipRollAccel
  case (.twist, true): return twistGyro
  case (.twist, false): return twistAccel
  case (.kneeLift, true), (.any, true): return kneeLiftGyro
  case (.kneeLift, false), (.any, false): return kneeLiftAccel
  }
}

let framesPerSecond = BenchmarkMetric.custom(
  "frames/s", polarity: .prefersLarger, useScalingFactor: false)
let countedReps = BenchmarkMetric.custom(
  "counted reps", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal, framesPerSecond, countedReps],
    warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 40)

  for exercise in Exercise.allCases {
    for withGyroscope in [true, false] {
      for (label, count) in [("1 min", shortFrames), ("10 min", longFrames)] {
        let name =
          "core \(exercise.rawValue) \(withGyroscope ? "gyro" : "accel only") \(label)"
        Benchmark(name, configuration: configuration) { benchmark in
          let stream = frames(for: exercise, withGyroscope: withGyroscope)[0..<count]
          var detector = makeRepDetector(for: exercise)
          var counted = 0
          var reported = 0
          benchmark.startMeasurement()
          let start = ContinuousClock.now
          for frame in stream {
            if let event = detector.process(frame) {
              reported += 1
              if !event.isPartial { counted += 1 }
            }
          }
          counted += detector.finish().filter { !$0.isPartial }.count
          let elapsed = ContinuousClock.now - start
          benchmark.stopMeasurement()
          blackHole(reported)
          let seconds = elapsed / .seconds(1)
          benchmark.measurement(framesPerSecond, Int(Double(count) / seconds))
          benchmark.measurement(countedReps, counted)
        }
      }
    }
  }

  // The same stream through the concrete type, without the existential: what the `any
  // RepDetector` indirection costs.
  Benchmark("core hip-roll gyro 10 min, concrete HipRollDetector", configuration: configuration) {
    benchmark in
    let stream = hipRollGyro
    var detector = HipRollDetector()
    var counted = 0
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    for frame in stream {
      if let event = detector.process(frame), !event.isPartial { counted += 1 }
    }
    counted += detector.finish().filter { !$0.isPartial }.count
    let elapsed = ContinuousClock.now - start
    benchmark.stopMeasurement()
    benchmark.measurement(framesPerSecond, Int(Double(stream.count) / (elapsed / .seconds(1))))
    benchmark.measurement(countedReps, counted)
  }
}
