import Foundation
import MotionCore
import MotionInput
import Testing

@testable import MotionSimulator

/// Frames of one report-less recording, split at SYN_REPORT.
private struct RawFrame {
  var time: Int64
  var values: [UInt16: Int32] = [:]
  var timestamp: Int32?
  var afterSynDropped = false
}

private func rawFrames(_ events: [InputEvent]) -> [RawFrame] {
  var frames: [RawFrame] = []
  var current = RawFrame(time: 0)
  var dropped = false
  for event in events {
    switch (event.type, event.code) {
    case (EventCode.absoluteType, _): current.values[event.code] = event.value
    case (EventCode.miscType, EventCode.miscTimestamp): current.timestamp = event.value
    case (EventCode.synType, EventCode.synDropped): dropped = true
    case (EventCode.synType, EventCode.synReport):
      current.time = event.timeMicroseconds
      current.afterSynDropped = dropped
      dropped = false
      frames.append(current)
      current = RawFrame(time: 0)
    default: break
    }
  }
  return frames
}

private func shortRecording(
  _ device: String, variant: String? = nil, exercise: SimulatedExercise = .twist,
  difficulty: SimulationDifficulty = .easy, seed: UInt64 = 9
) throws -> SimulatedRecording {
  try Simulator.record(
    SimulationOptions(
      exercise: exercise, reps: 2, deviceID: device, deviceVariant: variant, placement: .waist,
      difficulty: difficulty, seed: seed))
}

@Test func fuzzFilterFollowsTheInputCore() {
  // fuzz 16: |Δ| < 8 dropped, < 16 → (3·old+new)/4, < 32 → (old+new)/2, else new.
  #expect(defuzz(107, old: 100, fuzz: 16) == 100)
  #expect(defuzz(93, old: 100, fuzz: 16) == 100)
  #expect(defuzz(108, old: 100, fuzz: 16) == 102)
  #expect(defuzz(115, old: 100, fuzz: 16) == 103)
  #expect(defuzz(120, old: 100, fuzz: 16) == 110)
  #expect(defuzz(85, old: 100, fuzz: 16) == 96)  // (300 + 85) / 4 = 96 (C truncation)
  #expect(defuzz(132, old: 100, fuzz: 16) == 132)
  #expect(defuzz(-7, old: 0, fuzz: 16) == 0)
  #expect(defuzz(5, old: 0, fuzz: 0) == 5)
}

@Test(arguments: Simulator.deviceIDs)
func eventsRespectTheNodeDescription(deviceID: String) throws {
  for variant in Simulator.variants(of: deviceID) {
    let recording = try shortRecording(deviceID, variant: variant)
    let device = recording.device
    let absCodes = Set(device.absAxes.keys)
    let hasTimestamp = device.supportedCodes[EventCode.miscType]?.contains(EventCode.miscTimestamp)
    var last: [UInt16: Int32] = [:]
    for (code, info) in device.absAxes { last[code] = info.value }
    var previousTime = Int64.min
    for event in recording.events {
      #expect(event.timeMicroseconds >= previousTime)
      previousTime = event.timeMicroseconds
      switch event.type {
      case EventCode.absoluteType:
        let info = try #require(device.absAxes[event.code])
        #expect(absCodes.contains(event.code))
        #expect(event.value >= info.minimum && event.value <= info.maximum)
        // The input core never passes an unchanged value.
        #expect(event.value != last[event.code], "\(deviceID) repeats a value on \(event.code)")
        last[event.code] = event.value
      case EventCode.miscType:
        #expect(hasTimestamp == true)
      case EventCode.synType:
        break
      default:
        Issue.record("unexpected event type \(event.type)")
      }
    }
    // Accelerometer-only devices carry no gyroscope axes; the Wii Remote's accelerometer sits on
    // RX/RY/RZ without INPUT_PROP_ACCELEROMETER.
    switch deviceID {
    case "sony-dualshock3", "st-lis3lv02d":
      #expect(absCodes == [EventCode.absX, EventCode.absY, EventCode.absZ])
    case "nintendo-wii-remote":
      #expect(absCodes == [EventCode.absRX, EventCode.absRY, EventCode.absRZ])
      #expect(!device.hasAccelerometerProperty)
    default:
      #expect(absCodes.count == 6)
    }
    // The device table recognises the simulated node as the device it claims to be.
    #expect(DeviceTable.builtIn.entry(for: device)?.id == deviceID)
  }
}

