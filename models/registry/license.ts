/** Model licences: what is shown, and whether `add` needs an explicit acceptance. Pure. */
import { z } from 'zod';

export const LicenseInfo = z.object({
  name: z.string().min(1),
  url: z.string().optional(),
  /** Use restricted to non-commercial purposes: shown prominently and must be accepted before use. */
  nonCommercial: z.boolean(),
  summary: z.string().optional(),
});
export type LicenseInfo = z.infer<typeof LicenseInfo>;

export function needsAcceptance(license: LicenseInfo | undefined): boolean {
  return license?.nonCommercial === true;
}

/** One line for listings. */
export function licenseLine(license: LicenseInfo | undefined, acceptedAt?: string): string {
  if (!license) return 'licence not stated';
  const nc = license.nonCommercial ? ' — NON-COMMERCIAL' : '';
  const accepted = acceptedAt ? ` (accepted ${acceptedAt.slice(0, 10)})` : '';
  return `${license.name}${nc}${accepted}`;
}

/** The refusal `add` gives until the user accepts. */
export function acceptanceMessage(what: string, license: LicenseInfo): string {
  const summary = license.summary ? `: ${license.summary}` : '';
  const url = license.url ? `; read it at ${license.url}` : '';
  return `${what} is under the ${license.name}${summary}${url}. Run again with --accept-license to accept it and install`;
}
