import MotionCore

/// Mean, spread and extremes of a series of intervals (Welford's running variance; no storage).
public struct IntervalStatistics: Sendable, Equatable {
  public private(set) var count = 0
  public private(set) var meanSeconds = 0.0
  private var squaredDeviationSum = 0.0
  public private(set) var minimumSeconds = Double.infinity
  public private(set) var maximumSeconds = 0.0

  public init() {}

  public mutating func add(_ intervalSeconds: Double) {
    count += 1
    let delta = intervalSeconds - meanSeconds
    meanSeconds += delta / Double(count)
    squaredDeviationSum += delta * (intervalSeconds - meanSeconds)
    minimumSeconds = min(minimumSeconds, intervalSeconds)
    maximumSeconds = max(maximumSeconds, intervalSeconds)
  }

  /// Standard deviation of the intervals: the jitter.
  public var standardDeviationSeconds: Double {
    count > 1 ? (squaredDeviationSum / Double(count - 1)).squareRoot() : 0
  }

  /// 1 / mean interval, or `nil` before two samples.
  public var rateHz: Double? { count > 0 && meanSeconds > 0 ? 1 / meanSeconds : nil }
}

/// Measures a live node's real rates: samples by the frames' device time, and reports by the
/// host arrival time of `SYN_REPORT`s (frames that arrive within `burstWindowSeconds` of each
/// other count as one report, as hid-nintendo delivers three samples per report).
public struct ReportRateMeter: Sendable {
  public let burstWindowSeconds: Double
  public private(set) var frames = IntervalStatistics()
  public private(set) var reports = IntervalStatistics()
  public private(set) var frameCount = 0
  public private(set) var reportCount = 0
  /// Frames flagged `framesLostBefore` (SYN_DROPPED or a timestamp gap).
  public private(set) var lossCount = 0
  private var lastFrameSeconds: Double?
  private var lastArrivalMicroseconds: Int64?
  private var reportStartMicroseconds: Int64?

  public init(burstWindowSeconds: Double = 0.001) {
    self.burstWindowSeconds = burstWindowSeconds
  }

  /// Feeds every raw event (for arrival times) …
  public mutating func observe(_ event: InputEvent) {
    guard event.type == EventCode.synType, event.code == EventCode.synReport else { return }
    let arrival = event.timeMicroseconds
    defer { lastArrivalMicroseconds = arrival }
    if let last = lastArrivalMicroseconds,
      Double(arrival - last) * 1e-6 <= burstWindowSeconds
    {
      return  // same report (a burst)
    }
    if let start = reportStartMicroseconds, arrival > start {
      reports.add(Double(arrival - start) * 1e-6)
    }
    reportStartMicroseconds = arrival
    reportCount += 1
  }

  /// … and every assembled frame.
  public mutating func observe(_ frame: MotionFrame) {
    frameCount += 1
    if frame.framesLostBefore { lossCount += 1 }
    if let last = lastFrameSeconds, !frame.framesLostBefore, frame.timeSeconds >= last {
      frames.add(frame.timeSeconds - last)
    }
    lastFrameSeconds = frame.timeSeconds
  }
}
