import Foundation
import MotionInput

/// The per-user profile directory and lookup by device.
///
/// Files live in `$XDG_CONFIG_HOME/repcount/profiles/` (default `~/.config/repcount/profiles/`),
/// one per device, named `VVVV-PPPP-<uniq or name>.json`. Lookup prefers a profile for this very
/// device (same vendor:product and uniq), then one for the same model (vendor:product and node
/// name) when the device has no uniq to tell units apart.
public struct ProfileStore: Sendable {
  public var directory: String

  public init(directory: String) {
    self.directory = directory
  }

  /// The default store for an environment (pass `ProcessInfo.processInfo.environment`).
  public static func defaultStore(environment: [String: String]) -> ProfileStore {
    if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
      return ProfileStore(directory: config + "/repcount/profiles")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return ProfileStore(directory: home + "/.config/repcount/profiles")
  }

  /// Where `calibrate` writes the profile of `identity`.
  public func path(for identity: DeviceIdentity) -> String {
    let distinguishing = identity.uniq.isEmpty ? identity.name : identity.uniq
    return directory
      + "/\(identity.vendor)-\(identity.product)-\(Self.fileSafe(distinguishing)).json"
  }

  /// A profile found for a device, with how it matched.
  public struct Match: Sendable {
    public enum Kind: String, Sendable {
      /// Same vendor:product and uniq: this very unit.
      case sameDevice = "same device"
      /// Same vendor:product and node name; the unit could not be told apart.
      case sameModel = "same model"
    }
    public var profile: CalibrationProfile
    public var path: String
    public var kind: Kind
  }

  /// The profile for `device`, or `nil` when there is none. A profile file that cannot be read
  /// throws (a broken profile is never skipped silently).
  public func lookup(for device: InputDeviceDescription) throws -> Match? {
    let identity = DeviceIdentity(
      vendor: device.vendor, product: device.product, name: device.name, uniq: device.uniq)
    let exactPath = path(for: identity)
    if FileManager.default.fileExists(atPath: exactPath) {
      let profile = try loadProfile(path: exactPath)
      if profile.device.vendor == identity.vendor && profile.device.product == identity.product {
        return Match(
          profile: profile, path: exactPath, kind: identity.uniq.isEmpty ? .sameModel : .sameDevice)
      }
    }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return nil
    }
    var modelMatch: Match?
    for name in names.sorted() where name.hasSuffix(".json") {
      let candidatePath = directory + "/" + name
      guard candidatePath != exactPath else { continue }
      let profile = try loadProfile(path: candidatePath)
      let stored = profile.device
      guard stored.vendor == identity.vendor && stored.product == identity.product else { continue }
      if !identity.uniq.isEmpty && stored.uniq == identity.uniq {
        return Match(profile: profile, path: candidatePath, kind: .sameDevice)
      }
      if stored.name == identity.name && (stored.uniq.isEmpty || identity.uniq.isEmpty),
        modelMatch == nil
      {
        modelMatch = Match(profile: profile, path: candidatePath, kind: .sameModel)
      }
    }
    return modelMatch
  }

  static func fileSafe(_ text: String) -> String {
    var result = ""
    for scalar in text.lowercased().unicodeScalars {
      if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII {
        result.unicodeScalars.append(scalar)
      } else if !result.hasSuffix("-") {
        result += "-"
      }
    }
    while result.hasSuffix("-") { result.removeLast() }
    return result.isEmpty ? "device" : result
  }
}
