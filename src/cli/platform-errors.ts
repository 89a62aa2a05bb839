// Failures of the machine rather than of orch — a full disk, a damaged database — that reach the CLI edge as plain
// errors (from SQLite or the file system): turned into orch errors that say what happened and what to do.
import { OrchError } from '../domain/errors.ts';
import { orchPaths, resolveOrchHome } from '../domain/paths.ts';
import { diskFullError, isDiskFullAt, storeErrorFrom } from '../store/sqlite-errors.ts';

export function platformError(error: unknown): unknown {
  if (error instanceof OrchError) return error;
  let database = 'the orch database';
  let home = '$ORCH_HOME';
  try {
    home = resolveOrchHome();
    database = orchPaths(home).database;
  } catch {
    // ORCH_HOME itself is bad; the names above still say which file is meant.
  }
  const path = (error as { path?: unknown }).path;
  if (isDiskFullAt(typeof path === 'string' ? path : home, error)) return diskFullError(typeof path === 'string' ? path : home, error, typeof path === 'string' ? 'a file' : "orch's database");
  return storeErrorFrom(database, error);
}
