/// Notices a signal that has come to rest away from its running mean: a step, not a swing.
///
/// A fidget turns the device in its holder, and gravity's share on each axis steps to a new
/// level (tenths of a g) and stays there. A running mean follows a step only slowly: for seconds
/// the signal less its mean is a decaying lobe, larger than a twist at the waist, and the first
/// way of a set that starts then is lost in it. Once the signal has held still for
/// `settledSeconds` this far from the mean, the mean belongs at the new level.
///
/// A twist's extremes are seldom this far from the mean, and the signal turns back from them
/// instead of resting there. No allocation: one reference sample.
struct SettledStepDetector: Sendable {
  /// Held within this distance of one sample, the signal is still (signal units)...
  private let stillDistance: Double
  /// ...or within this fraction of its distance from the mean: after a large step the body's
  /// sway and the device's noise are no reason to wait.
  static let stillFractionOfStep = 0.2
  /// Still this long is settled, seconds: the rest between a fidget and a set can be under a
  /// second, and the mean must be moved before the set's first way begins.
  static let settledSeconds = 0.4
  /// Settled at least this far from the mean is a step (signal units).
  private let smallestStep: Double

  private var reference: Vector3?
  private var stillSinceSeconds = 0.0

  init(stillDistance: Double, smallestStep: Double) {
    self.stillDistance = stillDistance
    self.smallestStep = smallestStep
  }

  /// Feed one sample and the running mean it is measured from. True when the sample has settled
  /// a step away from the mean: the caller moves the mean to it.
  mutating func update(
    _ sample: Vector3, mean: Vector3, timeSeconds t: Double, continuity: FrameContinuity
  ) -> Bool {
    let step = (sample - mean).length
    guard continuity != .broken, let reference,
      (sample - reference).length <= max(stillDistance, Self.stillFractionOfStep * step)
    else {
      reference = sample
      stillSinceSeconds = t
      return false
    }
    return t - stillSinceSeconds >= Self.settledSeconds && step > smallestStep
  }
}
