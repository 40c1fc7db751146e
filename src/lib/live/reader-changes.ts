import { randomUUID } from 'node:crypto';
import type { ChangeWatch } from '../db/change-watch.ts';
import type { RequestBus } from './request-bus.ts';

/**
 * Carries changes to what signed-in readers are read from between processes sharing one
 * PostgreSQL database: each change this process makes visible is told to the others, and each
 * one they tell of moves this process's count, so no process shows a revoked key or a removed
 * member from its cache once the notice has arrived. (One SQLite process needs none of this:
 * its own writes move its count.) Returns the function that stops it.
 */
export function shareReaderChanges(bus: RequestBus, watch: ChangeWatch): () => void {
  const self = randomUUID();
  const stopTelling = watch.onLocalChange(() => bus.publishReaderChange({ from: self }));
  const stopHearing = bus.subscribeReaderChanges((change) => {
    if (change.from !== self) watch.noteRemoteChange();
  });
  return () => {
    stopTelling();
    stopHearing();
  };
}
