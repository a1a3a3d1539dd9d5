/** Who did something, as the audit log records it. */
export interface Actor {
  userId: number | null;
  name: string;
  ip: string | null;
  requestId: string | null;
}

/** Actions a background job takes on its own (the SLA scan, acceptance expiry). */
export function jobActor(name: string): Actor {
  return { userId: null, name, ip: null, requestId: null };
}

/** Actions taken on the server's own console (`vigil users create`, …) rather than through the API. */
export function consoleActor(command: string): Actor {
  return { userId: null, name: `cli:${command}`, ip: null, requestId: null };
}
