import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct DevicesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount devices' is not built yet")
  }
}
