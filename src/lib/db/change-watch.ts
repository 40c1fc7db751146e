import { AliasNode, ColumnNode, TableNode } from 'kysely';
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  OperationNode,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * Tables whose rows decide who a signed-in reader is and which keys their pages show: the
 * session, its user, their memberships and roles, the accounts' names and the test keys.
 * A process may keep what it read of them (the session cache in src/lib/auth/session.ts)
 * only until one of them changes.
 */
const READER_TABLES = new Set(['sessions', 'users', 'memberships', 'accounts', 'api_keys']);
const READER_TABLE_NAMES = [...READER_TABLES];

/**
 * New rows that cannot change what an existing session reads: a new session, user or
 * account is not yet anyone's membership. (A new key or membership can, and counts.)
 */
const INSERTS_THAT_CHANGE_NOTHING = new Set(['sessions', 'users', 'accounts']);

/**
 * Columns written on busy paths that no reader's page shows: when an update sets only these,
 * the cached readers stay true. Anything not listed here counts as a change, so a column that
 * pages come to read later is safe by default.
 */
const COLUMNS_NO_READER_SHOWS: Record<string, ReadonlySet<string>> = {
  // Every sandbox request marks its key used (at most once a minute per key).
  api_keys: new Set(['last_used_at']),
  // A guest sandbox's activity, on each of its requests.
  accounts: new Set(['last_active_at']),
};

/** Raw SQL that writes or reshapes a table; checked only for queries Kysely did not build. */
const RAW_WRITE = /^\s*(?:with\b[\s\S]*?\b)?(?:insert|update|delete|replace|alter|drop|truncate)\b/i;

/**
 * Counts the changes to the reader tables made through one database handle. A reader read
 * while the count stayed the same is still true, as long as that handle is the only writer:
 * an SQLite file that one process serves (see the session cache in src/lib/auth/session.ts).
 *
 * The count moves only once a change is visible to every later read: after a statement that
 * is its own transaction, and after the COMMIT of a transaction that wrote a reader table.
 * So a read that began before the change either saw it or ends with a different count.
 */
export class ChangeWatch {
  #generation = 0;

  get generation(): number {
    return this.#generation;
  }

  /** A change became visible. */
  noteChange(): void {
    this.#generation++;
  }
}

/** True when the query may change what a session lookup reads. */
export function changesReaders(query: CompiledQuery): boolean {
  const node = query.query;
  switch (node.kind) {
    case 'InsertQueryNode': {
      const table = tableName(node.into);
      return table !== null && READER_TABLES.has(table) && !INSERTS_THAT_CHANGE_NOTHING.has(table);
    }
    case 'UpdateQueryNode': {
      const table = tableName(node.table);
      if (table === null) return true;
      if (!READER_TABLES.has(table)) return false;
      const harmless = COLUMNS_NO_READER_SHOWS[table];
      const columns = node.updates?.map((update) => columnName(update.column)) ?? [];
      return !harmless || columns.length === 0 || columns.some((column) => !harmless.has(column ?? ''));
    }
    case 'DeleteQueryNode': {
      const tables = node.from.froms.map(tableName);
      return tables.some((table) => table === null || READER_TABLES.has(table));
    }
    case 'SelectQueryNode':
      return false;
    default:
      // Raw SQL (migrations, hand-written statements): a write that names a reader table.
      // Every sandbox write is such a query (compiled once, see prepared-statement.ts): this runs
      // on each, so it is kept to one anchored test and a few substring searches.
      return RAW_WRITE.test(query.sql) && READER_TABLE_NAMES.some((table) => query.sql.includes(table));
  }
}

/** The table a node names, or null when it is not a plain table (an alias, a join, a subquery). */
function tableName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableName(node.node);
  return null;
}

function columnName(node: OperationNode): string | null {
  return ColumnNode.is(node) ? node.column.name : null;
}

/**
 * The dialect with its connections watched: every statement that changes a reader table moves
 * `watch`'s count once the change is visible. Everything else passes through untouched.
 */
export function watchedDialect(dialect: Dialect, watch: ChangeWatch): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => dialect.createIntrospector(db),
    createDriver: () => new WatchedDriver(dialect.createDriver(), watch),
  };
}

