import Foundation

/// Opens a recording as a frame source, choosing the reader by content: evemu (first line a
/// `#` comment or `N:`) or CSV (anything else; the CSV reader checks its header).
public func openRecording(path: String, deviceTable: DeviceTable) throws -> any MotionFrameSource {
  try openRecordingSource(path: path, deviceTable: deviceTable)
}

/// Like `openRecording`, with the file-specific facts `inspect` reports.
public func openRecordingSource(path: String, deviceTable: DeviceTable) throws
  -> any RecordingSource
{
  switch try RecordingKind.detect(path: path) {
  case .evemu: return try EvemuFrameSource(path: path, deviceTable: deviceTable)
  case .csv: return try CSVFrameSource(path: path)
  }
}

enum RecordingKind {
  case evemu
  case csv

  static func detect(path: String) throws -> RecordingKind {
    let lines = try LineReader(path: path)
    while let line = try lines.nextLine() {
      guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
      // Both formats are text: control bytes or invalid UTF-8 mean another kind of file (a
      // binary capture, a compressed recording), which no reader should try to parse.
      if let offset = line.firstIndex(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0D })
        ?? (String(validating: line, as: UTF8.self) == nil ? 0 : nil)
      {
        throw InputFileError(
          path: path, line: lines.lineNumber,
          message: "not a text recording (binary data at byte \(offset + 1) of the line);"
            + " repcount reads evemu-record files and CSV (t,ax,ay,az[,gx,gy,gz])")
      }
      if first == UInt8(ascii: "#") { return .evemu }
      if line.count >= 2 && line[0] == UInt8(ascii: "N") && line[1] == UInt8(ascii: ":") {
        return .evemu
      }
      return .csv
    }
    throw InputFileError(path: path, message: "empty file")
  }
}
