/** Keeps the sandbox database image in IndexedDB, so a visitor's approvals and runs survive a reload. */
import type { SnapshotStore } from '../backend/runtime';

const DB_NAME = 'cavra-sandbox';
const STORE = 'snapshots';
const KEY = 'database';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('IndexedDB is not available'));
    };
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => {
        resolve(request.result as T);
      };
      request.onerror = () => {
        reject(request.error ?? new Error('IndexedDB request failed'));
      };
    });
  } finally {
    db.close();
  }
}

/** The IndexedDB snapshot store (one image per browser profile and origin). */
export function indexedDbSnapshots(): SnapshotStore {
  return {
    load: async () => {
      const value = await run<unknown>('readonly', (store) => store.get(KEY));
      return value instanceof Uint8Array ? value : null;
    },
    save: async (image) => {
      await run('readwrite', (store) => store.put(image, KEY));
    },
    clear: async () => {
      await run('readwrite', (store) => store.delete(KEY));
    },
  };
}