/** What the watch keeps of one connection lent out by the driver. */
interface ConnectionState {
  inner: DatabaseConnection;
  inTransaction: boolean;
  /** A reader table was written in the transaction under way. */
  changed: boolean;
}

class WatchedDriver implements Driver {
  readonly #inner: Driver;
  readonly #watch: ChangeWatch;
  readonly #states = new WeakMap<DatabaseConnection, ConnectionState>();
  readonly #watchedOf = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(inner: Driver, watch: ChangeWatch) {
    this.#inner = inner;
    this.#watch = watch;
    // Savepoints are optional for a driver; offer them only where the real one has them.
    if (inner.savepoint)
      this.savepoint = (c, name, compile) => inner.savepoint!(this.#unwrap(c), name, compile);
    if (inner.rollbackToSavepoint)
      this.rollbackToSavepoint = (c, name, compile) =>
        inner.rollbackToSavepoint!(this.#unwrap(c), name, compile);
    if (inner.releaseSavepoint)
      this.releaseSavepoint = (c, name, compile) => inner.releaseSavepoint!(this.#unwrap(c), name, compile);
  }

  savepoint?: Driver['savepoint'];
  rollbackToSavepoint?: Driver['rollbackToSavepoint'];
  releaseSavepoint?: Driver['releaseSavepoint'];

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    // Drivers lend the same connection objects again and again (SQLite has only one), so each
    // gets its watched stand-in once.
    let watched = this.#watchedOf.get(inner);
    if (!watched) {
      watched = this.#watchConnection(inner);
      this.#watchedOf.set(inner, watched);
    }
    return watched;
  }

  #watchConnection(inner: DatabaseConnection): DatabaseConnection {
    const state: ConnectionState = { inner, inTransaction: false, changed: false };
    const watch = this.#watch;
    const executeQuery = async <R>(query: CompiledQuery, ...rest: unknown[]): Promise<QueryResult<R>> => {
      const run = inner.executeQuery as (...args: unknown[]) => Promise<QueryResult<R>>;
      const result = await run.call(inner, query, ...rest);
      if (changesReaders(query)) {
        if (state.inTransaction) state.changed = true;
        else watch.noteChange();
      }
      return result;
    };
    // A proxy, so that whatever else the driver's connection offers (cancelling, streaming)
    // still works, called on the real connection.
    const watched = new Proxy(inner, {
      get(target, property) {
        if (property === 'executeQuery') return executeQuery;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    this.#states.set(watched, state);
    return watched;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.#inner.beginTransaction(this.#unwrap(connection), settings);
    const state = this.#states.get(connection)!;
    state.inTransaction = true;
    state.changed = false;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const state = this.#states.get(connection)!;
    try {
      await this.#inner.commitTransaction(state.inner);
    } finally {
      // A failed COMMIT may still have committed (the answer lost on the way): count it anyway.
      const changed = state.changed;
      state.inTransaction = false;
      state.changed = false;
      if (changed) this.#watch.noteChange();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const state = this.#states.get(connection)!;
    state.inTransaction = false;
    state.changed = false;
    await this.#inner.rollbackTransaction(state.inner);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(this.#unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#states.get(connection)?.inner ?? connection;
  }
}

/**
 * Each open database's watch. Kept on globalThis because the server's modules and Astro's
 * bundled copy of them share one database (see src/lib/db/index.ts), and both must find it.
 */
const SLOT = Symbol.for('keyway.change-watches');
type Holder = { [SLOT]?: WeakMap<Kysely<any>, ChangeWatch> };

function watches(): WeakMap<Kysely<any>, ChangeWatch> {
  const holder = globalThis as Holder;
  holder[SLOT] ??= new WeakMap();
  return holder[SLOT];
}

/** Records the watch of a database just opened. */
export function registerChangeWatch(db: Kysely<any>, watch: ChangeWatch): void {
  watches().set(db, watch);
}

/**
 * The watch of an SQLite database opened by openDatabase; undefined for PostgreSQL, for a
 * transaction, or for a database opened another way, whose reads then must not be cached.
 */
export function changeWatchOf(db: Kysely<any>): ChangeWatch | undefined {
  return watches().get(db);
}
