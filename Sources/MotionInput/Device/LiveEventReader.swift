#if canImport(Glibc)
  import Glibc
#endif

/// Reads raw events from a live evdev node through libevdev: non-blocking open,
/// `CLOCK_MONOTONIC` event times, `SYN_DROPPED` passed on and followed by libevdev's resync
/// (`LIBEVDEV_READ_FLAG_SYNC`), and an unplug noticed both from the read (`ENODEV`) and from a
/// udev "remove". With `waitForDevice` it waits for the same controller (same uniq, else same
/// name) to come back and carries on, handing out a `SYN_DROPPED` so the gap is marked.
public final class LiveEventReader {
  public private(set) var devicePath: String
  /// How many times the device came back after an unplug. The node it came back as may have a
  /// new path or (the kernel reuses free event numbers) the same one: either way it is a new
  /// device, and descriptors on the old one's other nodes are dead.
  public private(set) var reconnections = 0
  /// The node's description as it was when first opened (a recording's header).
  public let device: InputDeviceDescription
  public let waitForDevice: Bool
  /// Readable on Ctrl-C (see `InterruptSignal`); `next` then returns `.interrupted`.
  public var interruptDescriptor: Int32?
  /// Called with one-line notices for the user (disconnected, waiting, reconnected, warnings).
  public var notice: (String) -> Void

  private let udev: UdevContext
  private let hotplug: HotplugMonitor
  private var evdev: EvdevDevice?
  private var syspath: String
  private var resynchronising = false
  private var removalNoticed = false
  private var pendingReconnectMarker = false
  private var pendingReconnectReport = false
  /// Time of the last event handed out: the synthetic reconnect events reuse it so that event
  /// times never go backwards in a recording.
  private var lastEventMicroseconds: Int64 = 0

  public enum Outcome: Equatable {
    case event(InputEvent)
    case timedOut
    case interrupted
  }

  /// Opens `devicePath`. Throws `LiveDeviceError.permissionDenied` (with the fix) on `EACCES`.
  public init(
    devicePath: String, waitForDevice: Bool, udev: UdevContext, interruptDescriptor: Int32? = nil,
    notice: @escaping (String) -> Void = { _ in }
  ) throws(LiveDeviceError) {
    self.notice = notice
    self.devicePath = devicePath
    self.waitForDevice = waitForDevice
    self.udev = udev
    self.interruptDescriptor = interruptDescriptor
    do {
      // The monitor first, so a removal right after the open is not missed.
      hotplug = try HotplugMonitor(udev: udev)
    } catch {
      throw .system(error)
    }
    let opened = try Self.openNode(devicePath, notice: notice)
    evdev = opened
    device = opened.description
    syspath = udev.device(devicePath: devicePath)?.syspath ?? ""
  }

  static func openNode(_ path: String, notice: (String) -> Void = { _ in }) throws(LiveDeviceError)
    -> EvdevDevice
  {
    let device: EvdevDevice
    do {
      device = try EvdevDevice(path: path)
    } catch {
      throw LiveDeviceError.opening(path, error)
    }
    do {
      try device.useMonotonicClock()
    } catch {
      // Every kernel since 3.4 supports EVIOCSCLOCKID; umockdev's ioctl emulation does not.
      // Frame times only fall back to event times on nodes without MSC_TIMESTAMP, so carry on
      // and say so rather than refuse the device.
      notice(
        "warning: \(path): cannot select CLOCK_MONOTONIC for event times (\(error)); using the"
          + " kernel's default clock.")
    }
    return device
  }