@Test func nintendoSendsBurstsOfThreeWithADoubledClock() throws {
  let recording = try shortRecording("nintendo-joycon-left", variant: "bluetooth")
  let frames = Array(rawFrames(recording.events).prefix(240))
  var inBurst = 0
  var across = 0
  for index in 1..<frames.count {
    let eventStep = frames[index].time - frames[index - 1].time
    let step = Int64(
      UInt32(bitPattern: frames[index].timestamp ?? 0)
        &- UInt32(bitPattern: frames[index - 1].timestamp ?? 0))
    if eventStep < 100 {
      #expect(step == 5000)
      inBurst += 1
    } else {
      #expect(step == 20000)
      #expect(eventStep > 10_000 && eventStep < 25_000)
      across += 1
    }
  }
  // Two in-burst steps for every step between reports.
  #expect(abs(inBurst - 2 * across) <= 2)
}

@Test func steamDeckStepsItsClockBy4000WhateverTheInterval() throws {
  let recording = try shortRecording("valve-steam-deck")
  let frames = rawFrames(recording.events)
  var eventSteps: [Int64] = []
  for index in 1..<frames.count {
    let step =
      UInt32(bitPattern: frames[index].timestamp ?? 0)
      &- UInt32(bitPattern: frames[index - 1].timestamp ?? 0)
    #expect(step == 4000)
    eventSteps.append(frames[index].time - frames[index - 1].time)
  }
  let mean = Double(eventSteps.reduce(0, +)) / Double(eventSteps.count)
  #expect(abs(mean - 4000) < 50)
  #expect((eventSteps.max() ?? 0) > 6000)
  #expect((eventSteps.min() ?? 0) < 2000)
}

@Test func dualSenseClockIsTheHardwareClockAndSometimesWraps() throws {
  var sawNegative = false
  var sawWrap = false
  for seed in 1...12 {
    let recording = try shortRecording("sony-dualsense", variant: "usb", seed: UInt64(seed))
    let frames = rawFrames(recording.events)
    for index in 1..<frames.count {
      let previous = UInt32(bitPattern: frames[index - 1].timestamp ?? 0)
      let current = UInt32(bitPattern: frames[index].timestamp ?? 0)
      let step = current &- previous
      #expect(step >= 3999 && step <= 4001)
      if current < previous { sawWrap = true }
      if (frames[index].timestamp ?? 0) < 0 { sawNegative = true }
    }
  }
  #expect(sawNegative)
  #expect(sawWrap || sawNegative)
}

@Test func dualShock4CannotSpanAGapLongerThanItsSixteenBitCounter() throws {
  let options = SimulationOptions(
    exercise: .twist, reps: 2, deviceID: "sony-dualshock4", deviceVariant: "bluetooth",
    placement: .waist, difficulty: .easy, seed: 2)
  let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
  var emulator = try DeviceEmulator(
    device: prepared.device, entry: prepared.entry, errorScale: 1, random: prepared.emulatorRandom)
  var events: [InputEvent] = []
  let output = try emulator.run(
    trajectory: prepared.trajectory, durationSeconds: 8,
    dropouts: [PlannedDropout(kind: .reportGap, startSeconds: 3, endSeconds: 3.5)],
    begin: { _ in }, emit: { events.append($0) })
  #expect(output.dropouts.count == 1)
  #expect(output.dropouts.first?.lostFrames == 125 || output.dropouts.first?.lostFrames == 126)
  let frames = rawFrames(events)
  let steps = (1..<frames.count).map { index in
    (
      frames[index].time - frames[index - 1].time,
      Int64(
        UInt32(bitPattern: frames[index].timestamp ?? 0)
          &- UInt32(bitPattern: frames[index - 1].timestamp ?? 0))
    )
  }
  let gap = try #require(steps.first { $0.0 > 400_000 })
  // The real gap is ~504 ms; 65536 ticks of 16/3 µs are 349.5 ms, so the stamp shows ~155 ms.
  #expect(abs(gap.1 - (gap.0 - 349_525)) < 10_000)
}

