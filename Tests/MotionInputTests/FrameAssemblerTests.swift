import MotionCore
import Testing

@testable import MotionInput

@Suite struct FrameAssemblerTests {
  let table = DeviceTable.builtIn

  func assembler(_ device: InputDeviceDescription) throws -> FrameAssembler {
    try FrameAssembler(device: device, entry: table.entry(for: device))
  }

  func frames(_ assembler: inout FrameAssembler, _ events: [InputEvent]) -> [MotionFrame] {
    events.compactMap { assembler.consume($0) }
  }

  @Test func dualSenseUnitsFromResolutionAndLastValuesKept() throws {
    var assembler = try assembler(MotionNodeSamples.dualSense())
    #expect(assembler.hasGyroscope)
    #expect(assembler.timestampModel == .hardware)
    let first = frames(
      &assembler,
      MotionNodeSamples.frame(
        at: 1_000_000,
        axes: [(0, -24), (1, 8192), (2, 1537), (3, 1024), (4, -2048), (5, 0)], timestamp: 100))
    let second = frames(
      &assembler, MotionNodeSamples.frame(at: 1_004_000, axes: [(0, 4096)], timestamp: 4100))
    #expect(first.count == 1 && second.count == 1)
    let a = first[0].accelerationG
    #expect(abs(a.x - -24.0 / 8192) < 1e-12 && a.y == 1 && abs(a.z - 1537.0 / 8192) < 1e-12)
    #expect(first[0].angularVelocityDPS == Vector3(1, -2, 0))
    // Only ABS_X changed: Y, Z and the gyro keep their last values.
    #expect(second[0].accelerationG == Vector3(0.5, 1, 1537.0 / 8192))
    #expect(second[0].angularVelocityDPS == Vector3(1, -2, 0))
    #expect(abs(second[0].timeSeconds - first[0].timeSeconds - 0.004) < 1e-9)
    #expect(!first[0].framesLostBefore && !second[0].framesLostBefore)
  }

