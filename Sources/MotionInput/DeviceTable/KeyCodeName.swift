import CLibevdev

/// The codes of key and button names (`EV_KEY`), as `linux/input-event-codes.h` spells them
/// (`"BTN_TR"`, `"KEY_NEXT"`). libevdev carries the kernel's name table, so any code the header
/// names is accepted without a copy of it here.
public enum KeyCodeName {
  /// The code named `name`, or `nil` when it is not a key or button name.
  public static func code(named name: String) -> UInt16? {
    // Every key and button code is named KEY_… or BTN_… in the header; anything else is a typo
    // or another event type's name.
    guard name.hasPrefix("BTN_") || name.hasPrefix("KEY_") else { return nil }
    let code = libevdev_event_code_from_name(UInt32(EV_KEY), name)
    guard code >= 0, code <= Int32(KEY_MAX) else { return nil }
    return UInt16(code)
  }
}
