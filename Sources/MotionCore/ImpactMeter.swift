/// How jolty the movement has been over the last second or so: the root mean square of the
/// acceleration magnitude's fast part (above about 0.6 Hz), g. Footsteps land as jolts of tenths
/// of a g; hip rolls and twists are smooth and stay within a few hundredths. Read when a cycle
/// ends, it describes that cycle's end, so steps just before a set do not spoil its first
/// repetition. No allocation.
struct ImpactMeter: Sendable {
  private var slowMagnitudeG = LowPassFilter(timeConstantSeconds: 0.25)
  private var meanSquare = LowPassFilter(timeConstantSeconds: 1.0)
  /// A frame's fast part counts up to this much, g: footsteps stay below it, and one knock or
  /// glitched report of several g (which alone kept the mean square up for four seconds, and
  /// the first twists of a set uncounted) weighs no more than a firm step.
  static let largestJoltG = 0.5

  mutating func update(accelerationMagnitudeG magnitude: Double, dtSeconds dt: Double) {
    let fast = min(
      abs(magnitude - slowMagnitudeG.update(magnitude, dtSeconds: dt)), Self.largestJoltG)
    meanSquare.update(fast * fast, dtSeconds: dt)
  }

  var rmsG: Double { meanSquare.value.squareRoot() }
}
