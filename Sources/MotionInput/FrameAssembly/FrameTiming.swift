/// Derives monotonic frame times (µs) from event times and `MSC_TIMESTAMP`, per timestamp model,
/// and notices gaps. Pure integer state, no allocation.
///
/// All models anchor the first frame at its event time, so frame times of every model live on
/// the event clock (`CLOCK_MONOTONIC` for a live node) and only differ in how they advance.
struct FrameTiming {
  enum Outcome {
    case accepted(microseconds: Int64, gap: Bool)
    case rejected(FrameRejection)
  }

  let model: TimestampModel

  /// A device-clock step is trusted only while it agrees with the event clock to within this
  /// (plus 10 % of the step): it absorbs Bluetooth delivery jitter but catches a clock reset and
  /// DualShock 4's 16-bit counter, which cannot span gaps over ~349 ms.
  static let deviceClockToleranceMicroseconds: Int64 = 100_000

  /// hid-nintendo delivers the samples of one report within microseconds of each other; reports
  /// are ≥ 8 ms apart. An event-time step above this starts a new burst.
  static let burstSplitMicroseconds: Int64 = 1500

  /// hid-nintendo's default report interval is 15 ms with 3 samples: 5 ms per sample, used until
  /// the device's own step is seen.
  static let defaultNintendoSampleMicroseconds: Int64 = 5000

  /// A frame step counts as a gap when it exceeds 3 usual periods and at least this much more
  /// than one period (so fast devices do not flag every small stall).
  static let minimumGapExcessMicroseconds: Double = 10_000

  private var started = false
  private var lastEventMicroseconds: Int64 = 0
  private var lastFrameMicroseconds: Int64 = 0
  private var lastDeviceTimestamp: UInt32 = 0
  private var hasDeviceTimestamp = false
  /// Typical frame period (exponential average of ordinary steps).
  private var periodMicroseconds: Double
  private var periodKnown: Bool
  private var consecutiveGaps = 0
  static let gapsBeforeRelearning = 3

  // nintendo-bursts
  private var burstStartMicroseconds: Int64 = 0
  private var burstIndex: Int64 = 0
  private var nintendoSampleMicroseconds: Int64 = defaultNintendoSampleMicroseconds

  init(model: TimestampModel, nominalPeriodMicroseconds: Double?) {
    self.model = model
    periodMicroseconds = nominalPeriodMicroseconds ?? 0
    periodKnown = nominalPeriodMicroseconds != nil
  }

  /// After a `SYN_DROPPED` the device clock's last value is stale only if the driver resets it;
  /// wrapping differences still span the loss correctly, so keep it. Bursts restart.
  mutating func forgetDeviceClock() {
    burstIndex = 0
    burstStartMicroseconds = lastEventMicroseconds
  }