  @Test func initialAxisValuesComeFromAbsinfo() throws {
    var device = MotionNodeSamples.dualSense()
    device.absAxes[EventCode.absY]?.value = 8192
    var assembler = try assembler(device)
    let frame = try #require(
      frames(&assembler, MotionNodeSamples.frame(at: 0, axes: [], timestamp: 0)).first)
    #expect(frame.accelerationG == Vector3(0, 1, 0))
  }

  @Test func nintendoAxesScaleAndCorrection() throws {
    var assembler = try assembler(MotionNodeSamples.joyCon(name: "Joy-Con (L) (IMU)"))
    // Lying flat, buttons up: +Z (up) reads 1 g; spinning about +Z at 100 deg/s (raw ×1000).
    let frame = try #require(
      frames(
        &assembler,
        MotionNodeSamples.frame(at: 0, axes: [(2, 4096), (5, 1_424_700)], timestamp: 0)
      ).first)
    #expect(frame.accelerationG == Vector3(0, 1, 0))
    let rate = try #require(frame.angularVelocityDPS)
    #expect(abs(rate.y - 100 * 0.858) < 1e-9 && rate.x == 0 && rate.z == 0)
  }

  @Test func wiiRemoteUsesTableUnitsAndMapping() throws {
    var assembler = try assembler(MotionNodeSamples.wiiAccelerometer())
    #expect(!assembler.hasGyroscope)
    #expect(assembler.timestampModel == .eventTime)
    let frame = try #require(
      frames(&assembler, MotionNodeSamples.frame(at: 0, axes: [(3, 50), (4, -100), (5, 100)]))
        .first)
    #expect(frame.accelerationG == Vector3(-0.5, 1, -1))
  }

  @Test func laptopAccelerometerInMilliG() throws {
    var assembler = try assembler(MotionNodeSamples.lis3lv02d())
    let frame = try #require(
      frames(&assembler, MotionNodeSamples.frame(at: 0, axes: [(0, 20), (1, -40), (2, -1000)]))
        .first)
    #expect(frame.accelerationG == Vector3(0.02, -0.04, -1))
    #expect(frame.angularVelocityDPS == nil)
  }

  @Test func nodesWithoutAccelerometerAxesAreRefusedClearly() throws {
    #expect(throws: FrameAssemblerError.self) {
      try FrameAssembler(
        device: MotionNodeSamples.wiiMotionPlus(),
        entry: table.entry(for: MotionNodeSamples.wiiMotionPlus()))
    }
    var noZ = MotionNodeSamples.dualSense()
    noZ.absAxes[EventCode.absZ] = nil
    do {
      _ = try FrameAssembler(device: noZ, entry: table.entry(id: "sony-dualsense"))
      Issue.record("expected an error")
    } catch let error as FrameAssemblerError {
      #expect(error.description.contains("no ABS_Z axis"))
    }
    var zeroResolution = MotionNodeSamples.dualSense()
    zeroResolution.absAxes[EventCode.absX]?.resolution = 0
    #expect(throws: FrameAssemblerError.self) {
      try FrameAssembler(device: zeroResolution, entry: table.entry(id: "sony-dualsense"))
    }
  }

  @Test func gyroWithoutResolutionIsDroppedWithAReason() throws {
    var device = MotionNodeSamples.dualSense()
    device.absAxes[EventCode.absRX]?.resolution = 0
    let assembler = try assembler(device)
    #expect(!assembler.hasGyroscope)
    #expect(assembler.gyroscopeUnavailableReason?.contains("ABS_RX") == true)
  }

  // MARK: - Timestamps

  /// MSC_TIMESTAMP crosses 2^31 (reads negative in the s32 evdev value) and 2^32 (wraps to
  /// small values); the unwrapped time keeps advancing by the device's 4 ms while the event
  /// clock jitters.
  @Test(arguments: [UInt32(Int32.max) - 8000, UInt32.max - 8000])
  func deviceTimestampUnwrapsThroughSignAndWrap(start: UInt32) throws {
    var assembler = try assembler(MotionNodeSamples.dualSense())
    var stamp = start
    var times: [Double] = []
    var event: Int64 = 5_000_000
    for index in 0..<6 {
      times += frames(
        &assembler,
        MotionNodeSamples.frame(at: event, axes: [(1, 8192)], timestamp: Int32(bitPattern: stamp))
      ).map(\.timeSeconds)
      stamp &+= 4000
      event += 4000 + (index % 2 == 0 ? 700 : -500)
    }
    #expect(times.count == 6)
    let steps = zip(times.dropFirst(), times).map { $0 - $1 }
    #expect(steps.allSatisfy { abs($0 - 0.004) < 1e-9 }, "\(steps)")
  }

  @Test func deviceClockResetFallsBackToEventTimeAndMarksLoss() throws {
    var assembler = try assembler(MotionNodeSamples.dualSense())
    var out: [MotionFrame] = []
    out += frames(&assembler, MotionNodeSamples.frame(at: 0, axes: [(1, 1)], timestamp: 900_000))
    out += frames(&assembler, MotionNodeSamples.frame(at: 4000, axes: [(1, 2)], timestamp: 904_000))
    out += frames(&assembler, MotionNodeSamples.frame(at: 8000, axes: [(1, 3)], timestamp: 10))
    out += frames(&assembler, MotionNodeSamples.frame(at: 12000, axes: [(1, 4)], timestamp: 4010))
    #expect(out.map(\.framesLostBefore) == [false, false, true, false])
    #expect(abs(out[2].timeSeconds - 0.008) < 1e-9 && abs(out[3].timeSeconds - 0.012) < 1e-9)
  }

  @Test func frameWithoutTimestampIsNotCountedTwice() throws {
    var assembler = try assembler(MotionNodeSamples.dualSense())
    var out: [MotionFrame] = []
    out += frames(&assembler, MotionNodeSamples.frame(at: 0, axes: [], timestamp: 50_000))
    out += frames(&assembler, MotionNodeSamples.frame(at: 4000, axes: []))
    out += frames(&assembler, MotionNodeSamples.frame(at: 8000, axes: [], timestamp: 58_000))
    out += frames(&assembler, MotionNodeSamples.frame(at: 12_100, axes: [], timestamp: 62_000))
    #expect(out.map(\.timeSeconds) == [0, 0.004, 0.008, 0.012])
  }

  @Test func dualShock4CounterCannotSpanLongGaps() throws {
    // The DS4's 16-bit counter wraps every ~349 ms: after a 1 s silence MSC says 2 ms.
    var assembler = try assembler(MotionNodeSamples.dualSense())
    var out: [MotionFrame] = []
    for index in 0..<10 {
      out += frames(
        &assembler,
        MotionNodeSamples.frame(at: Int64(index) * 4000, axes: [], timestamp: Int32(index * 4000)))
    }
    out += frames(&assembler, MotionNodeSamples.frame(at: 1_036_000, axes: [], timestamp: 38_000))
    #expect(out.last?.framesLostBefore == true)
    #expect(abs(out.last!.timeSeconds - 1.036) < 1e-9)
  }

  @Test func synDroppedMarksTheNextFrameAndSkipsTheResyncFrame() throws {
    var assembler = try assembler(MotionNodeSamples.dualSense())
    var out: [MotionFrame] = []
    out += frames(&assembler, MotionNodeSamples.frame(at: 0, axes: [(1, 8192)], timestamp: 0))
    let dropped = InputEvent(
      timeMicroseconds: 20_000, type: EventCode.synType, code: EventCode.synDropped, value: 0)
    out += frames(&assembler, [dropped])
    // libevdev's resync: current values, then SYN_REPORT, no MSC.
    out += frames(&assembler, MotionNodeSamples.frame(at: 20_000, axes: [(1, 4096)]))
    out += frames(
      &assembler, MotionNodeSamples.frame(at: 24_000, axes: [(0, 8192)], timestamp: 24_000))
    out += frames(
      &assembler, MotionNodeSamples.frame(at: 28_000, axes: [(0, 0)], timestamp: 28_000))
    #expect(out.count == 3)
    #expect(out.map(\.framesLostBefore) == [false, true, false])
    #expect(out[1].accelerationG == Vector3(1, 0.5, 0))  // resync values were applied
    #expect(abs(out[1].timeSeconds - 0.024) < 1e-9)
    #expect(assembler.droppedEventCount == 1)
  }

  /// A long silence from a node with its own clock, or without a fuzz filter, lost frames.
  @Test func longSilenceIsAGap() throws {
    var wii = MotionNodeSamples.wiiAccelerometer()
    for code in wii.absAxes.keys { wii.absAxes[code]?.fuzz = 0 }
    var assembler = try assembler(wii)
    let out = silence(&assembler)
    #expect(out.filter(\.framesLostBefore).count == 1)
    #expect(out[20].framesLostBefore)
    #expect(out.allSatisfy { !$0.valuesHeldBefore })
  }

  /// The same silence from a fuzz-filtered node without a clock (the real Wii Remote, a
  /// DualShock 3) is stillness: the input core sent nothing because nothing moved past the fuzz.
  @Test func silenceOfAFuzzFilteredNodeHoldsValues() throws {
    var assembler = try assembler(MotionNodeSamples.wiiAccelerometer())
    let out = silence(&assembler)
    #expect(out.allSatisfy { !$0.framesLostBefore })
    #expect(out[20].valuesHeldBefore)
  }

  /// 20 frames 10 ms apart, 0.21 s of silence, two more frames.
  private func silence(_ assembler: inout FrameAssembler) -> [MotionFrame] {
    var out: [MotionFrame] = []
    for index in 0..<20 {
      out += frames(&assembler, MotionNodeSamples.frame(at: Int64(index) * 10_000, axes: []))
    }
    out += frames(&assembler, MotionNodeSamples.frame(at: 400_000, axes: []))
    out += frames(&assembler, MotionNodeSamples.frame(at: 410_000, axes: []))
    return out
  }

  /// The DualShock 4 entry expects 250 Hz; an old Bluetooth stack delivers ~20 Hz. After a few
  /// frames the period is re-learned instead of flagging every frame as a gap.
  @Test func wrongNominalRateIsRelearned() throws {
    let device = MotionNodeSamples.sixAxis(
      name: "Wireless Controller Motion Sensors", bus: 5, vendor: 0x054C, product: 0x09CC,
      accel: (32768, 16, 8192), gyro: (2_097_152, 16, 1024))
    var assembler = try assembler(device)
    #expect(assembler.entry.nominalRateHz == 250)
    var out: [MotionFrame] = []
    for index in 0..<40 {
      let time = Int64(index) * 50_000
      out += frames(
        &assembler, MotionNodeSamples.frame(at: time, axes: [], timestamp: Int32(time)))
    }
    #expect(out.count == 40)
    #expect(out.prefix(3).filter(\.framesLostBefore).count <= 2)
    #expect(out.dropFirst(3).allSatisfy { !$0.framesLostBefore })
  }

  @Test func eventTimeGoingBackwardsIsRejected() throws {
    var assembler = try assembler(MotionNodeSamples.wiiAccelerometer())
    #expect(frames(&assembler, MotionNodeSamples.frame(at: 10_000, axes: [])).count == 1)
    #expect(frames(&assembler, MotionNodeSamples.frame(at: 5_000, axes: [])).isEmpty)
    #expect(
      assembler.lastRejection
        == .timeWentBackwards(previousMicroseconds: 10_000, currentMicroseconds: 5_000))
    #expect(frames(&assembler, MotionNodeSamples.frame(at: 10_000, axes: [])).isEmpty)
    #expect(assembler.lastRejection == .timeDidNotAdvance(microseconds: 10_000))
    #expect(frames(&assembler, MotionNodeSamples.frame(at: 20_000, axes: [])).count == 1)
    #expect(assembler.lastRejection == nil)
  }

  /// The real evtest capture of a left Joy-Con (DEVICES notes): three samples per report with
  /// MSC steps of +5000, then +20000 into the next report 15 ms later, event times nearly equal
  /// inside a report. Real time advances 5 ms per sample.
  @Test func nintendoBurstsGiveEvenRealTime() throws {
    var assembler = try assembler(
      MotionNodeSamples.joyCon(name: "Nintendo Switch Left Joy-Con IMU"))
    #expect(assembler.timestampModel == .nintendoBursts)
    var out: [MotionFrame] = []
    var stamp: Int32 = -711_924_796
    let reportStart: Int64 = 50_000_000
    for report in 0..<40 {
      let arrival = reportStart + Int64(report) * 15_000 + Int64(report % 3) * 700  // BT jitter
      for sample in 0..<3 {
        out += frames(
          &assembler,
          MotionNodeSamples.frame(
            at: arrival + Int64(sample) * 20, axes: [(2, 4096 + Int32(sample))],
            timestamp: stamp))
        stamp &+= sample == 2 ? 20_000 : 5_000
      }
    }
    #expect(out.count == 120)
    let duration = out.last!.timeSeconds - out.first!.timeSeconds
    #expect(abs(duration / 119 - 0.005) < 0.0002, "mean step \(duration / 119)")
    let steps = zip(out.dropFirst(), out).map { $0.timeSeconds - $1.timeSeconds }
    #expect(steps.allSatisfy { $0 > 0.0015 && $0 < 0.0085 }, "\(steps.min()!)…\(steps.max()!)")
    #expect(out.allSatisfy { !$0.framesLostBefore })
  }

  @Test func nintendoDroppedReportsShowAsGap() throws {
    var assembler = try assembler(MotionNodeSamples.joyCon(name: "Joy-Con (L) (IMU)"))
    var out: [MotionFrame] = []
    var stamp: Int32 = 0
    for report in [0, 1, 2, 3, 4, 5, 6, 7, 10, 11] {  // reports 8 and 9 lost over Bluetooth
      for sample in 0..<3 {
        out += frames(
          &assembler,
          MotionNodeSamples.frame(
            at: Int64(report) * 15_000 + Int64(sample) * 10, axes: [], timestamp: stamp))
        stamp &+= sample == 2 ? 20_000 : 5_000  // hid-nintendo does not count lost reports
      }
    }
    #expect(out.filter(\.framesLostBefore).count == 1)
    #expect(out[24].framesLostBefore)
  }

  /// hid-steam adds 4000 µs per report while reports really arrive every 4 ms ± 4 ms and on
  /// average a little slower: frame times stay smooth and follow the event clock.
  @Test func steamDeckFixedStepsFollowTheEventClock() throws {
    var assembler = try assembler(MotionNodeSamples.steamDeck())
    #expect(assembler.timestampModel == .fixedStep)
    var out: [MotionFrame] = []
    var event: Int64 = 0
    var stamp: Int32 = 0
    var generator = RecordingTestRandom(seed: 7)
    for _ in 0..<2500 {
      out += frames(&assembler, MotionNodeSamples.frame(at: event, axes: [], timestamp: stamp))
      event += 4100 + Int64(generator.next() % 4001) - 2000
      stamp &+= 4000
    }
    let span = out.last!.timeSeconds - out.first!.timeSeconds
    let eventSpan = Double(event - 4100) * 1e-6  // roughly the last event time
    #expect(abs(span - eventSpan) < 0.05, "frame span \(span) vs event span \(eventSpan)")
    let steps = zip(out.dropFirst(), out).map { $0.timeSeconds - $1.timeSeconds }
    let late = steps.suffix(500)
    #expect(late.allSatisfy { abs($0 - 0.0041) < 0.0005 }, "\(late.min()!)…\(late.max()!)")
  }

  @Test func nodeWithoutTimestampUsesEventTime() throws {
    var device = MotionNodeSamples.dualSense()
    device.supportedCodes[EventCode.miscType] = nil
    var assembler = try assembler(device)
    #expect(assembler.timestampModel == .eventTime)
    let out = frames(
      &assembler,
      MotionNodeSamples.frame(at: 1_000, axes: []) + MotionNodeSamples.frame(at: 3_500, axes: []))
    #expect(out.map(\.timeSeconds) == [0.001, 0.0035])
  }
}

/// Deterministic pseudo-random numbers for tests.
struct RecordingTestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
