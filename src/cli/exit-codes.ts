import type { ProblemKind } from '../platform/errors.js';

/** What `vigil` exits with, so scripts can tell "already exists" from "server down". */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  invalid: 3,
  conflict: 4,
  notFound: 5,
  denied: 6,
  unreachable: 7,
} as const;

export const exitCodeHelp = `Exit codes:
  0  success
  1  unexpected failure
  2  wrong usage (unknown command or option, missing argument)
  3  invalid input (bad name, path, password, scope, …)
  4  conflict (already exists, still in use)
  5  not found
  6  not allowed (authentication or permission)
  7  the Vigil server could not be reached (remote commands)`;

export function exitCodeFor(kind: ProblemKind): number {
  switch (kind) {
    case 'validation':
    case 'payload-too-large':
    case 'unsupported-media-type':
      return ExitCode.invalid;
    case 'conflict':
      return ExitCode.conflict;
    case 'not-found':
      return ExitCode.notFound;
    case 'unauthorized':
    case 'forbidden':
    case 'insufficient-scope':
    case 'csrf':
    case 'rate-limited':
      return ExitCode.denied;
    default:
      return ExitCode.failure;
  }
}
