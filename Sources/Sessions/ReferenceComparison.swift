import MotionCore

/// One of the user's reference repetitions from calibration: the trace `RepTraceRecorder` gives
/// for the exercise (knee lifts, hip rolls: tilt away from the start; twists: rotation about up).
public struct ReferenceTrace: Hashable, Sendable {
  public var exercise: Exercise
  /// Knee lifts: the side it was made with.
  public var side: BodySide?
  public var angleDegrees: [Double]

  public init(exercise: Exercise, side: BodySide?, angleDegrees: [Double]) {
    self.exercise = exercise
    self.side = side
    self.angleDegrees = angleDegrees
  }
}

/// How alike a repetition is to the user's own reference repetitions, by dynamic time warping of
/// shapes: each trace is resampled to the same length and scaled to its own range first, so the
/// figure is about how the movement unfolded, not its size or duration (the set comparison flags
/// those). 1 is the same shape; 0 is as far apart as the whole range.
///
/// Where a repetition starts is the detector's choice and differs a little between calibration
/// and a session, so: a knee lift's trace is trimmed to where it leaves and regains rest; a twist
/// (one full left-right cycle) is compared at every starting point of the cycle and mirrored (it
/// may start to either side).
public struct ReferenceComparison: Sendable {
  private let shapes: [(exercise: Exercise, side: BodySide?, shape: [(Double, Double)])]

  public init(references: [ReferenceTrace]) {
    shapes = references.compactMap { reference in
      Self.normalizedShape(reference.angleDegrees, exercise: reference.exercise).map {
        (reference.exercise, reference.side, $0)
      }
    }
  }

  public func hasReferences(for exercise: Exercise) -> Bool {
    shapes.contains { $0.exercise == exercise }
  }

  /// The best similarity (0 … 1) to a reference of the same exercise (same side for knee lifts
  /// when the reference knows it); `nil` without a reference or with a flat trace.
  public func similarity(of trace: [Double], exercise: Exercise, side: BodySide?) -> Double? {
    guard let shape = Self.normalizedShape(trace, exercise: exercise) else { return nil }
    var candidates = shapes.filter { $0.exercise == exercise }
    if let side, side != .unknown, candidates.contains(where: { $0.side == side }) {
      candidates = candidates.filter { $0.side == side }
    }
    guard !candidates.isEmpty else { return nil }
    var variants = [shape]
    if exercise == .twist {
      let mirrored = shape.map { (-$0.0, 0.0) }
      variants = (0..<shape.count).flatMap { shift in
        [shape, mirrored].map { Array($0[shift...] + $0[..<shift]) }
      }
    }
    var best = 0.0
    for candidate in candidates {
      for variant in variants {
        best = max(best, 1 - min(1, RepShape.distance(variant, candidate.shape)))
      }
    }
    return best
  }

  /// A lift's ends below this fraction of its range are rest, not movement.
  static let restFraction = 0.05

  /// Resampled to `RepShape.points` and divided by its range: a knee lift or hip roll from its
  /// lowest value (a knee lift trimmed to its movement first), a twist about its mean; `nil` for
  /// fewer than four samples or no movement.
  static func normalizedShape(_ trace: [Double], exercise: Exercise) -> [(Double, Double)]? {
    guard trace.count >= 4, let low = trace.min(), let high = trace.max(), high - low > 1e-6
    else { return nil }
    let range = high - low
    var samples = trace[...]
    if exercise == .kneeLift {
      let threshold = low + restFraction * range
      let first = trace.firstIndex { $0 > threshold } ?? 0
      let last = trace.lastIndex { $0 > threshold } ?? trace.count - 1
      samples = trace[max(0, first - 1)...min(trace.count - 1, last + 1)]
      guard samples.count >= 4 else { return nil }
    }
    let offset = exercise == .twist ? samples.reduce(0, +) / Double(samples.count) : low
    let count = RepShape.points
    let base = samples.startIndex
    return (0..<count).map { index in
      let position = Double(index) * Double(samples.count - 1) / Double(count - 1)
      let lower = min(Int(position), samples.count - 2)
      let weight = position - Double(lower)
      let value =
        samples[base + lower] + (samples[base + lower + 1] - samples[base + lower]) * weight
      return ((value - offset) / range, 0)
    }
  }
}
