import MotionInput
import Sessions

/// The count-correcting buttons on the gamepad (or buttons) node paired with the motion node,
/// the same controller: which ones comes from the device table (`padButtons`, e.g. R1/L1 on a
/// DualSense, SR/SL on a single Joy-Con, Plus/Minus on a Wii Remote). Read without blocking
/// between frames.
final class PadButtons {
  let path: String
  let buttons: PadButtonMapping
  private let device: EvdevDevice
  private let addOneCode: UInt16?
  private let takeOneOffCode: UInt16?

  /// `nil` when the motion node has no paired pad, the pad cannot be opened, or it has neither
  /// button (the keyboard still works then; `notice` says why the buttons will not).
  init?(motionNode: String, buttons: PadButtonMapping, notice: (String) -> Void) {
    guard let udev = try? UdevContext(),
      let node = try? MotionDeviceDiscovery(udev: udev).motionNode(at: motionNode),
      let padPath = node.pairedPadPath
    else { return nil }
    let device: EvdevDevice
    do {
      device = try EvdevDevice(path: padPath)
    } catch {
      // joycond, for one, leaves Nintendo pad nodes readable by root only.
      notice("The controller's buttons on \(padPath) cannot be read (\(error)); use the keyboard.")
      return nil
    }
    // A node may lack a button the table names: hid-nintendo reports no SL/SR for Joy-Cons in
    // the Charging Grip, and a left Joy-Con there has no R.
    let keys = device.description.supportedCodes[EventCode.keyType] ?? []
    func present(_ button: PadButton) -> UInt16? {
      guard let code = button.keyCode else { return nil }
      if keys.contains(code) { return code }
      notice("\(padPath) has no \(button.label) button (\(button.code)); use the keyboard for it.")
      return nil
    }
    addOneCode = present(buttons.addOne)
    takeOneOffCode = present(buttons.takeOneOff)
    guard addOneCode != nil || takeOneOffCode != nil else {
      notice("The controller's buttons on \(padPath) cannot correct the count; use the keyboard.")
      return nil
    }
    self.path = padPath
    self.buttons = buttons
    self.device = device
  }

  /// What the buttons do, for the session's notice ("R1 adds one, L1 takes one off").
  var summary: String {
    var parts: [String] = []
    if addOneCode != nil { parts.append("\(buttons.addOne.label) adds one") }
    if takeOneOffCode != nil { parts.append("\(buttons.takeOneOff.label) takes one off") }
    return parts.joined(separator: ", ")
  }

  func pendingKeys() -> [SessionKey] {
    var keys: [SessionKey] = []
    // A bounded drain: a pad reports little besides buttons and sticks between two frames.
    for _ in 0..<64 {
      guard let result = try? device.nextEvent(.normal) else { break }
      switch result {
      case .event(let event) where event.type == EventCode.keyType && event.value == 1:
        if event.code == addOneCode { keys.append(.plusOne) }
        if event.code == takeOneOffCode { keys.append(.minusOne) }
      case .event, .dropped, .synchronized:
        continue
      case .wouldBlock:
        return keys
      }
    }
    return keys
  }
}
