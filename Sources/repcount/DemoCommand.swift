import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "demo", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount demo' is not built yet")
  }
}
