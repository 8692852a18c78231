import MotionCore

/// What a recording holds, as `repcount inspect` prints it: device, duration, rate and jitter,
/// gaps, and the gravity magnitude while still (a units sanity check: about 1 g).
public struct RecordingInspection: Codable, Hashable, Sendable {
  public var path: String
  public var format: String
  public var deviceName: String
  /// `bus:vendor:product` in hex, e.g. `0005:054c:0ce6`.
  public var deviceIdentity: String
  public var deviceVersion: String
  public var tableEntryId: String?
  public var tableEntryName: String?
  public var timestampModel: String
  public var frameCount: Int
  public var durationSeconds: Double
  /// Frames per second over the whole recording.
  public var effectiveRateHz: Double?
  public var meanIntervalMilliseconds: Double?
  /// Standard deviation of the frame intervals.
  public var intervalJitterMilliseconds: Double?
  public var minimumIntervalMilliseconds: Double?
  public var maximumIntervalMilliseconds: Double?
  /// Frames marked `framesLostBefore` (time gaps and SYN_DROPPED).
  public var gapCount: Int
  /// Pauses of more than `heldPauseSeconds` in which a fuzz-filtered node without a clock sent
  /// nothing because nothing moved (`valuesHeldBefore`): stillness, not loss.
  public var heldPauseCount: Int
  /// The shortest held pause counted: what the detectors take as a gap between frames.
  public static let heldPauseSeconds = DetectorSettings().gapSeconds
  public var synDroppedCount: Int
  /// Events after the last SYN_REPORT (the recording stopped mid-frame); ignored.
  public var unterminatedEventCount: Int
  public var hasGyroscope: Bool
  /// Seconds spent still (windows of 0.5 s with little motion).
  public var stillSeconds: Double
  /// Mean |acceleration| over the still windows, or `nil` when the device never rested.
  public var stillGravityMagnitudeG: Double?
  /// Mean acceleration vector while still: which project axis points up.
  public var stillGravityVectorG: [Double]?

  /// Encodes every key, with `null` for unknown values, so scripts see a stable shape.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(path, forKey: .path)
    try container.encode(format, forKey: .format)
    try container.encode(deviceName, forKey: .deviceName)
    try container.encode(deviceIdentity, forKey: .deviceIdentity)
    try container.encode(deviceVersion, forKey: .deviceVersion)
    try container.encode(tableEntryId, forKey: .tableEntryId)
    try container.encode(tableEntryName, forKey: .tableEntryName)
    try container.encode(timestampModel, forKey: .timestampModel)
    try container.encode(frameCount, forKey: .frameCount)
    try container.encode(durationSeconds, forKey: .durationSeconds)
    try container.encode(effectiveRateHz, forKey: .effectiveRateHz)
    try container.encode(meanIntervalMilliseconds, forKey: .meanIntervalMilliseconds)
    try container.encode(intervalJitterMilliseconds, forKey: .intervalJitterMilliseconds)
    try container.encode(minimumIntervalMilliseconds, forKey: .minimumIntervalMilliseconds)
    try container.encode(maximumIntervalMilliseconds, forKey: .maximumIntervalMilliseconds)
    try container.encode(gapCount, forKey: .gapCount)
    try container.encode(heldPauseCount, forKey: .heldPauseCount)
    try container.encode(synDroppedCount, forKey: .synDroppedCount)
    try container.encode(unterminatedEventCount, forKey: .unterminatedEventCount)
    try container.encode(hasGyroscope, forKey: .hasGyroscope)
    try container.encode(stillSeconds, forKey: .stillSeconds)
    try container.encode(stillGravityMagnitudeG, forKey: .stillGravityMagnitudeG)
    try container.encode(stillGravityVectorG, forKey: .stillGravityVectorG)
  }

  /// Reads the whole recording once (streaming, constant memory).
  public static func inspect(path: String, deviceTable: DeviceTable) throws -> RecordingInspection {
    var source = try openRecordingSource(path: path, deviceTable: deviceTable)
    var statistics = FrameStatistics()
    while let frame = try source.nextFrame() {
      statistics.add(frame)
    }
    statistics.finish()
    let device = source.device
    func hex(_ value: UInt16) -> String {
      let digits = String(value, radix: 16)
      return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
    let entry = source.matchedEntry
    return RecordingInspection(
      path: path,
      format: source.formatName,
      deviceName: device.name,
      deviceIdentity: "\(hex(device.busType)):\(hex(device.vendor)):\(hex(device.product))",
      deviceVersion: hex(device.version),
      tableEntryId: entry?.id,
      tableEntryName: entry?.displayName,
      timestampModel: source.timestampModel.rawValue,
      frameCount: statistics.frameCount,
      durationSeconds: statistics.durationSeconds,
      effectiveRateHz: statistics.effectiveRateHz,
      meanIntervalMilliseconds: statistics.intervalCount > 0 ? statistics.meanInterval * 1000 : nil,
      intervalJitterMilliseconds: statistics.intervalCount > 1
        ? statistics.intervalStandardDeviation * 1000 : nil,
      minimumIntervalMilliseconds: statistics.intervalCount > 0
        ? statistics.minimumInterval * 1000 : nil,
      maximumIntervalMilliseconds: statistics.intervalCount > 0
        ? statistics.maximumInterval * 1000 : nil,
      gapCount: statistics.gapCount,
      heldPauseCount: statistics.heldPauseCount,
      synDroppedCount: source.droppedEventCount,
      unterminatedEventCount: source.unterminatedEventCount,
      hasGyroscope: source.hasGyroscope,
      stillSeconds: statistics.stillSeconds,
      stillGravityMagnitudeG: statistics.stillGravityMagnitude,
      stillGravityVectorG: statistics.stillGravityVector.map { [$0.x, $0.y, $0.z] })
  }
}

