/** A vector or metric string that is not valid CVSS. `metric` names the offending metric when there is one. */
export class CvssError extends Error {
  constructor(
    message: string,
    readonly metric: string | null,
  ) {
    super(message);
    this.name = 'CvssError';
  }
}