  mutating func advance(eventTimeMicroseconds event: Int64, deviceTimestamp: Int32?) -> Outcome {
    guard started else {
      started = true
      lastEventMicroseconds = event
      lastFrameMicroseconds = event
      burstStartMicroseconds = event
      burstIndex = 0
      if let deviceTimestamp {
        lastDeviceTimestamp = UInt32(bitPattern: deviceTimestamp)
        hasDeviceTimestamp = true
      }
      return .accepted(microseconds: event, gap: false)
    }
    let eventStep = event - lastEventMicroseconds
    if eventStep < 0 {
      return .rejected(
        .timeWentBackwards(previousMicroseconds: lastEventMicroseconds, currentMicroseconds: event)
      )
    }

    // The device clock's step, with wrapping u32 arithmetic (the evdev value is s32 and reads
    // negative after 2^31 µs; the counter wraps at 2^32).
    var deviceStep: Int64?
    if let deviceTimestamp {
      let now = UInt32(bitPattern: deviceTimestamp)
      if hasDeviceTimestamp { deviceStep = Int64(now &- lastDeviceTimestamp) }
      lastDeviceTimestamp = now
      hasDeviceTimestamp = true
    } else {
      // A frame without MSC_TIMESTAMP advances by the event clock; the next device step would
      // span it too, so start the device clock afresh instead of counting that time twice.
      hasDeviceTimestamp = false
    }

    var clockDisagreed = false
    var frame: Int64
    switch model {
    case .eventTime:
      frame = event

    case .hardware:
      if let deviceStep, Self.agrees(deviceStep: deviceStep, eventStep: eventStep) {
        frame = lastFrameMicroseconds + deviceStep
      } else {
        clockDisagreed = deviceStep != nil
        frame = lastFrameMicroseconds + eventStep
      }

    case .fixedStep:
      // hid-steam adds 4000 µs per report whatever the real interval (jitter ±4 ms, and it keeps
      // counting while reports are suppressed). Its steps are smooth but carry no real timing,
      // so follow them and pull slowly toward the event clock (1/64 of the drift per frame),
      // snapping to the event clock when they disagree outright.
      if let deviceStep, Self.agrees(deviceStep: deviceStep, eventStep: eventStep) {
        frame = lastFrameMicroseconds + deviceStep
        let drift = event - frame
        if drift.magnitude > UInt64(Self.deviceClockToleranceMicroseconds) {
          frame = event
        } else {
          frame += drift / 64
        }
      } else {
        clockDisagreed = deviceStep != nil
        frame = event
      }

    case .nintendoBursts:
      // hid-nintendo sends 3 samples per report with nearly equal event times; its MSC step is
      // avg_report/3 inside a report but 4/3·avg_report across reports (so the clock runs at 2×).
      // The in-burst step is the true sample spacing: place sample k of a burst at
      // burst-start event time + k·spacing. Gaps then show up in the event times.
      if let deviceStep, eventStep < Self.burstSplitMicroseconds, deviceStep > 0,
        deviceStep < 50_000
      {
        nintendoSampleMicroseconds = deviceStep
      }
      if eventStep >= Self.burstSplitMicroseconds {
        burstStartMicroseconds = event
        burstIndex = 0
      } else {
        burstIndex += 1
      }
      frame = burstStartMicroseconds + burstIndex * nintendoSampleMicroseconds
      // Coalesced or jittery reports must not move time backwards.
      let earliest = lastFrameMicroseconds + nintendoSampleMicroseconds / 2
      if frame < earliest { frame = earliest }
    }

    lastEventMicroseconds = event
    let step = frame - lastFrameMicroseconds
    if step <= 0 {
      return .rejected(.timeDidNotAdvance(microseconds: frame))
    }
    lastFrameMicroseconds = frame

    var gap = isGap(step: step)
    if gap {
      // One long step is a loss; several in a row mean the expected period is wrong (a nominal
      // rate the device does not keep, e.g. a DualShock 4 on an old Bluetooth stack): re-learn.
      consecutiveGaps += 1
      if consecutiveGaps >= Self.gapsBeforeRelearning {
        periodMicroseconds = Double(step)
        consecutiveGaps = 0
        gap = false
      }
    } else {
      consecutiveGaps = 0
      learnPeriod(step: step)
    }
    return .accepted(microseconds: frame, gap: gap || clockDisagreed)
  }

  private static func agrees(deviceStep: Int64, eventStep: Int64) -> Bool {
    (deviceStep - eventStep).magnitude
      <= UInt64(deviceClockToleranceMicroseconds + eventStep / 10)
  }

  private func isGap(step: Int64) -> Bool {
    guard periodKnown else { return false }
    let stepValue = Double(step)
    return stepValue > 3 * periodMicroseconds
      && stepValue - periodMicroseconds >= Self.minimumGapExcessMicroseconds
  }

  private mutating func learnPeriod(step: Int64) {
    if periodKnown {
      periodMicroseconds += (Double(step) - periodMicroseconds) * 0.02
    } else {
      periodMicroseconds = Double(step)
      periodKnown = true
    }
  }
}
