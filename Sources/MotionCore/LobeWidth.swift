/// How long a lobe stayed above half its own peak, measured without storing its samples: the time
/// above each of a fixed ladder of levels (a factor √2 apart) is summed as the lobe goes, and at
/// its end the time above half the peak is read between the two levels around it.
///
/// Half the lobe's own peak, not a fixed share of the set's, tells a way from a push or a stop: a
/// way of a twist rises and falls over half a period, while the push that starts a bout from rest
/// and the stop that ends it are sharp (the simulated ramp takes a fifth of a period), often twice
/// a way's peak, and sit on the slow drift of a pause. Counted above a fixed level, the spike's
/// height made it look as long as a way. No allocation: a fixed tuple.
struct LobeWidth: Sendable {
  /// The lowest level, signal units; each next level is √2 higher.
  let lowestLevel: Double
  private var seconds:
    (
      Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
      Double, Double, Double, Double, Double
    ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  static let levelCount = 16
  static let levelRatio = 2.0.squareRoot()

  init(lowestLevel: Double) {
    self.lowestLevel = lowestLevel
  }

  mutating func reset() {
    seconds = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  }

  /// One frame of the lobe: `value` is the signal in the lobe's direction.
  mutating func add(_ value: Double, dtSeconds dt: Double) {
    guard value > lowestLevel else { return }
    let lowest = lowestLevel
    withUnsafeMutableBytes(of: &seconds) { raw in
      let buffer = raw.bindMemory(to: Double.self)
      var level = lowest
      for index in 0..<Self.levelCount {
        guard value > level else { break }
        buffer[index] += dt
        level *= Self.levelRatio
      }
    }
  }

  /// Seconds above half of `peak` (the lobe's own), interpolated between the levels around it.
  func secondsAboveHalf(ofPeak peak: Double) -> Double {
    var stored = seconds
    let half = 0.5 * peak
    let lowest = lowestLevel
    return withUnsafeBytes(of: &stored) { raw -> Double in
      let buffer = raw.bindMemory(to: Double.self)
      guard half > lowest else { return buffer[0] }
      let position = naturalLogarithm(half / lowest) / naturalLogarithm(Self.levelRatio)
      let below = min(Int(position), Self.levelCount - 1)
      guard below + 1 < Self.levelCount else { return buffer[below] }
      let fraction = position - Double(below)
      return buffer[below] + fraction * (buffer[below + 1] - buffer[below])
    }
  }
}
