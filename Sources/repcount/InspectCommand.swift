import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount inspect' is not built yet")
  }
}
