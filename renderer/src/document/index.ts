// Public surface of the framework-free document core.
export * from './types';
export * from './manifest';
export * from './rect';
export { createPlane, clonePlane, readRect, writeRect } from './plane';
export { createDocument, createLayer, emptyContent, tokenCount, UNLABELED_CLASS } from './create';
export { applyDelta, invertDelta, deltaBytes, DeltaError, type Delta } from './deltas';
export { History, DEFAULT_HISTORY_BUDGET_BYTES, type HistoryEntry } from './history';
export { ContentRevisions, type RevisionSnapshot } from './revisions';
export { ParkedDocuments, PARKED_HISTORY_BUDGET_BYTES, type Parked } from './parking';
export { DocumentStore, type ParkedStore, type Update, type ApplyOptions, type DocumentChange, type ChangeListener, type StoreOptions } from './store';
export * from './commands';
export { isOnCanvas, makeGalleryEntry, resultLayersText, useProblem, type GalleryEntryInput } from './gallery';
export * from './project/index';
export { documentManifestFromModel } from './fromModelManifest';
export { adoptModel } from './adoptModel';
export { layoutIdentity, modelRecordOf, type ModelRecord } from './modelRecord';
