/**
 * @module importers/errors
 * The one error type importers throw for bad input (missing file, unknown compound, bad data).
 * Owns: the distinction "the user's input is wrong" (message only) vs "a bug" (anything else).
 * Does not: print or exit; the CLIs (importers/cli.ts) turn these into a message and exit code 1.
 * Concurrency: n/a (a plain Error subclass).
 */
export class ImportError extends Error {
  override readonly name: string = 'ImportError';
}
