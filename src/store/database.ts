// The SQLite connection: WAL so readers (TUI, API, a second CLI) never block the writer; a busy timeout so two
// orch processes wait for each other instead of failing; every write a transaction that also appends its events.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { OrchError } from '../domain/errors.ts';
import type { OrchEvent } from '../domain/records.ts';
import { migrate } from './migrations.ts';
import { storeErrorFrom } from './sqlite-errors.ts';

export type EventListener = (event: OrchEvent) => void;

export interface NewEvent {
  runId: string | null;
  attemptId?: string | null;
  type: string;
  data?: Record<string, unknown>;
}

export class StoreCore {
  readonly db: Database.Database;
  private readonly listeners = new Set<EventListener>();
  private pendingEvents: OrchEvent[] = [];
  private depth = 0;
  /** Prepared once per connection: preparing is a parse and plan on every call otherwise. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
    } catch (cause) {
      throw new OrchError('store', `Cannot open the orch database at ${path}: ${(cause as Error).message}`, {
        hint: 'Check that ORCH_HOME points to a writable directory with free space.',
        cause,
      });
    }
    try {
      // The busy timeout first: two orch processes opening a new database at once must wait for each other.
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('synchronous = NORMAL');
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw storeErrorFrom(path, error);
    }
  }

  /** Run `fn` in one IMMEDIATE transaction; events appended inside are published only after it commits. */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    try {
      const result = this.db.transaction(fn).immediate();
      const events = this.pendingEvents;
      this.pendingEvents = [];
      for (const event of events) this.publish(event);
      return result;
    } catch (error) {
      this.pendingEvents = [];
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** The statement for `sql`, prepared on first use and kept for the life of the connection. */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Append an event. Call inside `tx` together with the state change it records. */
  appendEvent(event: NewEvent): OrchEvent {
    const at = new Date().toISOString();
    const data = event.data ?? {};
    const info = this
      .prepare('INSERT INTO events (run_id, attempt_id, type, data_json, at) VALUES (?, ?, ?, ?, ?)')
      .run(event.runId, event.attemptId ?? null, event.type, JSON.stringify(data), at);
    const stored: OrchEvent = {
      seq: Number(info.lastInsertRowid),
      runId: event.runId,
      attemptId: event.attemptId ?? null,
      type: event.type,
      data,
      at,
    };
    if (this.depth > 0) this.pendingEvents.push(stored);
    else this.publish(stored);
    return stored;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(event: OrchEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener (a closed terminal, a dropped SSE client) must not break a committed write.
      }
    }
  }

  close(): void {
    this.listeners.clear();
    this.statements.clear();
    this.db.close();
  }
}

export const nowIso = (): string => new Date().toISOString();
export const toJson = (value: unknown): string => JSON.stringify(value);
export function fromJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
