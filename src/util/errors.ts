// The error hierarchy: every error a user can cause or meet maps to one exit code and one line.

/** Base class: `exitCode` is what the CLI exits with; the message is the one line it prints. */
export class RollcallError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A mistake in what the user gave us: a flag, a scenario file, a manifest, a duration. Exit 2. */
export class UsageError extends RollcallError {}

/** Something we depend on is missing or broke: Go, a build, a cluster that would not start. Exit 2. */
export class InfraError extends RollcallError {}

/** A scenario's expectation did not hold. Exit 1. */
export class AssertionFailure extends RollcallError {
  override readonly exitCode = 1;
}

/** A provider was asked for an ability it does not have (e.g. adding nodes to an existing cluster). */
export class CapabilityError extends RollcallError {
  constructor(provider: string, capability: string, why: string) {
    super(`provider ${provider} cannot ${capability}: ${why}`);
  }
}

/** Turns anything thrown into the exit code the CLI should use. */
export function exitCodeOf(err: unknown): number {
  return err instanceof RollcallError ? err.exitCode : 2;
}
