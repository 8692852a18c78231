import Foundation
import MotionCore

/// Which device a profile belongs to: the identity evdev reports (vendor:product, node name,
/// uniq — the MAC address for Bluetooth pads, often empty for USB ones).
public struct DeviceIdentity: Codable, Hashable, Sendable {
  /// Vendor and product ids as four lowercase hex digits, e.g. `"054c"`, `"0ce6"`.
  public var vendor: String
  public var product: String
  public var name: String
  public var uniq: String

  public init(vendor: UInt16, product: UInt16, name: String, uniq: String) {
    self.vendor = Self.hex(vendor)
    self.product = Self.hex(product)
    self.name = name
    self.uniq = uniq
  }

  static func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}

/// How well one calibration step went, kept in the profile so a user can see what it rests on.
public struct StepRecord: Codable, Hashable, Sendable {
  public var step: CalibrationStep
  /// 0 (unusable) … 1 (clean).
  public var confidence: Double
  /// Device time of the step, seconds.
  public var startSeconds: Double
  public var endSeconds: Double
  /// Why the confidence is not 1, when it is not.
  public var note: String?

  public init(
    step: CalibrationStep, confidence: Double, startSeconds: Double, endSeconds: Double,
    note: String? = nil
  ) {
    self.step = step
    self.confidence = confidence
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
    self.note = note
  }
}

/// Sensor noise measured while standing still: the floor under which movement is not real.
public struct NoiseFloor: Codable, Hashable, Sendable {
  /// Standard deviation of the acceleration magnitude, g.
  public var accelerationG: Double
  /// Standard deviation of the angular velocity (per axis, RMS over axes), °/s; `nil` without a
  /// gyroscope.
  public var angularVelocityDPS: Double?

  public init(accelerationG: Double, angularVelocityDPS: Double?) {
    self.accelerationG = accelerationG
    self.angularVelocityDPS = angularVelocityDPS
  }
}

/// One reference repetition for the form comparison (DTW): the exercise's 1-D signal, resampled.
public struct ReferenceRep: Codable, Hashable, Sendable {
  public var exercise: Exercise
  /// Knee lifts.
  public var side: BodySide?
  /// Hip rolls.
  public var direction: RotationDirection?
  public var sampleRateHz: Double
  /// The angle that describes the movement, degrees: for knee lifts and hip rolls up's tilt away
  /// from where the repetition started, for twists the rotation about up (see
  /// `RepTraceRecorder`).
  public var angleDegrees: [Double]

  public init(
    exercise: Exercise, side: BodySide?, direction: RotationDirection? = nil,
    sampleRateHz: Double, angleDegrees: [Double]
  ) {
    self.exercise = exercise
    self.side = side
    self.direction = direction
    self.sampleRateHz = sampleRateHz
    self.angleDegrees = angleDegrees
  }
}

/// A calibration profile: what the core needs (`bodyProfile`), plus what the calibration
/// measured about the sensor and the user, and how confident each step was.
///
/// The JSON keeps `BodyProfile`'s fields at the top level, so a reader that decodes the file as
/// a plain `BodyProfile` still gets the knee-lift side and the gyroscope corrections.
public struct CalibrationProfile: Codable, Hashable, Sendable {
  public static let formatName = "repcount-calibration"
  /// Bumped when a field changes meaning; older readers refuse newer files.
  public static let currentVersion = 1

  public var format: String
  public var version: Int
  /// When the calibration was made (ISO 8601, from the caller's clock; algorithms never read
  /// the clock).
  public var calibratedAt: String
  public var device: DeviceIdentity

  // BodyProfile's fields, at the top level.
  public var rightInSensor: Vector3?
  public var standingUpInSensor: Vector3?
  public var lyingUpInSensor: Vector3?
  public var gyroBiasDPS: Vector3?
  public var gyroScale: Double?

