import Foundation
import MotionCore
import Testing

@testable import MotionInput

/// Every malformed input gives one `InputFileError` naming the file and line, never a crash.
@Suite struct RecordingErrorTests {
  static let header = """
    # EVEMU 1.3
    N: DualSense Wireless Controller Motion Sensors
    I: 0005 054c 0ce6 8100
    P: 40 00 00 00 00 00 00 00
    B: 00 0b 00 00 00 00 00 00 00
    B: 03 3f 00 00 00 00 00 00 00
    B: 04 20 00 00 00 00 00 00 00
    A: 00 -32768 32768 16 0 8192
    A: 01 -32768 32768 16 0 8192
    A: 02 -32768 32768 16 0 8192
    A: 03 -2097152 2097152 16 0 1024
    A: 04 -2097152 2097152 16 0 1024
    A: 05 -2097152 2097152 16 0 1024

    """  // 13 lines
  static let goodFrame =
    "E: 1.000000 0003 0001 8192\nE: 1.000000 0004 0005 100\nE: 1.000000 0000 0000 0\n"

  /// Reads every frame of `text` saved as a file; returns the error.
  func error(for text: String, name: String = "bad.evemu") throws -> InputFileError {
    let directory = try RecordingScratchDirectory()
    let path = try directory.file(name, text)
    do {
      var source = try openRecording(path: path, deviceTable: .builtIn)
      while try source.nextFrame() != nil {}
    } catch let error as InputFileError {
      #expect(error.path == path)
      return InputFileError(path: name, line: error.line, message: error.message)
    }
    Issue.record("no error for \(name)")
    return InputFileError(path: name, message: "(none)")
  }

  @Test func emptyFile() throws {
    #expect(try error(for: "").description == "bad.evemu: empty file")
    #expect(try error(for: "\n  \n").description == "bad.evemu: empty file")
  }

  /// A binary file (a compressed recording, random bytes) is named as such, not parsed as CSV
  /// with its bytes echoed back as a "header".
  @Test func binaryFileIsNotText() throws {
    let gzipMagic = String(decoding: [0x1F, 0x8B, 0x08, 0x00, 0x41, 0x0A], as: UTF8.self)
    for (text, name) in [("\n\n" + gzipMagic, "x.evemu.gz"), ("t,ax\u{0}ay,az\n", "nul.csv")] {
      let error = try error(for: text, name: name)
      #expect(error.message.hasPrefix("not a text recording"), "\(name): \(error)")
      #expect(error.line == (name == "nul.csv" ? 1 : 3), "\(name): \(error)")
    }
  }

  @Test func badEventLines() throws {
    let cases: [(String, String)] = [
      ("E: 1.000000 0003 0001\n", "missing event value"),
      ("E: 1.000000 0003 zz01 5\n", "bad event code"),
      ("E: 1.0000001 0003 0001 5\n", "more than 6 microsecond digits"),
      ("E: one 0003 0001 5\n", "bad event time"),
      ("E: 1.000000 0003 0001 99999999999\n", "32-bit"),
      ("E: 1.000000 0003 0001 5 extra\n", "unexpected text after the event value"),
      ("X: what\n", "expected an event line"),
    ]
    for (line, message) in cases {
      let error = try error(for: Self.header + Self.goodFrame + line)
      #expect(error.line == 17, "\(line)")
      #expect(error.message.contains(message), "\(error)")
      #expect(error.description.hasPrefix("bad.evemu:17: "))
    }
  }

  @Test func unknownTypeAndCode() throws {
    let type = try error(for: Self.header + "E: 1.000000 001f 0000 1\n")
    #expect(type.description == "bad.evemu:14: unknown event type 0x1f")
    let code = try error(for: Self.header + "E: 1.000000 0003 0040 1\n")
    #expect(code.description == "bad.evemu:14: unknown event code 0x40 for EV_ABS")
    let undescribed = try error(for: Self.header + "E: 1.000000 0003 0010 1\n")
    #expect(undescribed.line == 14)
    #expect(undescribed.message.contains("header does not describe"))
  }

