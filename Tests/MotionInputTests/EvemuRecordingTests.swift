import Foundation
import MotionCore
import Testing

@testable import MotionInput

@Suite struct EvemuRecordingTests {
  /// A DualSense-like recording: still for 1 s, then rotating; SYN_DROPPED in the middle.
  static func sampleEvents() -> [InputEvent] {
    var events: [InputEvent] = []
    var stamp = UInt32.max - 200_000  // crosses the u32 wrap during the recording
    var generator = RecordingTestRandom(seed: 3)
    for index in 0..<500 {
      let time = Int64(7_000_000_000) + Int64(index) * 4000 + Int64(generator.next() % 300)
      let moving = index >= 250
      var axes: [(UInt16, Int32)] = [
        (0, Int32(generator.next() % 20) - 10), (1, 8192 + Int32(generator.next() % 16)),
      ]
      if moving { axes += [(4, Int32(index) * 40), (2, Int32(index) * 7)] }
      events += MotionNodeSamples.frame(
        at: time, axes: axes, timestamp: Int32(bitPattern: stamp))
      stamp &+= 4000
      if index == 300 {
        events.append(
          InputEvent(
            timeMicroseconds: time + 2000, type: EventCode.synType, code: EventCode.synDropped,
            value: 0))
        events += MotionNodeSamples.frame(at: time + 2000, axes: [(1, 8000)])
      }
    }
    return events
  }

  static func dualSenseWithValues() -> InputDeviceDescription {
    var device = MotionNodeSamples.dualSense()
    device.absAxes[EventCode.absY]?.value = 8190
    device.absAxes[EventCode.absRX]?.value = -317
    device.uniq = "a0:b1:c2:d3:e4:f5"
    return device
  }

  @Test func writeThenReadGivesIdenticalEventsAndFrames() throws {
    let directory = try RecordingScratchDirectory()
    let path = directory.path + "/roundtrip.evemu"
    let device = Self.dualSenseWithValues()
    let events = Self.sampleEvents()
    try EvemuRecording(device: device, events: events).write(path: path)

    let read = try EvemuRecording.read(path: path)
    #expect(read.device == device)
    #expect(read.events == events)

    // Frames straight from the events (what the live reader does) equal frames from the file.
    var assembler = try FrameAssembler(
      device: device, entry: DeviceTable.builtIn.entry(for: device))
    let expected = events.compactMap { assembler.consume($0) }
    var source = try openRecording(path: path, deviceTable: .builtIn)
    var actual: [MotionFrame] = []
    while let frame = try source.nextFrame() { actual.append(frame) }
    #expect(actual == expected)
    #expect(actual.count == 500)
    #expect(actual.filter(\.framesLostBefore).count == 1)
  }

