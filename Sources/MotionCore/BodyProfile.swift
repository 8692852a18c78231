/// What a calibration knows about how the device sits on this user's body.
///
/// Counting and hip-roll direction need none of it. Knee-lift side needs `rightInSensor`; the
/// gyroscope fields, when present, seed the bias tracker and correct a known scale error. Stored
/// as JSON (vectors as `[x, y, z]` in the sensor frame the device table produces), e.g.
/// `{"rightInSensor": [0, -1, 0], "gyroBiasDPS": [0.3, -0.1, 0.05], "gyroScale": 1.0}`.
///
/// Side convention (as the body does it and the simulator models it): lifting the right knee
/// while lying on the back rolls the pelvis toward the right, so "up" seen by a waist sensor moves
/// toward the body's left.
public struct BodyProfile: Codable, Hashable, Sendable {
  /// The user's right, as a unit vector in the sensor frame (from calibration).
  public var rightInSensor: Vector3?
  /// "Up" in the sensor frame when standing upright, if the calibration measured it.
  public var standingUpInSensor: Vector3?
  /// "Up" in the sensor frame when lying on the back, if the calibration measured it.
  public var lyingUpInSensor: Vector3?
  /// The gyroscope's zero-rate offset at calibration time, °/s.
  public var gyroBiasDPS: Vector3?
  /// Multiplier that corrects the gyroscope's scale (1 = no correction).
  public var gyroScale: Double?

  public init(
    rightInSensor: Vector3? = nil, standingUpInSensor: Vector3? = nil,
    lyingUpInSensor: Vector3? = nil, gyroBiasDPS: Vector3? = nil, gyroScale: Double? = nil
  ) {
    self.rightInSensor = rightInSensor
    self.standingUpInSensor = standingUpInSensor
    self.lyingUpInSensor = lyingUpInSensor
    self.gyroBiasDPS = gyroBiasDPS
    self.gyroScale = gyroScale
  }
}
