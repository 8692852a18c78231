/// Watches a back-and-forth swing about a middle (a twist's yaw) for a start from rest, and
/// tells, once the swing has gone out both ways, whether that rest was the swing's middle.
///
/// A set of twists starts from standing in the middle. A movement before it (the held device
/// turned in the hand, a small first twist) may have opened the count and fixed where its cycles
/// begin half a cycle off: then every repetition is counted from the middle of a twist to the
/// middle of the next, and the half-twists at the set's ends are judged alone. Where the body
/// rested before moving says which: a rest in the middle of the swing is where its cycles
/// begin, one at an end (a pause at the far side of a twist) says nothing.
///
/// The position is the rate integrated from the start (no leak: the test is against the rest
/// itself); the caller's own position is kept for the extremes it reports. No allocation.
struct SwingStartWatcher: Sendable {
  /// A swing that started from rest in its middle.
  struct Start: Sendable {
    var seconds: Double
    /// +1 or −1: the rate's sign on the way out.
    var direction: Double
    /// The caller's position at the swing's two extremes.
    var lowest: Double
    var highest: Double
  }

  /// Slower than this the body rests, in the rate's unit: a held device drifts at a few °/s
  /// after a fidget; a twist turns at tens.
  let restRate: Double
  /// The smallest swing, end to end, that tells (in the position's unit).
  let minimumSwing: Double
  /// Resting this long before moving makes a start, seconds: a twist turns round at its ends
  /// in a few tenths of a second, a rest between a fidget and the set lasts most of a second.
  static let restSeconds = 0.5
  /// The rest was the swing's middle when it lies within this fraction of the half-swing from
  /// the middle of the first two extremes (a pause at an end lies a whole half-swing away).
  static let middleFraction = 0.35
  /// A start not decided within this time is given up, seconds.
  static let longestDecisionSeconds = 12.0

  private var quietSinceSeconds: Double?
  private var hasRested = false
  private var startSeconds: Double?
  private var startDirection = 0.0
  /// Rate integrated since the start.
  private var travelled = 0.0
  private var swingDirection = 0.0
  private var furthest = 0.0
  private var furthestPosition = 0.0
  private var firstExtreme: Double?
  private var firstExtremePosition = 0.0

  init(restRate: Double, minimumSwing: Double) {
    self.restRate = restRate
    self.minimumSwing = minimumSwing
  }

  /// Forget the rest and any start (continuity broken).
  mutating func reset() {
    quietSinceSeconds = nil
    hasRested = false
    startSeconds = nil
  }

  /// Feed one frame. `isWatching`: whether a start now matters (the caller's set has not begun).
  /// Returns the start once its swing shows that it began in the middle.
  mutating func update(
    timeSeconds t: Double, dtSeconds dt: Double, rate: Double, position: Double,
    isWatching: Bool
  ) -> Start? {
    if abs(rate) < restRate {
      let since = quietSinceSeconds ?? t
      quietSinceSeconds = since
      if t - since >= Self.restSeconds {
        // Resting again (at an end of the swing, or before it began): any start is undone.
        hasRested = true
        startSeconds = nil
      }
    } else {
      quietSinceSeconds = nil
      if hasRested {
        hasRested = false
        if isWatching {
          startSeconds = t
          startDirection = rate > 0 ? 1 : -1
          swingDirection = startDirection
          travelled = 0
          furthest = 0
          furthestPosition = position
          firstExtreme = nil
        }
      }
    }
    guard let start = startSeconds else { return nil }
    guard t - start <= Self.longestDecisionSeconds else {
      startSeconds = nil
      return nil
    }
    travelled += rate * dt
    if (travelled - furthest) * swingDirection > 0 {
      furthest = travelled
      furthestPosition = position
    }
    // Clearly on the way back: the swing turned at its furthest point.
    guard rate * swingDirection < -restRate else { return nil }
    guard let first = firstExtreme else {
      firstExtreme = furthest
      firstExtremePosition = furthestPosition
      swingDirection = -swingDirection
      furthest = travelled
      furthestPosition = position
      return nil
    }
    startSeconds = nil
    let second = furthest
    let half = abs(first - second) / 2
    guard first * startDirection > 0, second * startDirection < 0, 2 * half >= minimumSwing,
      abs(first + second) / 2 <= Self.middleFraction * half
    else { return nil }
    return Start(
      seconds: start, direction: startDirection,
      lowest: min(firstExtremePosition, furthestPosition),
      highest: max(firstExtremePosition, furthestPosition))
  }
}
