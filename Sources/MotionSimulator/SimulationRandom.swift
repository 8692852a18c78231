import Foundation
import MotionCore

/// The simulator's only source of randomness: xoshiro256** seeded through SplitMix64, so a seed
/// gives the same recording on every machine and every run (the system generator never is).
public struct SimulationRandom: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var splitMix = seed
    func nextSplitMix() -> UInt64 {
      splitMix &+= 0x9E37_79B9_7F4A_7C15
      var z = splitMix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
  }

  /// An independent stream for one part of a simulation (so adding draws to one part does not
  /// shift every other part).
  public mutating func fork() -> SimulationRandom {
    SimulationRandom(seed: next())
  }

  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let shifted = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= shifted
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }

  /// Uniform in [0, 1).
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Uniform in `range`.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * unit()
  }

  /// Uniform integer in `range`.
  public mutating func integer(_ range: ClosedRange<Int>) -> Int {
    let span = UInt64(range.upperBound - range.lowerBound + 1)
    return range.lowerBound + Int(next() % span)
  }

  /// `true` with the given probability.
  public mutating func chance(_ probability: Double) -> Bool {
    unit() < probability
  }

  /// Standard normal (Box–Muller; one value per call keeps the stream simple).
  public mutating func gaussian() -> Double {
    let u1 = max(unit(), 1e-300)
    let u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A rotation drawn uniformly over all orientations (normalised 4-D Gaussian).
  public mutating func uniformRotation() -> Quaternion {
    while true {
      let q = Quaternion(w: gaussian(), x: gaussian(), y: gaussian(), z: gaussian())
      let norm = q.norm
      if norm > 1e-6 { return q.scaled(1 / norm) }
    }
  }

  /// A unit vector drawn uniformly over the sphere.
  public mutating func unitVector() -> Vector3 {
    while true {
      let v = Vector3(gaussian(), gaussian(), gaussian())
      if let unit = v.normalized { return unit }
    }
  }

  /// One element of a non-empty array.
  public mutating func pick<T>(_ items: [T]) -> T {
    items[integer(0...(items.count - 1))]
  }
}
