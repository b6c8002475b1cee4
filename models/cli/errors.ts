/** A problem with what the user typed or gave: printed as one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
