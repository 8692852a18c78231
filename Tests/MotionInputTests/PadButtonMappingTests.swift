import Testing

@testable import MotionInput

/// The `padButtons` field of the device table: key names resolve through libevdev, and every
/// built-in choice names real codes (which driver sets which code is in Calibration/README.md).
@Suite struct PadButtonMappingTests {
  @Test func keyNamesResolveThroughLibevdev() {
    #expect(KeyCodeName.code(named: "BTN_TR") == 0x137)
    #expect(KeyCodeName.code(named: "BTN_TL2") == 0x138)
    #expect(KeyCodeName.code(named: "KEY_NEXT") == 0x197)
    #expect(KeyCodeName.code(named: "KEY_PREVIOUS") == 0x19C)
    // The header's aliases too: BTN_A is BTN_SOUTH.
    #expect(KeyCodeName.code(named: "BTN_A") == 0x130)
  }

  @Test(arguments: ["ABS_X", "SYN_REPORT", "BTN_NOPE", "btn_tr", "BTN_", ""])
  func otherNamesAreRefused(_ name: String) {
    #expect(KeyCodeName.code(named: name) == nil)
  }

  @Test func entriesWithoutTheirOwnButtonsUseTheShoulderButtons() throws {
    let standard = PadButtonMapping.standard
    #expect(standard.addOne.keyCode == 0x137)  // BTN_TR
    #expect(standard.takeOneOff.keyCode == 0x136)  // BTN_TL
    let grip = try #require(DeviceTable.builtIn.entry(id: "nintendo-charging-grip"))
    #expect(grip.padButtons == nil)
    #expect(grip.padButtonsOrStandard == standard)
  }

  @Test func everyBuiltInChoiceNamesTwoDifferentRealButtons() throws {
    let entries = try DeviceTable.loadBuiltIn().entries.filter { $0.padButtons != nil }
    #expect(entries.count >= 8)
    for entry in entries {
      let buttons = try #require(entry.padButtons)
      let add = try #require(buttons.addOne.keyCode, "\(entry.id) addOne")
      let takeOff = try #require(buttons.takeOneOff.keyCode, "\(entry.id) takeOneOff")
      #expect(add != takeOff, "\(entry.id)")
      #expect(!buttons.addOne.label.isEmpty && !buttons.takeOneOff.label.isEmpty, "\(entry.id)")
    }
  }
}
