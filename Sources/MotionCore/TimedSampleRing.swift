/// The last `capacity` samples of a signal with their times, oldest overwritten first: the
/// storage is allocated once. Both recorders that look back over a repetition once it has been
/// reported (`RepTraceRecorder`, `BodyTiltRecorder`) keep their samples here.
struct TimedSampleRing<Sample: Sendable>: Sendable {
  private var timesSeconds: [Double]
  private var samples: [Sample]
  /// Next slot to write, and how many slots hold samples.
  private var head = 0
  private var filled = 0

  init(capacity: Int, filler: Sample) {
    timesSeconds = [Double](repeating: 0, count: max(capacity, 1))
    samples = [Sample](repeating: filler, count: max(capacity, 1))
  }

  var isEmpty: Bool { filled == 0 }

  mutating func append(_ sample: Sample, atSeconds time: Double) {
    timesSeconds[head] = time
    samples[head] = sample
    head = (head + 1) % timesSeconds.count
    filled = min(filled + 1, timesSeconds.count)
  }

  /// Whether the oldest sample kept is no later than `start + toleranceSeconds`: a window from
  /// `start` is then held whole, not cut short.
  func reaches(backToSeconds start: Double, toleranceSeconds: Double) -> Bool {
    guard filled > 0 else { return false }
    return timesSeconds[oldestSlot] <= start + toleranceSeconds
  }

  /// Calls `body` with each sample timed within `start...end`, oldest first.
  func forEach(fromSeconds start: Double, toSeconds end: Double, _ body: (Sample) -> Void) {
    let count = timesSeconds.count
    for offset in 0..<filled {
      let slot = (oldestSlot + offset) % count
      let time = timesSeconds[slot]
      if time > end { break }
      if time >= start { body(samples[slot]) }
    }
  }

  private var oldestSlot: Int { (head - filled + timesSeconds.count) % timesSeconds.count }
}
