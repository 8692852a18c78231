import MotionCore

/// A detected repetition with the time (frame time, same clock as its start/end) of the frame at
/// which the detector returned it.
public struct DetectedRep: Hashable, Sendable {
  public var event: RepEvent
  public var emittedAtSeconds: Double

  public init(event: RepEvent, emittedAtSeconds: Double) {
    self.event = event
    self.emittedAtSeconds = emittedAtSeconds
  }
}

/// One true repetition paired (or not) with a detection.
public struct RepMatch: Hashable, Sendable {
  public var trueIndex: Int
  public var detectedIndex: Int?
}

/// Matching of true to detected repetitions by time overlap: every pair that overlaps is a
/// candidate, pairs are taken greedily by decreasing intersection-over-union, each rep used once.
/// Greedy IoU is what action-detection benchmarks use; with reps that do not overlap each other
/// it equals the optimal assignment in practice.
public enum RepMatcher {
  public static func overlapSeconds(
    _ a: (start: Double, end: Double), _ b: (start: Double, end: Double)
  ) -> Double {
    max(0, min(a.end, b.end) - max(a.start, b.start))
  }

  public static func intersectionOverUnion(
    _ a: (start: Double, end: Double), _ b: (start: Double, end: Double)
  ) -> Double {
    let overlap = overlapSeconds(a, b)
    let union = max(a.end, b.end) - min(a.start, b.start)
    return union > 0 ? overlap / union : 0
  }

  /// For each true interval, the index of its matched detected interval (or nil).
  public static func match(
    truth: [(start: Double, end: Double)], detected: [(start: Double, end: Double)]
  ) -> [Int?] {
    var candidates: [(iou: Double, truth: Int, detected: Int)] = []
    for (trueIndex, trueRep) in truth.enumerated() {
      for (detectedIndex, detectedRep) in detected.enumerated() {
        let iou = intersectionOverUnion(trueRep, detectedRep)
        if iou > 0 { candidates.append((iou, trueIndex, detectedIndex)) }
      }
    }
    candidates.sort {
      $0.iou != $1.iou ? $0.iou > $1.iou : ($0.truth, $0.detected) < ($1.truth, $1.detected)
    }
    var result = [Int?](repeating: nil, count: truth.count)
    var used = Set<Int>()
    for candidate in candidates
    where result[candidate.truth] == nil && !used.contains(candidate.detected) {
      result[candidate.truth] = candidate.detected
      used.insert(candidate.detected)
    }
    return result
  }
}
