import Foundation
import MotionCore

/// What a simulated recording shows: `repcount simulate --exercise`.
public enum SimulatedExercise: String, CaseIterable, Codable, Sendable {
  case kneeLift = "knee-lift"
  case twist
  case hipRoll = "hip-roll"
  /// All three with posture changes and walking in between.
  case session
}

/// How demanding a recording is for the counter (amplitudes, tempo spread, disturbances, gaps).
public enum SimulationDifficulty: String, CaseIterable, Codable, Sendable {
  case easy
  case normal
  case hard
}

/// How fast the simulated person moves. `usual`: hip circles of 1.7–4.2 s, twists of 1.7–3.7 s
/// a cycle, knee lifts of 2.3–4.2 s; `gentle`, as told to go gently after back pain: circles
/// 2.2 times as long (3.7–9.2 s), twists and knee lifts 1.6 times (2.7–5.9 s; 3.6–6.7 s).
public enum SimulationTempo: String, CaseIterable, Codable, Sendable {
  case usual
  case gentle

  /// How many times longer each repetition takes than at the usual tempo.
  func periodFactor(_ exercise: Exercise) -> Double {
    switch (self, exercise) {
    case (.usual, _): return 1
    case (.gentle, .hipRoll): return 2.2
    case (.gentle, _): return 1.6
    }
  }
}

/// The labels of one simulated recording, written beside it as `NAME.truth.json`.
///
/// Times: every `…Seconds` field is true elapsed time in seconds since the sampling instant of
/// the recording's first frame. A reader compares them with `frame.timeSeconds −
/// firstFrame.timeSeconds` (device clock of the frames); devices with synthetic clocks (Steam
/// Deck, Nintendo) stay within a few milliseconds of true time unless reports were lost.
public struct SimulationTruth: Codable, Hashable, Sendable {
  public var format: String
  public var version: Int
  public var seed: UInt64
  public var exercise: SimulatedExercise
  public var difficulty: SimulationDifficulty
  /// Absent for the usual tempo (files from before it existed read the same).
  public var tempo: SimulationTempo?
  public var placement: SensorPlacement
  /// For side, thigh and hand placements: which side of the body.
  public var placementSide: BodySide?
  public var device: TruthDevice
  /// Sensor frame relative to the body segment at the start (segment ← sensor).
  public var mountingRotation: TruthRotation
  public var timeReference: String
  public var durationSeconds: Double
  public var sets: [TruthSet]
  public var reps: [TruthRep]
  public var segments: [TruthSegment]
  public var dropouts: [TruthDropout]
  public var deviceErrors: TruthDeviceErrors
  /// What an ideal calibration would measure before the recording (fidgets later change the
  /// mount, as in life).
  public var idealCalibration: TruthCalibration

  public static let formatName = "repcount-simulation-truth"
  public static let currentVersion = 1
  public static let timeReferenceText =
    "seconds of true time since the first frame's sampling instant; compare with "
    + "frame.timeSeconds - firstFrame.timeSeconds"

  /// The truth file that belongs beside a recording: `x.evemu` → `x.truth.json`.
  public static func truthPath(forRecording path: String) -> String {
    if path.hasSuffix(".evemu") { return String(path.dropLast(6)) + ".truth.json" }
    return path + ".truth.json"
  }

  /// Deterministic JSON (sorted keys, so the same seed gives the same bytes).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(0x0A)
    return data
  }

  public static func load(path: String) throws -> SimulationTruth {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw TruthFileError(path: path, message: "cannot read: \(error.localizedDescription)")
    }
    do {
      let truth = try JSONDecoder().decode(SimulationTruth.self, from: data)
      guard truth.format == formatName else {
        throw TruthFileError(path: path, message: "not a \(formatName) file")
      }
      return truth
    } catch let error as TruthFileError {
      throw error
    } catch let error as DecodingError {
      throw TruthFileError(path: path, message: "invalid truth file: \(describe(error))")
    } catch {
      throw TruthFileError(path: path, message: "invalid truth file: \(error)")
    }
  }
}

