import Foundation

/// Quintic smoothstep: 0 below 0, 1 above 1, with zero first and second derivatives at both
/// ends, so motions built from it start and stop without jolts.
@inline(__always)
func smoothStep(_ u: Double) -> Double {
  if u <= 0 { return 0 }
  if u >= 1 { return 1 }
  return u * u * u * (u * (u * 6 - 15) + 10)
}

/// ∫₀ᵘ smoothStep, for positions whose velocity ramps with `smoothStep`.
@inline(__always)
func smoothStepIntegral(_ u: Double) -> Double {
  if u <= 0 { return 0 }
  if u >= 1 { return u - 0.5 }
  let u4 = u * u * u * u
  return u4 * (u * u - 3 * u + 2.5)
}

/// Ramp from 0 at `start` to 1 at `start + duration`.
@inline(__always)
func rampUp(_ t: Double, start: Double, duration: Double) -> Double {
  duration <= 0 ? (t >= start ? 1 : 0) : smoothStep((t - start) / duration)
}

/// Ramp from 1 at `end - duration` to 0 at `end`.
@inline(__always)
func rampDown(_ t: Double, end: Double, duration: Double) -> Double {
  duration <= 0 ? (t <= end ? 1 : 0) : 1 - smoothStep((t - (end - duration)) / duration)
}

/// A smooth random signal: a few sinusoids with random frequencies and phases. Used for sway,
/// breathing, tremor and slow sensor drift, where only smoothness and a spectrum matter.
struct SmoothNoise: Sendable {
  private var frequenciesHz: [Double] = []
  private var amplitudes: [Double] = []
  private var phases: [Double] = []

  init() {}

  /// `amplitude` is the RMS of the sum; frequencies are drawn from `frequencyRangeHz`.
  init(
    amplitude: Double, frequencyRangeHz: ClosedRange<Double>, components: Int = 3,
    random: inout SimulationRandom
  ) {
    let each = amplitude * (2.0 / Double(components)).squareRoot()
    for _ in 0..<components {
      frequenciesHz.append(random.uniform(frequencyRangeHz))
      amplitudes.append(each * random.uniform(0.6...1.4))
      phases.append(random.uniform(0...(2 * Double.pi)))
    }
  }

  @inline(__always)
  func value(at t: Double) -> Double {
    var sum = 0.0
    for index in 0..<frequenciesHz.count {
      sum += amplitudes[index] * sin(2 * Double.pi * frequenciesHz[index] * t + phases[index])
    }
    return sum
  }
}

/// Phase (radians) through time, pinned at knots (one knot per rep boundary) and interpolated
/// with a cubic Hermite curve, so the tempo changes smoothly from rep to rep.
struct PhaseCurve: Sendable {
  private(set) var times: [Double]
  private(set) var phases: [Double]
  private var slopes: [Double]

  /// `times` strictly increasing, `phases` non-decreasing, both of the same length ≥ 2.
  init(times: [Double], phases: [Double]) {
    precondition(times.count == phases.count && times.count >= 2)
    self.times = times
    self.phases = phases
    var secants: [Double] = []
    for index in 0..<(times.count - 1) {
      secants.append((phases[index + 1] - phases[index]) / (times[index + 1] - times[index]))
    }
    var slopes = [secants[0]]
    for index in 1..<(times.count - 1) {
      slopes.append((secants[index - 1] + secants[index]) / 2)
    }
    slopes.append(secants[secants.count - 1])
    self.slopes = slopes
  }

  var startTime: Double { times[0] }
  var endTime: Double { times[times.count - 1] }

  func phase(at t: Double) -> Double {
    if t <= times[0] { return phases[0] + slopes[0] * (t - times[0]) }
    let last = times.count - 1
    if t >= times[last] { return phases[last] + slopes[last] * (t - times[last]) }
    var low = 0
    var high = last
    while high - low > 1 {
      let mid = (low + high) / 2
      if times[mid] <= t { low = mid } else { high = mid }
    }
    let h = times[high] - times[low]
    let u = (t - times[low]) / h
    let u2 = u * u
    let u3 = u2 * u
    return (2 * u3 - 3 * u2 + 1) * phases[low] + (u3 - 2 * u2 + u) * h * slopes[low]
      + (-2 * u3 + 3 * u2) * phases[high] + (u3 - u2) * h * slopes[high]
  }
}

/// A per-rep value (amplitude) that holds within each rep and changes smoothly in a short window
/// around each rep boundary.
struct StepwiseSmoothValue: Sendable {
  var boundaries: [Double]  // rep i spans boundaries[i]...boundaries[i+1]
  var values: [Double]  // one per rep
  var blendSeconds: Double

  func value(at t: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    var result = values[0]
    for index in 1..<values.count {
      let boundary = boundaries[index]
      if t < boundary - blendSeconds { break }
      let fraction = smoothStep((t - (boundary - blendSeconds)) / (2 * blendSeconds))
      result = result + (values[index] - result) * fraction
    }
    return result
  }
}