  /// Forward as the lean (step 2) measured it, if that step was clean.
  public var forwardInSensor: Vector3?
  /// Standard error of `gyroBiasDPS` (per axis, RMS), °/s: a runtime estimate must beat it to
  /// replace the calibrated bias.
  public var gyroBiasStandardErrorDPS: Double?
  public var noiseFloor: NoiseFloor?
  /// Range of the knee lifts in steps 4 and 5 (up's angle away from the lying rest), degrees.
  public var kneeLiftRightDegrees: Double?
  public var kneeLiftLeftDegrees: Double?
  public var steps: [StepRecord]
  public var referenceReps: [ReferenceRep]

  public init(
    calibratedAt: String, device: DeviceIdentity, body: BodyProfile,
    forwardInSensor: Vector3? = nil, gyroBiasStandardErrorDPS: Double? = nil,
    noiseFloor: NoiseFloor? = nil, kneeLiftRightDegrees: Double? = nil,
    kneeLiftLeftDegrees: Double? = nil, steps: [StepRecord] = [],
    referenceReps: [ReferenceRep] = []
  ) {
    format = Self.formatName
    version = Self.currentVersion
    self.calibratedAt = calibratedAt
    self.device = device
    rightInSensor = body.rightInSensor
    standingUpInSensor = body.standingUpInSensor
    lyingUpInSensor = body.lyingUpInSensor
    gyroBiasDPS = body.gyroBiasDPS
    gyroScale = body.gyroScale
    self.forwardInSensor = forwardInSensor
    self.gyroBiasStandardErrorDPS = gyroBiasStandardErrorDPS
    self.noiseFloor = noiseFloor
    self.kneeLiftRightDegrees = kneeLiftRightDegrees
    self.kneeLiftLeftDegrees = kneeLiftLeftDegrees
    self.steps = steps
    self.referenceReps = referenceReps
  }

  /// What the detectors take (`makeRepDetector(for:settings:profile:)`).
  public var bodyProfile: BodyProfile {
    BodyProfile(
      rightInSensor: rightInSensor, standingUpInSensor: standingUpInSensor,
      lyingUpInSensor: lyingUpInSensor, gyroBiasDPS: gyroBiasDPS, gyroScale: gyroScale)
  }

  /// Pretty, key-sorted JSON (stable diffs when a user keeps profiles in git).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    var data = try encoder.encode(self)
    data.append(0x0A)
    return data
  }

  /// Checks values a decoder accepts but the counter cannot use; returns `(field, problem)`.
  func firstInvalidField() -> (String, String)? {
    let vectors: [(String, Vector3?)] = [
      ("rightInSensor", rightInSensor), ("standingUpInSensor", standingUpInSensor),
      ("lyingUpInSensor", lyingUpInSensor), ("forwardInSensor", forwardInSensor),
    ]
    for (field, vector) in vectors {
      guard let vector else { continue }
      guard vector.x.isFinite && vector.y.isFinite && vector.z.isFinite else {
        return (field, "must be finite numbers")
      }
      guard abs(vector.length - 1) < 0.05 else {
        return (field, "must be a unit vector (length is \(format3(vector.length)))")
      }
    }
    if let bias = gyroBiasDPS {
      guard bias.x.isFinite && bias.y.isFinite && bias.z.isFinite, bias.length < 50 else {
        return ("gyroBiasDPS", "must be finite and below 50 °/s")
      }
    }
    if let scale = gyroScale, !(scale >= 0.5 && scale <= 2) {
      return ("gyroScale", "\(scale) is outside 0.5…2")
    }
    if let right = rightInSensor, let up = standingUpInSensor, abs(right.dot(up)) > 0.2 {
      return ("rightInSensor", "is not perpendicular to standingUpInSensor")
    }
    for (index, step) in steps.enumerated() where !(step.confidence >= 0 && step.confidence <= 1) {
      return ("steps[\(index)].confidence", "\(step.confidence) is outside 0…1")
    }
    return nil
  }
}

func format3(_ value: Double) -> String {
  String(format: "%.3f", value)
}
