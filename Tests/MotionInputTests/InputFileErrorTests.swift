import MotionInput
import Testing

@Test func inputFileErrorNamesFileAndLine() {
  let error = InputFileError(path: "walk.evemu", line: 12, message: "unknown event type 0x1f")
  #expect(error.description == "walk.evemu:12: unknown event type 0x1f")
  #expect(InputFileError(path: "x.csv", message: "empty file").description == "x.csv: empty file")
}
