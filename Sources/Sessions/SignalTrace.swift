import Foundation
import MotionCore

/// One decimated sample of a session's movement, for the report's signal chart.
public struct SignalSample: Hashable, Sendable {
  /// Device time in seconds.
  public var timeSeconds: Double
  /// Tilt away from the starting posture, split along two fixed horizontal axes, in degrees.
  public var tiltXDegrees: Double
  public var tiltYDegrees: Double
  /// Angular speed (gyroscope magnitude) in degrees per second; 0 without a gyroscope.
  public var angularSpeedDPS: Double

  public init(
    timeSeconds: Double, tiltXDegrees: Double, tiltYDegrees: Double, angularSpeedDPS: Double
  ) {
    self.timeSeconds = timeSeconds
    self.tiltXDegrees = tiltXDegrees
    self.tiltYDegrees = tiltYDegrees
    self.angularSpeedDPS = angularSpeedDPS
  }
}

/// Turns frames into a small trace (a few samples per second) that the history keeps for the
/// report. Averages within each interval so the trace is smooth whatever the device's rate.
public struct SignalTraceRecorder {
  /// Seconds between samples of the trace.
  public let intervalSeconds: Double
  /// Seconds of frames that define the starting posture.
  public let referenceSeconds: Double

  private var referenceSum = Vector3.zero
  private var referenceCount = 0
  private var referenceStart: Double?
  private var basis: (up: Vector3, x: Vector3, y: Vector3)?
  private var bucketStart: Double?
  private var bucketAcceleration = Vector3.zero
  private var bucketSpeed = 0.0
  private var bucketCount = 0

  public init(intervalSeconds: Double = 0.1, referenceSeconds: Double = 1.0) {
    self.intervalSeconds = intervalSeconds
    self.referenceSeconds = referenceSeconds
  }

  /// Consumes one frame; returns a sample when an interval is complete.
  public mutating func process(_ frame: MotionFrame) -> SignalSample? {
    let time = frame.timeSeconds
    if basis == nil {
      if referenceStart == nil { referenceStart = time }
      referenceSum += frame.accelerationG
      referenceCount += 1
      if let start = referenceStart, time - start >= referenceSeconds {
        basis = Self.basis(up: referenceSum / Double(referenceCount))
      }
    }
    if bucketStart == nil { bucketStart = time }
    bucketAcceleration += frame.accelerationG
    bucketSpeed += frame.angularVelocityDPS?.length ?? 0
    bucketCount += 1
    guard let start = bucketStart, time - start >= intervalSeconds else { return nil }
    defer {
      bucketStart = nil
      bucketAcceleration = .zero
      bucketSpeed = 0
      bucketCount = 0
    }
    guard let basis else { return nil }
    let mean = bucketAcceleration / Double(bucketCount)
    let radiansToDegrees = 180 / Double.pi
    return SignalSample(
      timeSeconds: (start + time) / 2,
      tiltXDegrees: atan2(mean.dot(basis.x), mean.dot(basis.up)) * radiansToDegrees,
      tiltYDegrees: atan2(mean.dot(basis.y), mean.dot(basis.up)) * radiansToDegrees,
      angularSpeedDPS: bucketSpeed / Double(bucketCount))
  }

  private static func basis(up raw: Vector3) -> (up: Vector3, x: Vector3, y: Vector3)? {
    guard let up = raw.normalized else { return nil }
    // Any axis not parallel to up gives a horizontal direction.
    let helper = abs(up.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0)
    guard let x = up.cross(helper).normalized else { return nil }
    return (up, x, up.cross(x))
  }
}
