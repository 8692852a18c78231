import Foundation
import MotionCore

/// A profile file that cannot be used, naming the file and the field:
/// `FILE: field gyroScale: 7 is outside 0.5…2`.
public struct ProfileError: Error, CustomStringConvertible, Equatable, Sendable {
  public var path: String
  /// Dotted path of the offending field (`steps[2].confidence`), or `nil` for the file as a whole.
  public var field: String?
  public var message: String

  public init(path: String, field: String? = nil, message: String) {
    self.path = path
    self.field = field
    self.message = message
  }

  public var description: String {
    if let field { return "\(path): field \(field): \(message)" }
    return "\(path): \(message)"
  }
}

/// Reads a calibration profile. A missing, corrupt, foreign, newer or implausible file throws a
/// `ProfileError` naming the file and the field; nothing is silently ignored.
public func loadProfile(path: String) throws -> CalibrationProfile {
  let data: Data
  do {
    data = try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw ProfileError(path: path, message: "cannot read the profile (\(readReason(error)))")
  }
  return try decodeProfile(data, path: path)
}

/// Decodes a profile from bytes; `path` only names the source in errors.
public func decodeProfile(_ data: Data, path: String) throws -> CalibrationProfile {
  do {
    _ = try JSONSerialization.jsonObject(with: data)
  } catch {
    throw ProfileError(path: path, message: "not valid JSON (\(jsonReason(error, data: data)))")
  }
  // Check identity and version before anything else, so a newer file says so instead of
  // failing on a field this version does not know.
  let header: ProfileHeader
  do {
    header = try JSONDecoder().decode(ProfileHeader.self, from: data)
  } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
    throw ProfileError(path: path, message: "a profile is a JSON object { … }")
  } catch let error as DecodingError {
    let (field, message) = describe(error)
    throw ProfileError(path: path, field: field, message: message)
  }
  guard let format = header.format else {
    throw ProfileError(
      path: path, field: "format",
      message: "missing; expected \"\(CalibrationProfile.formatName)\" (is this a profile?)")
  }
  guard format == CalibrationProfile.formatName else {
    throw ProfileError(
      path: path, field: "format",
      message: "expected \"\(CalibrationProfile.formatName)\", found \"\(format)\"")
  }
  guard let version = header.version else {
    throw ProfileError(path: path, field: "version", message: "missing")
  }
  guard version >= 1 && version <= CalibrationProfile.currentVersion else {
    throw ProfileError(
      path: path, field: "version",
      message:
        "\(version) is not supported (this repcount reads version "
        + "\(CalibrationProfile.currentVersion)); recalibrate with `repcount calibrate`")
  }
  let profile: CalibrationProfile
  do {
    profile = try JSONDecoder().decode(CalibrationProfile.self, from: data)
  } catch let error as DecodingError {
    let (field, message) = describe(error)
    throw ProfileError(path: path, field: field, message: message)
  } catch {
    throw ProfileError(path: path, message: "\(error)")
  }
  if let (field, message) = profile.firstInvalidField() {
    throw ProfileError(path: path, field: field, message: message)
  }
  return profile
}

/// Writes a profile, creating the directory; the file is replaced atomically.
public func saveProfile(_ profile: CalibrationProfile, path: String) throws {
  let url = URL(fileURLWithPath: path)
  do {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try profile.jsonData().write(to: url, options: .atomic)
  } catch {
    throw ProfileError(path: path, message: "cannot write the profile (\(readReason(error)))")
  }
}

/// The fields checked before the rest of the file.
private struct ProfileHeader: Decodable {
  var format: String?
  var version: Int?
}

private func fieldPath(_ codingPath: [any CodingKey]) -> String {
  var text = ""
  for key in codingPath {
    if let index = key.intValue {
      text += "[\(index)]"
    } else {
      text += text.isEmpty ? key.stringValue : "." + key.stringValue
    }
  }
  return text
}

private func describe(_ error: DecodingError) -> (String?, String) {
  switch error {
  case .keyNotFound(let key, let context):
    let parent = fieldPath(context.codingPath)
    return (parent.isEmpty ? key.stringValue : parent + "." + key.stringValue, "missing")
  case .typeMismatch(let type, let context):
    return (fieldPath(context.codingPath), "expected \(typeName(type))")
  case .valueNotFound(let type, let context):
    return (fieldPath(context.codingPath), "is null; expected \(typeName(type))")
  case .dataCorrupted(let context):
    let path = fieldPath(context.codingPath)
    return (path.isEmpty ? nil : path, context.debugDescription)
  @unknown default:
    return (nil, "\(error)")
  }
}

private func typeName(_ type: Any.Type) -> String {
  switch type {
  case is Double.Type, is Int.Type: return "a number"
  case is String.Type: return "a string"
  case is Vector3.Type: return "a vector [x, y, z]"
  default:
    let name = String(describing: type)
    if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
    if name.hasPrefix("Dictionary") { return "an object" }
    return name
  }
}

private func readReason(_ error: any Error) -> String {
  let nsError = error as NSError
  if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
    underlying.domain == NSPOSIXErrorDomain,
    let code = POSIXErrorCode(rawValue: Int32(underlying.code))
  {
    return String(cString: strerror(code.rawValue))
  }
  return nsError.localizedDescription
}

private func jsonReason(_ error: any Error, data: Data) -> String {
  let nsError = error as NSError
  if let text = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return text }
  return nsError.localizedDescription
}
