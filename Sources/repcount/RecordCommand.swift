import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount record' is not built yet")
  }
}
