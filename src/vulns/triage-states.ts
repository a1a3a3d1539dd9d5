/** Triage states and dismissal reasons, as GitLab names them (and users know them). */
export const STATES = ['detected', 'confirmed', 'dismissed', 'resolved'] as const;
export type VulnerabilityState = (typeof STATES)[number];

export const DISMISSAL_REASONS = ['acceptable_risk', 'false_positive', 'mitigating_control', 'used_in_tests', 'not_applicable'] as const;
export type DismissalReason = (typeof DISMISSAL_REASONS)[number];

/** States in which a vulnerability still needs work: detection keeps them, absence may resolve them. */
export const OPEN_STATES = ['detected', 'confirmed'] as const satisfies readonly VulnerabilityState[];

export function isOpen(state: string): boolean {
  return (OPEN_STATES as readonly string[]).includes(state);
}
