import Cloud
import JMESPath

/// How a command that failed ends: what it prints, its exit code, and what the world keeps of
/// it (its `FailureResidue`), decided in one place from the error it threw.
enum CommandOutcome {
    case failed(Error, attempt: World)

    func apply(to world: inout World, result out: inout CommandResult) {
        guard case .failed(let thrown, let attempt) = self else { return }
        world.keep(FailureResidue.of(thrown, attempt: attempt, before: world))
        out.stdout = ""
        out.value = nil
        switch FailureResidue.reported(thrown) {
        case let e as CloudError:
            out.stderr += AzureCLI.render(e)
            out.errorCode = e.code
            out.innerErrorCode = e.innerCode
            out.exitCode = e.status == 404 ? 3 : 1
        case let e as CLIError:
            out.stderr += "ERROR: \(e.message)\n"
            out.exitCode = e.exitCode
        case let e as UsageError:
            out.stderr += e.rendered
            out.exitCode = 2
        case let e as JMESPathError:
            out.stderr += "ERROR: \(e.message)\n"
            out.exitCode = 1
        case let e:
            out.stderr += "ERROR: \(e)\n"
            out.exitCode = 1
        }
    }
}