@Test func synDroppedIsFollowedByAResyncAndTheReaderMarksTheLoss() throws {
  let options = SimulationOptions(
    exercise: .twist, reps: 2, deviceID: "sony-dualsense", deviceVariant: "usb", placement: .waist,
    difficulty: .easy, seed: 2)
  let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
  var emulator = try DeviceEmulator(
    device: prepared.device, entry: prepared.entry, errorScale: 1, random: prepared.emulatorRandom)
  var events: [InputEvent] = []
  var description: InputDeviceDescription?
  let output = try emulator.run(
    trajectory: prepared.trajectory, durationSeconds: 6,
    dropouts: [PlannedDropout(kind: .synDropped, startSeconds: 3, endSeconds: 3.1)],
    begin: { description = $0 }, emit: { events.append($0) })
  #expect(output.dropouts.first?.lostFrames == 25 || output.dropouts.first?.lostFrames == 26)
  let droppedIndex = try #require(
    events.firstIndex { $0.type == EventCode.synType && $0.code == EventCode.synDropped })
  // The resync: ABS values only (no MSC_TIMESTAMP), closed by SYN_REPORT.
  let resync = events[(droppedIndex + 1)...].prefix { $0.type != EventCode.synType }
  #expect(resync.allSatisfy { $0.type == EventCode.absoluteType })
  #expect(events[droppedIndex + 1 + resync.count].code == EventCode.synReport)

  let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "sim-dropped-\(getpid()).evemu"
  ).path
  defer { try? FileManager.default.removeItem(atPath: path) }
  var writer = try EvemuWriter(path: path, device: try #require(description))
  for event in events { try writer.write(event) }
  try writer.close()
  var source = try openRecording(path: path, deviceTable: .builtIn)
  var lost: [Double] = []
  var first: Double?
  while let frame = try source.nextFrame() {
    if first == nil { first = frame.timeSeconds }
    if frame.framesLostBefore { lost.append(frame.timeSeconds - (first ?? 0)) }
  }
  #expect(lost.count == 1)
  #expect(abs((lost.first ?? 0) - 3.1) < 0.02)
}

@Test func clippingHappensAtTheChipRange() throws {
  let options = SimulationOptions(
    exercise: .twist, reps: 2, deviceID: "valve-steam-deck", placement: .waist, difficulty: .easy,
    seed: 2)
  let prepared = try Simulator.prepare(options, deviceTable: .builtIn)
  var emulator = try DeviceEmulator(
    device: prepared.device, entry: prepared.entry, errorScale: 0, random: prepared.emulatorRandom)
  var values = [Int64](repeating: 0, count: 6)
  // 3 g is beyond the Deck's ±2 g chip: every accelerometer axis saturates.
  emulator.rawValues(
    accelerationG: Vector3(3, -3, 3), angularVelocityDPS: Vector3(0, 0, 3000), time: 0,
    into: &values)
  let accelerometer = values[0..<3].map { abs($0) }
  #expect(accelerometer.allSatisfy { $0 >= 32767 && $0 <= 32768 })
  // 3000 deg/s is beyond the gyro's range too.
  #expect(values[3..<6].contains { abs($0) >= 32767 })
}
