export { saveProject } from './save';
export { restoreProject, restoreProjectReport, tryRestoreProject, type RestoreResult } from './restore';
export { ProjectError, type ProjectErrorCode } from './errors';
export { FORMAT_VERSION, migrateHeader } from './migrate';
export { MAGIC } from './container';
export * from './autosave';
