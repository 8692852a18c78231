/// One project axis taken from one signed source axis: `"-ABS_RY"` → code `ABS_RY`, sign −1.
public struct SignedAxis: Hashable, Sendable {
  public var code: UInt16
  public var sign: Double

  public init(code: UInt16, sign: Double) {
    self.code = code
    self.sign = sign
  }

  /// Parses `"+ABS_X"`, `"-ABS_RZ"` (the sign is required so a missing one is not a silent +).
  public init?(parsing text: String) {
    guard let first = text.first, first == "+" || first == "-" else { return nil }
    guard let code = AbsoluteAxisName.code(named: String(text.dropFirst())) else { return nil }
    self.code = code
    self.sign = first == "-" ? -1 : 1
  }

  public var text: String {
    (sign < 0 ? "-" : "+") + AbsoluteAxisName.name(of: code)
  }
}

/// The names of the absolute axes a motion node can carry.
public enum AbsoluteAxisName {
  static let names: [String] = ["ABS_X", "ABS_Y", "ABS_Z", "ABS_RX", "ABS_RY", "ABS_RZ"]

  public static func code(named name: String) -> UInt16? {
    names.firstIndex(of: name).map { UInt16($0) }
  }

  public static func name(of code: UInt16) -> String {
    Int(code) < names.count ? names[Int(code)] : "ABS_0x" + String(code, radix: 16)
  }
}

/// A signed permutation that maps three source axes into the project frame.
public struct AxisMapping: Hashable, Sendable {
  public var axes: [SignedAxis]

  /// Parses three signed axis names; `nil` plus a reason when they are not a signed permutation.
  public static func parse(_ texts: [String]) -> Result<AxisMapping, AxisMappingProblem> {
    guard texts.count == 3 else { return .failure(.wrongCount(texts.count)) }
    var axes: [SignedAxis] = []
    for (index, text) in texts.enumerated() {
      guard let axis = SignedAxis(parsing: text) else {
        return .failure(.badAxis(index: index, text: text))
      }
      axes.append(axis)
    }
    if Set(axes.map(\.code)).count != 3 { return .failure(.repeatedAxis) }
    return .success(AxisMapping(axes: axes))
  }

  /// The rotation matrix row by row, with source axes ordered by code (so X/Y/Z and RX/RY/RZ
  /// give comparable matrices).
  public var matrix: [[Double]] {
    let sortedCodes = axes.map(\.code).sorted()
    return axes.map { axis in
      sortedCodes.map { $0 == axis.code ? axis.sign : 0 }
    }
  }

  /// +1 for a proper rotation (right-handed frame kept right-handed), −1 for a reflection.
  public var determinant: Double {
    let m = matrix
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
      - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
      + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
  }
}

public enum AxisMappingProblem: Error, CustomStringConvertible, Equatable {
  case wrongCount(Int)
  case badAxis(index: Int, text: String)
  case repeatedAxis

  public var description: String {
    switch self {
    case .wrongCount(let count): "needs exactly 3 signed axes, got \(count)"
    case .badAxis(let index, let text):
      "axis \(index) \"\(text)\" is not a signed axis such as \"+ABS_X\" or \"-ABS_RZ\""
    case .repeatedAxis: "uses the same source axis twice"
    }
  }
}
