import type { ModelError, ModelErrorCode } from '../../preload/contract/models';
import { DownloadError, type DownloadFailure } from '../../models/manager/download';
import { LicenseRequiredError, ModelManagerError, type ManagerFailure } from '../../models/manager/store';

export class ModelServiceError extends Error {
  override name = 'ModelServiceError';
  constructor(readonly code: ModelErrorCode, message: string) {
    super(message);
  }
}

const fromManager: Record<ManagerFailure, ModelErrorCode> = {
  offline: 'offline', exists: 'exists', bundled: 'bundled', 'not-installed': 'not-found', 'disk-full': 'disk-full', cancelled: 'cancelled', invalid: 'failed',
};
const fromDownload: Record<DownloadFailure, ModelErrorCode> = {
  'not-found': 'not-found', checksum: 'checksum', network: 'network', cancelled: 'cancelled', 'disk-full': 'disk-full', http: 'failed',
};

/** Any error of the service or the manager as the contract's ModelError; the message is the manager's own. */
export function toModelError(error: unknown): ModelError {
  if (error instanceof LicenseRequiredError) return { code: 'license-required', message: error.message.replace(/\. Run again with --accept-license to accept it and install$/, ''), license: error.license };
  if (error instanceof ModelServiceError) return { code: error.code, message: error.message };
  if (error instanceof ModelManagerError) return { code: fromManager[error.failure], message: error.message };
  if (error instanceof DownloadError) {
    const code = fromDownload[error.failure];
    const hint = code === 'network' ? ' (are you offline? Check the connection, or import a folder you downloaded yourself)' : '';
    return { code, message: `${error.message}${hint}` };
  }
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (errno === 'ENOSPC') return { code: 'disk-full', message: `not enough disk space: ${message}` };
  if (errno === 'ENOENT') return { code: 'not-found', message };
  if (errno === 'EACCES' || errno === 'EPERM') return { code: 'not-allowed', message };
  return { code: 'failed', message };
}
