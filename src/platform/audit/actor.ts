/** Who did something, as the audit log records it. */
export interface Actor {
  userId: number | null;
  name: string;
  ip: string | null;
  requestId: string | null;
}

/** Actions taken on the server's own console (`vigil users create`, …) rather than through the API. */
export function consoleActor(command: string): Actor {
  return { userId: null, name: `cli:${command}`, ip: null, requestId: null };
}