  /// The next raw event, waiting up to `timeoutMilliseconds` (-1: no limit). Throws
  /// `LiveDeviceError.disconnected` when the device goes away and `waitForDevice` is off.
  public func next(timeoutMilliseconds: Int32 = -1) throws(LiveDeviceError) -> Outcome {
    let deadline =
      timeoutMilliseconds < 0 ? nil : monotonicMicroseconds() + Int64(timeoutMilliseconds) * 1000
    while true {
      if pendingReconnectMarker {
        // A SYN_DROPPED and an empty resync report: the FrameAssembler (live, and later the
        // recording's reader) marks the next real frame as following a loss.
        pendingReconnectMarker = false
        pendingReconnectReport = true
        return .event(
          InputEvent(
            timeMicroseconds: lastEventMicroseconds, type: EventCode.synType,
            code: EventCode.synDropped, value: 0))
      }
      if pendingReconnectReport {
        pendingReconnectReport = false
        return .event(
          InputEvent(
            timeMicroseconds: lastEventMicroseconds, type: EventCode.synType,
            code: EventCode.synReport, value: 0))
      }
      guard let evdev else {
        if try reconnect(deadline: deadline) { return .interrupted }
        if self.evdev == nil { return .timedOut }
        continue
      }
      let result: EvdevDevice.ReadResult
      do {
        result = try evdev.nextEvent(resynchronising ? .sync : .normal)
      } catch {
        if error.isDeviceGone {
          try deviceGone()
          continue
        }
        throw .system(error)
      }
      switch result {
      case .event(let event):
        lastEventMicroseconds = event.timeMicroseconds
        return .event(event)
      case .dropped(let event):
        lastEventMicroseconds = event.timeMicroseconds
        resynchronising = true
        return .event(event)
      case .synchronized:
        resynchronising = false
        continue
      case .wouldBlock:
        if removalNoticed {
          // udev said the device is gone and everything it delivered has been read.
          removalNoticed = false
          try deviceGone()
          continue
        }
      }
      var descriptors = [evdev.fileDescriptor, hotplug.fileDescriptor]
      if let interruptDescriptor { descriptors.append(interruptDescriptor) }
      let ready: [Int]
      do {
        ready = try waitForReadable(descriptors, timeoutMilliseconds: remaining(until: deadline))
      } catch {
        throw .system(error)
      }
      if ready.contains(2) { return .interrupted }
      if ready.contains(1) {
        let removed = hotplug.pendingEvents().contains {
          $0.action == .removed && ($0.devicePath == devicePath || $0.syspath == syspath)
        }
        if removed {
          // Read what the device delivered before it went, then report it gone.
          removalNoticed = true
          continue
        }
      }
      if ready.isEmpty, let deadline, monotonicMicroseconds() >= deadline { return .timedOut }
    }
  }

  private func deviceGone() throws(LiveDeviceError) {
    evdev = nil
    resynchronising = false
    removalNoticed = false
    guard waitForDevice else {
      throw .disconnected(path: devicePath, name: device.name)
    }
    notice(
      "\(devicePath) (\(device.name)) disconnected; waiting for it to come back (Ctrl-C to stop).")
  }

  /// Waits (until `deadline`) for a node of the same controller to appear and opens it.
  /// Returns `true` when interrupted.
  private func reconnect(deadline: Int64?) throws(LiveDeviceError) -> Bool {
    while evdev == nil {
      let events: [HotplugEvent]?
      do {
        events = try hotplug.waitForEvents(
          timeoutMilliseconds: remaining(until: deadline), interruptDescriptor: interruptDescriptor)
      } catch {
        throw .system(error)
      }
      guard let events else { return true }
      for event in events where event.action == .added && matches(event) {
        guard let reopened = try? Self.openNode(event.devicePath, notice: notice) else { continue }
        evdev = reopened
        devicePath = event.devicePath
        syspath = event.syspath
        reconnections += 1
        pendingReconnectMarker = true
        notice("\(device.name) is back as \(event.devicePath); continuing.")
        return false
      }
      if let deadline, monotonicMicroseconds() >= deadline { return false }
    }
    return false
  }

  private func matches(_ event: HotplugEvent) -> Bool {
    if !device.uniq.isEmpty { return event.uniq == device.uniq && event.name == device.name }
    return event.name == device.name
  }

  private func remaining(until deadline: Int64?) -> Int32 {
    guard let deadline else { return -1 }
    let left = (deadline - monotonicMicroseconds() + 999) / 1000
    return Int32(clamping: max(0, left))
  }
}

/// `CLOCK_MONOTONIC` now, in microseconds: the clock the event times use.
func monotonicMicroseconds() -> Int64 {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
}