  @Test func truncatedFile() throws {
    let cut = try error(for: Self.header + Self.goodFrame + "E: 1.004000 0003 00")
    #expect(cut.line == 17)
    #expect(cut.message.contains("truncated"))
    // Cut right after a value: the line parses but has no newline, so it is still truncated.
    let cutAfterValue = try error(for: Self.header + Self.goodFrame + "E: 1.004000 0003 0001 81")
    #expect(cutAfterValue.message.contains("truncated"))
    let cutHeader = try error(for: "# EVEMU 1.3\nN: Foo\nI: 0005 05")
    #expect(cutHeader.line == 3)
  }

  @Test func missingAxes() throws {
    let noZ = Self.header.replacingOccurrences(of: "A: 02 -32768 32768 16 0 8192\n", with: "")
    let error = try error(for: noZ + Self.goodFrame)
    #expect(error.line == 2)
    #expect(error.message.contains("no usable accelerometer") && error.message.contains("ABS_Z"))
  }

  @Test func nonMonotonicTime() throws {
    let text =
      Self.header + Self.goodFrame
      + "E: 0.900000 0003 0001 8190\nE: 0.900000 0004 0005 4100\nE: 0.900000 0000 0000 0\n"
    let error = try error(for: text)
    #expect(error.line == 19)
    #expect(error.message.contains("time goes backwards"))
  }

  @Test func headerProblems() throws {
    #expect(try error(for: "hello world\n").message.contains("unrecognised CSV header"))
    let noName = try error(for: "# EVEMU 1.3\nI: 0005 054c 0ce6 8100\n")
    #expect(noName.line == 2 && noName.message.contains("N:"))
    let badIdentity = try error(for: "# EVEMU 1.3\nN: x\nI: 0005 054c\n")
    #expect(badIdentity.line == 3 && badIdentity.message.contains("I:"))
    let badAbs = try error(for: "# EVEMU 1.3\nN: x\nI: 0005 054c 0ce6 8100\nA: 00 a b c d e\n")
    #expect(badAbs.line == 4)
    let noEvents = try error(for: Self.header)
    #expect(noEvents.message.contains("no complete frame"))
    let noReport = try error(for: Self.header + "E: 1.000000 0003 0001 8192\n")
    #expect(noReport.message.contains("no complete frame"))
  }

  @Test func unwritableAndUnreadablePaths() throws {
    let missing = "/nonexistent-repcount-dir/out.evemu"
    #expect(throws: InputFileError.self) {
      try EvemuWriter(path: missing, device: MotionNodeSamples.dualSense())
    }
    do {
      _ = try openRecording(path: "/nonexistent-repcount-dir/in.evemu", deviceTable: .builtIn)
      Issue.record("expected an error")
    } catch let error as InputFileError {
      #expect(error.description.hasPrefix("/nonexistent-repcount-dir/in.evemu: cannot open"))
    }
    let directory = try RecordingScratchDirectory()
    #expect(throws: InputFileError.self) {
      try openRecording(path: directory.path, deviceTable: .builtIn)
    }
  }

  @Test func binaryGarbageDoesNotCrash() throws {
    var generator = RecordingTestRandom(seed: 11)
    for round in 0..<20 {
      var bytes = [UInt8]((Self.header + Self.goodFrame + Self.goodFrame).utf8)
      for _ in 0..<(1 + round) {
        let position = Int(generator.next() % UInt64(bytes.count))
        bytes[position] = UInt8(truncatingIfNeeded: generator.next())
      }
      let directory = try RecordingScratchDirectory()
      let path = directory.path + "/garbage.evemu"
      #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
      do {
        var source = try openRecording(path: path, deviceTable: .builtIn)
        while try source.nextFrame() != nil {}
      } catch is InputFileError {
        // Expected for most mutations; the point is no crash and a file-naming error.
      }
    }
  }
}
