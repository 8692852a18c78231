import ArgumentParser
import Foundation
import MotionCore
import MotionInput

struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Record a live motion sensor to an evemu file.",
    discussion: """
      Writes the raw events exactly as the device gave them, in the format evemu-record writes, \
      so `--input FILE.evemu` later gives the same frames and evemu-play/evemu-describe can use \
      the file. Stops on Ctrl-C, after --seconds or --frames, always closing the file properly. \
      If the device is unplugged the recording keeps what it has (or, with --wait, waits for \
      the controller to come back and carries on).
      """)

  @Option(help: "Motion node to record (/dev/input/eventN), or `auto` for the first one found.")
  var device = "auto"

  @Option(help: "Evemu file to write.")
  var out: String

  @Option(help: "Stop after this many seconds (default: until Ctrl-C).")
  var seconds: Double?

  @Option(help: "Stop after this many frames (default: no limit).")
  var frames: Int?

  @Flag(help: "Wait for the device to appear, and to come back when it is unplugged.")
  var wait = false

  @Option(help: .hidden)
  var dumpFrames: String?

  func validate() throws {
    if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive") }
    if let frames, frames <= 0 { throw ValidationError("--frames must be positive") }
  }

  func run() throws {
    let table = try loadDeviceTable()
    // Refuse an unwritable destination now, not after waiting for the device.
    let directory = URL(fileURLWithPath: out).deletingLastPathComponent().path
    guard access(directory, W_OK) == 0 else {
      throw ValidationError("cannot write \(out): \(directory) is not a writable directory")
    }
    let interrupt = try InterruptSignal.install()
    let reader = try LiveMotionSource.openReader(
      devicePath: device == "auto" ? nil : device, waitForDevice: wait,
      interruptDescriptor: interrupt, notice: { printError($0) })
    var assembler = try FrameAssembler(
      device: reader.device, entry: table.entry(for: reader.device))
    var writer = try EvemuWriter(path: out, device: reader.device)
    let dump = try dumpFrames.map { try FrameDump(path: $0) }
    printError("recording \(reader.devicePath) (\(reader.device.name)) to \(out)…")

    let started = ContinuousClock.now
    let limit = seconds.map { started + .milliseconds(Int64(($0 * 1000).rounded())) }
    var frameCount = 0
    var eventCount = 0
    var ending: LiveDeviceError?
    loop: while true {
      if let frames, frameCount >= frames { break }
      var timeout: Int32 = -1
      if let limit {
        let left = ContinuousClock.now.duration(to: limit)
        if left <= .zero { break }
        timeout = Int32(
          clamping: left.components.seconds * 1000 + left.components.attoseconds
            / 1_000_000_000_000_000 + 1)
      }
      let outcome: LiveEventReader.Outcome
      do {
        outcome = try reader.next(timeoutMilliseconds: timeout)
      } catch {
        ending = error
        break
      }
      switch outcome {
      case .event(let event):
        try writer.write(event)
        eventCount += 1
        if let frame = assembler.consume(event) {
          frameCount += 1
          try dump?.write(frame)
        }
      case .timedOut:
        continue
      case .interrupted:
        break loop
      }
    }
    try writer.close()
    try dump?.close()
    let elapsed = started.duration(to: .now)
    let summary =
      "\(out): \(frameCount) frames (\(eventCount) events, "
      + String(
        format: "%.1f",
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
      + " s) recorded."
    if let ending {
      throw RecordingEnded(message: "\(ending) Recording stopped; \(summary)")
    }
    printError(summary)
  }
}

/// The recording ended early; what was recorded is saved.
struct RecordingEnded: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Hidden `--dump-frames`: the frames as the live path assembled them, one JSON object per line
/// (full precision), so tests can compare them with what `--input FILE.evemu` gives.
struct FrameDump {
  private let handle: FileHandle

  init(path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw ValidationError("cannot create \(path)")
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw ValidationError("cannot open \(path)")
    }
    self.handle = handle
  }

  func write(_ frame: MotionFrame) throws {
    try handle.write(contentsOf: Data((Self.line(frame) + "\n").utf8))
  }

  func close() throws {
    try handle.close()
  }

  static func line(_ frame: MotionFrame) -> String {
    let acceleration = frame.accelerationG
    var text =
      "{\"t\":\(frame.timeSeconds),\"a\":[\(acceleration.x),\(acceleration.y),\(acceleration.z)]"
    if let rate = frame.angularVelocityDPS {
      text += ",\"g\":[\(rate.x),\(rate.y),\(rate.z)]"
    }
    return text + ",\"lost\":\(frame.framesLostBefore)}"
  }
}
