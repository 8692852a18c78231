/// A streaming repetition detector: feed it every frame in time order; it answers with a
/// repetition as soon as one is complete. Implementations are value types that allocate nothing
/// per frame and read no clock but the frames' own timestamps, so replay is deterministic.
public protocol RepDetector {
  var exercise: Exercise { get }
  /// Consumes one frame; returns a repetition (counted or partial) when one just ended.
  mutating func process(_ frame: MotionFrame) -> RepEvent?
  /// Call at the end of the stream: the repetitions still held back, in order, and an
  /// unfinished one as partial. (An array: several may be pending, and nothing may be lost.)
  mutating func finish() -> [RepEvent]
  /// The gyroscope bias in use and how it was learnt (for reporting; filter health).
  var gyroBias: GyroBiasTracker { get }
}

extension RepDetector {
  /// Detectors without a motion front end (test doubles) have nothing learnt.
  public var gyroBias: GyroBiasTracker { GyroBiasTracker() }
}
