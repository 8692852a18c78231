import MotionCore
import Testing

@testable import MotionInput

@Suite("Report-rate meter")
struct DeviceRateMeterTests {
  private func report(_ microseconds: Int64) -> InputEvent {
    InputEvent(
      timeMicroseconds: microseconds, type: EventCode.synType, code: EventCode.synReport, value: 0)
  }

  @Test("steady 250 Hz: rate 250, no jitter")
  func steady() {
    var meter = ReportRateMeter()
    for index in 0..<11 {
      meter.observe(report(Int64(index) * 4000))
      meter.observe(MotionFrame(timeSeconds: Double(index) * 0.004, accelerationG: .zero))
    }
    #expect(meter.frameCount == 11)
    #expect(meter.reportCount == 11)
    #expect(abs((meter.frames.rateHz ?? 0) - 250) < 1e-6)
    #expect(meter.frames.standardDeviationSeconds < 1e-12)
    #expect(abs(meter.frames.maximumSeconds - 0.004) < 1e-12)
  }

  @Test("three samples per report count as one report")
  func bursts() {
    var meter = ReportRateMeter()
    for reportIndex in 0..<4 {
      for sample in 0..<3 {
        let arrival = Int64(reportIndex) * 15_000 + Int64(sample) * 30
        meter.observe(report(arrival))
        meter.observe(
          MotionFrame(timeSeconds: Double(reportIndex * 3 + sample) * 0.005, accelerationG: .zero))
      }
    }
    #expect(meter.frameCount == 12)
    #expect(meter.reportCount == 4)
    #expect(abs((meter.reports.rateHz ?? 0) - 1 / 0.015) < 1e-6)
    #expect(abs((meter.frames.rateHz ?? 0) - 200) < 1e-6)
  }

  @Test("jitter is the standard deviation of the intervals; losses are counted, not averaged in")
  func jitterAndLosses() {
    var meter = ReportRateMeter()
    let times = [0.0, 0.003, 0.008, 0.012, 0.015]
    for time in times { meter.observe(MotionFrame(timeSeconds: time, accelerationG: .zero)) }
    // Intervals 3, 5, 4, 3 ms: mean 3.75, sample standard deviation 0.9574 ms.
    #expect(abs(meter.frames.meanSeconds - 0.00375) < 1e-12)
    #expect(abs(meter.frames.standardDeviationSeconds - 0.000957427) < 1e-8)
    meter.observe(MotionFrame(timeSeconds: 0.5, accelerationG: .zero, framesLostBefore: true))
    #expect(meter.lossCount == 1)
    #expect(meter.frames.count == 4)
    #expect(abs(meter.frames.maximumSeconds - 0.005) < 1e-12)
  }

  @Test("a single frame gives no rate")
  func tooFew() {
    var meter = ReportRateMeter()
    meter.observe(MotionFrame(timeSeconds: 1, accelerationG: .zero))
    #expect(meter.frames.rateHz == nil)
    #expect(meter.frames.standardDeviationSeconds == 0)
  }
}