  @Test func writerProducesEvemuRecordLayout() throws {
    let directory = try RecordingScratchDirectory()
    let path = directory.path + "/layout.evemu"
    var writer = try EvemuWriter(path: path, device: Self.dualSenseWithValues())
    try writer.write(InputEvent(timeMicroseconds: 1_000_001, type: 3, code: 0, value: -24))
    try writer.write(InputEvent(timeMicroseconds: 1_000_001, type: 3, code: 1, value: 7888))
    try writer.write(InputEvent(timeMicroseconds: 1_000_001, type: 4, code: 5, value: -711_924_796))
    try writer.write(InputEvent(timeMicroseconds: 1_000_001, type: 0, code: 0, value: 0))
    try writer.close()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "# EVEMU 1.3")
    #expect(lines.contains("N: DualSense Wireless Controller Motion Sensors"))
    #expect(lines.contains("I: 0005 054c 0ce6 8100"))
    #expect(lines.contains("P: 40 00 00 00 00 00 00 00"))
    #expect(lines.contains("B: 00 0b 00 00 00 00 00 00 00"))
    #expect(lines.contains("B: 03 3f 00 00 00 00 00 00 00"))
    #expect(lines.contains("B: 04 20 00 00 00 00 00 00 00"))
    #expect(lines.filter { $0.hasPrefix("B: 01 ") }.count == 12)  // KEY_MAX 0x2ff: 96 bytes
    #expect(lines.contains("A: 00 -32768 32768 16 0 8192"))
    #expect(lines.contains("A: 05 -2097152 2097152 16 0 1024"))
    #expect(lines.contains("# Input device ID: bus 0x05 vendor 0x54c product 0xce6 version 0x8100"))
    #expect(lines.contains("#       Value     8190"))
    // evemu's "E: %lu.%06u %04x %04x %04d" then a tab and a comment.
    #expect(lines.contains { $0.hasPrefix("E: 1.000001 0003 0000 -024\t# EV_ABS / ABS_X ") })
    #expect(lines.contains { $0.hasPrefix("E: 1.000001 0003 0001 7888\t") })
    #expect(
      lines.contains { $0.hasPrefix("E: 1.000001 0004 0005 -711924796\t# EV_MSC / MSC_TIMESTAMP") })
    #expect(
      lines.contains { $0.hasPrefix("E: 1.000001 0000 0000 0000\t# ------------ SYN_REPORT (0)") })
    #expect(lines.last == "")  // ends with a newline
  }

  /// A file as evemu-record writes it, by hand: evtest comments, L: lines, a 1.3 header.
  @Test func readsAnEvemuRecordFile() throws {
    let directory = try RecordingScratchDirectory()
    let path = try directory.file(
      "joycon.evemu",
      """
      # EVEMU 1.3
      # Kernel: 6.1.0
      # DMI: dmi:bvnLENOVO:
      # Input device name: "Nintendo Switch Left Joy-Con IMU"
      # Input device ID: bus 0x05 vendor 0x57e product 0x2006 version 0x8001
      # Supported events:
      #   Event type 0 (EV_SYN)
      #     Event code 0 (SYN_REPORT)
      #   Event type 3 (EV_ABS)
      #     Event code 2 (ABS_Z)
      #       Value     4100
      #       Min     -32767
      #       Max      32767
      #       Fuzz        10
      #       Flat         0
      #       Resolution 4096
      # Properties:
      #   Property  type 6 (INPUT_PROP_ACCELEROMETER)
      N: Nintendo Switch Left Joy-Con IMU
      I: 0005 057e 2006 8001
      P: 40 00 00 00 00 00 00 00
      B: 00 0b 00 00 00 00 00 00 00
      B: 03 3f 00 00 00 00 00 00 00
      B: 04 20 00 00 00 00 00 00 00
      A: 00 -32767 32767 10 0 4096
      A: 01 -32767 32767 10 0 4096
      A: 02 -32767 32767 10 0 4096
      A: 03 -32767000 32767000 10 0 14247
      A: 04 -32767000 32767000 10 0 14247
      A: 05 -32767000 32767000 10 0 14247
      L: 00 1
      ################################
      #      Waiting for events      #
      ################################
      E: 0.000001 0003 0000 0012	# EV_ABS / ABS_X                12
      E: 0.000001 0004 0005 -711924796	# EV_MSC / MSC_TIMESTAMP        -711924796
      E: 0.000001 0000 0000 0000	# ------------ SYN_REPORT (0) ---------- +0ms
      E: 0.000021 0004 0005 -711919796
      E: 0.000021 0000 0000 0000

      E: 0.000040 0003 0000 -012
      E: 0.000040 0004 0005 -711914796
      E: 0.000040 0000 0000 0000
      E: 0.015003 0004 0005 -711894796
      E: 0.015003 0000 0000 0000

      """)
    let recording = try EvemuRecording.read(path: path)
    #expect(recording.device.name == "Nintendo Switch Left Joy-Con IMU")
    #expect(recording.device.vendor == 0x057E && recording.device.product == 0x2006)
    #expect(recording.device.hasAccelerometerProperty)
    #expect(recording.device.absAxes[2]?.value == 4100)
    #expect(recording.device.absAxes[3]?.resolution == 14247)
    #expect(recording.device.supportedCodes[4] == [5])
    #expect(recording.events.count == 10)
    #expect(recording.events[1].value == -711_924_796)
    #expect(recording.events[5].value == -12)

    var source = try openRecording(path: path, deviceTable: .builtIn)
    var frames: [MotionFrame] = []
    while let frame = try source.nextFrame() { frames.append(frame) }
    #expect(frames.count == 4)
    #expect(frames[0].accelerationG.y == 4100.0 / 4096)  // from the header's current value
    let steps = zip(frames.dropFirst(), frames).map { $0.timeSeconds - $1.timeSeconds }
    // 5 ms per sample; the burst after the 15 ms report gap starts at its own event time.
    #expect(steps.allSatisfy { abs($0 - 0.005) < 0.000_01 }, "\(steps)")
  }

  @Test func evemuOnePointOneAbsLinesWithoutResolution() throws {
    let directory = try RecordingScratchDirectory()
    let path = try directory.file(
      "old.evemu",
      """
      # EVEMU 1.1
      N: ST LIS3LV02DL Accelerometer
      I: 0019 0000 0000 0000
      B: 00 0b 00 00 00 00 00 00 00
      B: 03 07 00 00 00 00 00 00 00
      A: 00 -2000 2000 2 2
      A: 01 -2000 2000 2 2
      A: 02 -2000 2000 2 2
      E: 10.000000 0003 0002 -1000
      E: 10.000000 0000 0000 0
      E: 10.050000 0003 0002 -990
      E: 10.050000 0000 0000 0

      """)
    var source = try openRecording(path: path, deviceTable: .builtIn)
    let first = try #require(try source.nextFrame())
    #expect(first.accelerationG == Vector3(0, 0, -1))
    #expect(try source.nextFrame()?.accelerationG.z == -0.99)
    #expect(try source.nextFrame() == nil)
    #expect(try source.nextFrame() == nil)
  }

  @Test func writesToAFileDescriptor() throws {
    let directory = try RecordingScratchDirectory()
    let path = directory.path + "/fd.evemu"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    #expect(descriptor >= 0)
    var writer = try EvemuWriter(
      fileDescriptor: descriptor, closeOnClose: true, device: MotionNodeSamples.steamDeck())
    writer.annotateEvents = false
    for event in MotionNodeSamples.frame(at: 3_000_000, axes: [(1, 16384)], timestamp: 4000) {
      try writer.write(event)
    }
    try writer.close()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      text.hasSuffix(
        "E: 3.000000 0003 0001 16384\nE: 3.000000 0004 0005 4000\nE: 3.000000 0000 0000 0000\n"))
    #expect(try EvemuRecording.read(path: path).events.count == 3)
  }
}
