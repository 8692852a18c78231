import Foundation
import MotionCore
import Testing

@testable import Sessions

/// Frames at 100 Hz from `start` for `seconds`, with up along `up` (read `scale` g) and the
/// given angular velocity; a small alternating wobble stands for sensor noise.
private func frames(
  from start: Double, seconds: Double, up: Vector3, scale: Double = 1,
  angularVelocityDPS: Vector3? = Vector3(0.3, -0.2, 0.1)
) -> [MotionFrame] {
  (0..<Int(seconds * 100)).map { index in
    let wobble = index.isMultiple(of: 2) ? 0.004 : -0.004
    return MotionFrame(
      timeSeconds: start + Double(index) / 100,
      accelerationG: up * scale + Vector3(wobble, -wobble, 0),
      angularVelocityDPS: angularVelocityDPS)
  }
}

private func rests(_ frames: [MotionFrame]) -> [(seconds: Double, up: Vector3)] {
  var watcher = RestWatcher()
  return frames.compactMap { frame in watcher.process(frame).map { (frame.timeSeconds, $0) } }
}

@Suite struct RestWatcherTests {
  @Test func aRestIsReportedOnceAfterItsDuration() throws {
    let found = rests(frames(from: 10, seconds: 4, up: Vector3(0, 0, 1)))
    #expect(found.count == 1)
    let rest = try #require(found.first)
    #expect(abs(rest.seconds - 10 - RestWatcher.restSeconds) < 0.05)
    #expect(rest.up.angleDegrees(to: Vector3(0, 0, 1)) < 1)
  }

  @Test func turningBetweenRestsGivesTheNewUp() throws {
    let lying = Vector3(0, 0, 1)
    let standing = Vector3(1, 0, 0)
    // Up swings from lying to standing over 2 s while the gyroscope reads the turn (45 °/s).
    let swing = (0..<200).map { index -> MotionFrame in
      let angle = Double(index) / 200 * Double.pi / 2
      return MotionFrame(
        timeSeconds: 3 + Double(index) / 100,
        accelerationG: lying * cos(angle) + standing * sin(angle),
        angularVelocityDPS: Vector3(0, 45, 0))
    }
    let found = rests(
      frames(from: 0, seconds: 3, up: lying) + swing + frames(from: 5, seconds: 3, up: standing))
    #expect(found.count == 2)
    let last = try #require(found.last)
    #expect(last.up.angleDegrees(to: standing) < 1)
    #expect(last.seconds > 5)
  }

  @Test func spinningAboutUpIsNotARest() {
    // Up does not move, but the device spins about it at 30 °/s: not at rest.
    let spinning = frames(
      from: 0, seconds: 3, up: Vector3(0, 0, 1), angularVelocityDPS: Vector3(0, 0, 30))
    #expect(rests(spinning).isEmpty)
  }

  @Test func lostFramesStartTheRestAgain() throws {
    var stream = frames(from: 0, seconds: 0.6, up: Vector3(0, 0, 1))
    var after = frames(from: 0.6, seconds: 2, up: Vector3(0, 0, 1))
    after[0].framesLostBefore = true
    stream += after
    let rest = try #require(rests(stream).first)
    #expect(rest.seconds >= 0.6 + RestWatcher.restSeconds - 0.02)
  }

  /// Cheap accelerometers read several per cent off: a rest is judged against the device's own
  /// mean, not against 1 g.
  @Test func aScaleErrorDoesNotHideARest() {
    let found = rests(
      frames(from: 0, seconds: 3, up: Vector3(0, 0.6, 0.8), scale: 1.07, angularVelocityDPS: nil))
    #expect(found.count == 1)
  }
}
