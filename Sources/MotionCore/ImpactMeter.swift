/// How jolty the movement has been over the last second or so: the root mean square of the
/// acceleration magnitude's fast part (above about 0.6 Hz), g. Footsteps land as jolts of tenths
/// of a g; hip rolls and twists are smooth and stay within a few hundredths. Read when a cycle
/// ends, it describes that cycle's end, so steps just before a set do not spoil its first
/// repetition. No allocation.
struct ImpactMeter: Sendable {
  private var slowMagnitudeG = LowPassFilter(timeConstantSeconds: 0.25)
  private var meanSquare = LowPassFilter(timeConstantSeconds: 1.0)

  mutating func update(accelerationG: Vector3, dtSeconds dt: Double) {
    let magnitude = accelerationG.length
    let fast = magnitude - slowMagnitudeG.update(magnitude, dtSeconds: dt)
    meanSquare.update(fast * fast, dtSeconds: dt)
  }

  var rmsG: Double { meanSquare.value.squareRoot() }
}
