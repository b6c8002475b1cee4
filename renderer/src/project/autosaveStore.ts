// Autosave storage in the browser: one IndexedDB database holding the latest autosave bytes
// and when the artist last saved explicitly. IndexedDB writes are transactional, so a crash
// mid-write leaves the previous autosave intact (the atomicity main gives real files).
const DB_NAME = '4m-studio';
const STORE = 'recovery';
const AUTOSAVE_KEY = 'autosave';
const EXPLICIT_KEY = 'explicit-save';

export interface AutosaveRecord {
  readonly bytes: Uint8Array;
  /** Wall clock, ms since epoch. */
  readonly savedAt: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB: could not open the recovery store'));
  });
}

async function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result as T);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB: transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB: transaction aborted'));
    });
  } finally {
    db.close();
  }
}

function isRecord(v: unknown): v is AutosaveRecord {
  return !!v && typeof v === 'object' && 'bytes' in v && v.bytes instanceof Uint8Array && 'savedAt' in v && typeof v.savedAt === 'number';
}

export async function readAutosave(): Promise<AutosaveRecord | null> {
  const v = await run<unknown>('readonly', (s) => s.get(AUTOSAVE_KEY));
  return isRecord(v) ? v : null;
}

export async function writeAutosave(record: AutosaveRecord): Promise<void> {
  await run('readwrite', (s) => s.put({ bytes: record.bytes, savedAt: record.savedAt }, AUTOSAVE_KEY));
}

export async function deleteAutosave(): Promise<void> {
  await run('readwrite', (s) => s.delete(AUTOSAVE_KEY));
}

export async function readExplicitSaveTime(): Promise<number | null> {
  const v = await run<unknown>('readonly', (s) => s.get(EXPLICIT_KEY));
  return typeof v === 'number' ? v : null;
}

export async function writeExplicitSaveTime(ms: number): Promise<void> {
  await run('readwrite', (s) => s.put(ms, EXPLICIT_KEY));
}
