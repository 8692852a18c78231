/// A motion-relevant input node appearing or disappearing.
public struct HotplugEvent: Sendable, Equatable {
  public enum Action: String, Sendable {
    case added = "add"
    case removed = "remove"
  }
  public var action: Action
  public var devicePath: String
  public var syspath: String
  /// The node's name and uniq; empty for a removal (sysfs is already gone by then).
  public var name: String
  public var uniq: String
  /// Whether udev (or the Wii rule) marks it a motion node; only known for additions.
  public var isMotionCandidate: Bool
}

/// Reports `input` event nodes as they are added and removed, through a udev monitor.
public final class HotplugMonitor {
  private let monitor: UdevMonitor

  public init(udev: UdevContext) throws(SystemCallError) {
    monitor = try UdevMonitor(context: udev, subsystem: "input")
  }

  /// Readable when events are waiting (for `poll`).
  public var fileDescriptor: Int32 { monitor.fileDescriptor }

  /// All events waiting now (none if nothing happened), event nodes only.
  public func pendingEvents() -> [HotplugEvent] {
    var events: [HotplugEvent] = []
    while let device = monitor.receive() {
      guard device.sysname.hasPrefix("event"), let path = device.devicePath,
        let action = device.action.flatMap(HotplugEvent.Action.init(rawValue:))
      else { continue }
      var event = HotplugEvent(
        action: action, devicePath: path, syspath: device.syspath, name: "", uniq: "",
        isMotionCandidate: false)
      if action == .added {
        let input = device.ancestor(subsystem: "input")
        event.name = input?.attribute("name") ?? ""
        event.uniq = input?.attribute("uniq") ?? ""
        event.isMotionCandidate = MotionDeviceDiscovery.isCandidate(device)
      }
      events.append(event)
    }
    return events
  }

  /// Waits up to `timeoutMilliseconds` (-1: forever) for events; returns them (possibly none).
  /// Returns `nil` when `interruptDescriptor` became readable (Ctrl-C).
  public func waitForEvents(timeoutMilliseconds: Int32, interruptDescriptor: Int32? = nil)
    throws(SystemCallError) -> [HotplugEvent]?
  {
    var descriptors = [fileDescriptor]
    if let interruptDescriptor { descriptors.append(interruptDescriptor) }
    let ready = try waitForReadable(descriptors, timeoutMilliseconds: timeoutMilliseconds)
    if ready.contains(1) { return nil }
    return ready.contains(0) ? pendingEvents() : []
  }
}
