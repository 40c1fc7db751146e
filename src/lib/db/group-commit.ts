import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Work that writes in a transaction; what it returns is handed back once its writes commit. */
export type TransactionWork<T> = (trx: Transaction<Database>) => Promise<T>;

/**
 * The most pieces of work one shared transaction takes. Under a steady load each commit takes
 * what queued while the one before it ran; the bound keeps one commit's wait short after a
 * burst.
 */
const MAX_WORK_PER_COMMIT = 64;

const SAVEPOINT = CompiledQuery.raw('savepoint group_work');
const RELEASE = CompiledQuery.raw('release savepoint group_work');
const ROLL_BACK = CompiledQuery.raw('rollback to savepoint group_work');

interface Queued {
  work: TransactionWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs pieces of work that arrive together in one transaction, each inside its own savepoint,
 * and commits them once. SQLite has one writer and writes the log at each commit, so a commit
 * per request was the largest cost of a sandbox write; here requests that arrive while one
 * commit is under way share the next. Each piece's promise settles only after the commit that
 * holds its writes, so nothing is acknowledged before it is durable. A piece that throws has
 * its savepoint rolled back, which undoes its writes alone, and gets its own error; if the
 * transaction itself fails (the commit, or an error that made SQLite abandon the transaction),
 * every piece in it is refused, since none of them committed.
 *
 * Work must write through the transaction it is given: the connection is the transaction's
 * until the commit, so a query on the database itself would wait for ever.
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  #queue: Queued[] = [];
  /** The drain under way, if any: it runs until the queue is empty. */
  #draining: Promise<void> | null = null;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run<T>(work: TransactionWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Resolves once every piece of work queued so far has committed or failed. */
  async settled(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      // Work that other requests queue in this turn of the event loop joins this commit.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, MAX_WORK_PER_COMMIT));
    } finally {
      this.#draining = null;
    }
  }

  async #commit(batch: Queued[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      const trx = await this.#db.startTransaction().execute();
      try {
        for (const { work } of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            outcomes.push({ ok: true, value: await work(trx) });
          } catch (error) {
            await trx.executeQuery(ROLL_BACK);
            outcomes.push({ ok: false, error });
          }
          await trx.executeQuery(RELEASE);
        }
        await trx.commit().execute();
      } catch (error) {
        if (!trx.isCommitted && !trx.isRolledBack)
          await trx
            .rollback()
            .execute()
            .catch(() => {});
        throw error;
      }
    } catch (error) {
      for (const queued of batch) queued.reject(error);
      return;
    }
    batch.forEach((queued, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error);
    });
  }
}

/**
 * The group commit of each SQLite database, kept on globalThis: the server's modules and
 * Astro's bundled copy of them share one database (see index.ts), and must share its queue.
 */
const SLOT = Symbol.for('keyway.groupCommits');
type Holder = { [SLOT]?: WeakMap<Kysely<Database>, GroupCommit> };

function registry(): WeakMap<Kysely<Database>, GroupCommit> {
  const holder = globalThis as Holder;
  return (holder[SLOT] ??= new WeakMap());
}

/** Gives an SQLite database a group commit; `openDatabase` does this for every SQLite file. */
export function enableGroupCommit(db: Kysely<Database>): void {
  registry().set(db, new GroupCommit(db));
}

/**
 * Runs work in a transaction and gives its result once it has committed: on SQLite in a
 * commit shared with the other work of the moment, on PostgreSQL (many connections, each
 * committing on its own) in a transaction of its own.
 */
export function inTransaction<T>(db: Kysely<Database>, work: TransactionWork<T>): Promise<T> {
  const group = registry().get(db);
  return group ? group.run(work) : db.transaction().execute(work);
}

/** Waits for the writes queued on a database's group commit, before it is closed. */
export async function settleGroupCommit(db: Kysely<Database>): Promise<void> {
  await registry().get(db)?.settled();
}