/// Streaming statistics over frames (Welford for the intervals; fixed windows for stillness).
struct FrameStatistics {
  /// A window counts as still when |a| varies by less than this (g, standard deviation)…
  static let stillAccelerationDeviationG = 0.02
  /// …and the gyro (if any) stays below this (deg/s).
  static let stillAngularSpeedDPS = 5.0
  static let windowSeconds = 0.5

  private(set) var frameCount = 0
  private(set) var gapCount = 0
  private(set) var heldPauseCount = 0
  private(set) var intervalCount = 0
  private(set) var meanInterval = 0.0
  private var intervalSquares = 0.0
  private(set) var minimumInterval = Double.infinity
  private(set) var maximumInterval = 0.0
  private var firstTime = 0.0
  private var lastTime = 0.0

  private var windowStart = 0.0
  private var windowCount = 0
  private var windowMagnitudeSum = 0.0
  private var windowMagnitudeSquares = 0.0
  private var windowVectorSum = Vector3.zero
  private var windowMaximumRate = 0.0
  private var windowHasGap = false
  private(set) var stillSeconds = 0.0
  private var stillFrames = 0
  private var stillMagnitudeSum = 0.0
  private var stillVectorSum = Vector3.zero

  var durationSeconds: Double { frameCount > 1 ? lastTime - firstTime : 0 }
  var effectiveRateHz: Double? {
    durationSeconds > 0 ? Double(frameCount - 1) / durationSeconds : nil
  }
  var intervalStandardDeviation: Double {
    intervalCount > 1 ? (intervalSquares / Double(intervalCount - 1)).squareRoot() : 0
  }
  var stillGravityMagnitude: Double? {
    stillFrames > 0 ? stillMagnitudeSum / Double(stillFrames) : nil
  }
  var stillGravityVector: Vector3? {
    stillFrames > 0 ? stillVectorSum / Double(stillFrames) : nil
  }

  mutating func add(_ frame: MotionFrame) {
    let time = frame.timeSeconds
    if frameCount == 0 {
      firstTime = time
      windowStart = time
    } else {
      let interval = time - lastTime
      intervalCount += 1
      let delta = interval - meanInterval
      meanInterval += delta / Double(intervalCount)
      intervalSquares += delta * (interval - meanInterval)
      minimumInterval = min(minimumInterval, interval)
      maximumInterval = max(maximumInterval, interval)
    }
    if frame.framesLostBefore {
      gapCount += 1
      windowHasGap = true
    } else if frame.valuesHeldBefore && frameCount > 0
      && time - lastTime > RecordingInspection.heldPauseSeconds
    {
      heldPauseCount += 1
    }
    frameCount += 1
    lastTime = time

    if time - windowStart >= Self.windowSeconds {
      closeWindow(endingAt: time)
    }
    let magnitude = frame.accelerationG.length
    windowCount += 1
    windowMagnitudeSum += magnitude
    windowMagnitudeSquares += magnitude * magnitude
    windowVectorSum += frame.accelerationG
    if let rate = frame.angularVelocityDPS {
      windowMaximumRate = max(windowMaximumRate, rate.length)
    }
  }

  mutating func finish() {
    if windowCount > 0 && lastTime - windowStart >= Self.windowSeconds * 0.8 {
      closeWindow(endingAt: lastTime)
    }
  }

  private mutating func closeWindow(endingAt time: Double) {
    if windowCount >= 3 && !windowHasGap {
      let count = Double(windowCount)
      let mean = windowMagnitudeSum / count
      let variance = max(0, windowMagnitudeSquares / count - mean * mean)
      if variance.squareRoot() < Self.stillAccelerationDeviationG
        && windowMaximumRate < Self.stillAngularSpeedDPS
      {
        stillSeconds += time - windowStart
        stillFrames += windowCount
        stillMagnitudeSum += windowMagnitudeSum
        stillVectorSum += windowVectorSum
      }
    }
    windowStart = time
    windowCount = 0
    windowMagnitudeSum = 0
    windowMagnitudeSquares = 0
    windowVectorSum = .zero
    windowMaximumRate = 0
    windowHasGap = false
  }
}