private func describe(_ error: DecodingError) -> String {
  func field(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  }
  switch error {
  case .keyNotFound(let key, let context):
    return "missing field \(field(context.codingPath)).\(key.stringValue)"
  case .typeMismatch(_, let context), .valueNotFound(_, let context):
    return "field \(field(context.codingPath)): \(context.debugDescription)"
  case .dataCorrupted(let context):
    return context.codingPath.isEmpty
      ? "not valid JSON" : "field \(field(context.codingPath)): \(context.debugDescription)"
  @unknown default:
    return "\(error)"
  }
}

public struct TruthFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}

public struct TruthDevice: Codable, Hashable, Sendable {
  /// Device-table id.
  public var id: String
  public var variant: String
  public var nodeName: String
  public var reportIntervalSeconds: Double
  public var samplesPerReport: Int
  public var hasGyroscope: Bool
  public var hasHardwareTimestamp: Bool
}

public struct TruthRotation: Codable, Hashable, Sendable {
  /// w, x, y, z.
  public var quaternion: [Double]
  /// Row-major 3×3.
  public var matrix: [[Double]]
}

public struct TruthSet: Codable, Hashable, Sendable {
  public var index: Int
  public var exercise: Exercise
  public var direction: RotationDirection?
  public var side: BodySide?
  /// From the first rep's start to the last rep's end (partial reps included).
  public var startSeconds: Double
  public var endSeconds: Double
  public var countedReps: Int
  public var partialReps: Int
}

public struct TruthRep: Codable, Hashable, Sendable {
  /// Index into `sets`.
  public var set: Int
  /// 1-based number among the set's counted reps; `nil` for a partial rep.
  public var number: Int?
  public var exercise: Exercise
  public var startSeconds: Double
  public var endSeconds: Double
  public var direction: RotationDirection?
  public var side: BodySide?
  public var partial: Bool
  /// Tilt (hip roll), yaw (twist) or hip flexion (knee lift) amplitude in degrees.
  public var amplitudeDegrees: Double
}

/// A stretch without exercise: the counter must count nothing here.
public struct TruthSegment: Codable, Hashable, Sendable {
  public enum Kind: String, Codable, Hashable, Sendable {
    case still
    case fidget
    case walking
    case postureChange = "posture-change"
  }

  public var kind: Kind
  public var startSeconds: Double
  public var endSeconds: Double
  /// `standing`, `lying`, `lying-down`, `standing-up`.
  public var posture: String
}

public struct TruthDropout: Codable, Hashable, Sendable {
  public enum Kind: String, Codable, Hashable, Sendable {
    /// Reports never arrived (Bluetooth gap): frames missing, timestamps jump (or, for synthetic
    /// clocks, do not).
    case reportGap = "report-gap"
    /// The reader fell behind: frames lost and a SYN_DROPPED marker in the stream.
    case synDropped = "syn-dropped"
  }

  public var kind: Kind
  public var startSeconds: Double
  public var endSeconds: Double
  public var lostFrames: Int
}

/// Body axes in the sensor frame (project frame, unit vectors as [x, y, z]), as a perfect
/// calibration would have measured them with the initial mounting.
public struct TruthCalibration: Codable, Hashable, Sendable {
  /// The user's right.
  public var rightInSensor: [Double]
  /// Up while standing upright.
  public var standingUpInSensor: [Double]
  /// Up while lying on the back (knees at their resting bend).
  public var lyingUpInSensor: [Double]
}

/// The device errors drawn for this recording (in the project frame, before any table
/// correction).
public struct TruthDeviceErrors: Codable, Hashable, Sendable {
  public var accelerometerBiasG: [Double]
  public var accelerometerScale: [Double]
  public var accelerometerNoiseG: Double
  public var gyroscopeBiasDPS: [Double]?
  public var gyroscopeScale: [Double]?
  public var gyroscopeNoiseDPS: Double?
  /// RMS of the slow bias drift over the recording.
  public var gyroscopeDriftDPS: Double?
}
