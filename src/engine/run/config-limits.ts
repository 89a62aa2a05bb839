// What a config file may be before orch parses it: a regular file (a FIFO or /dev/zero would block or never end),
// of a size a config can have, nested no deeper than a config's schema goes (200,000 brackets overflow the parser's
// stack). Each refusal names the file and says what to do.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../domain/errors.ts';

/** Real configs are a few KiB; a megabyte is already generous for one with many agents and prices. */
export const maxConfigBytes = 1024 * 1024;
/** The schema nests about four levels; twenty leaves room for anything a future key needs. */
export const maxConfigDepth = 20;

const kindOf = (stats: Stats): string =>
  stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : stats.isSocket() ? 'a socket' : 'not a regular file';

/**
 * The text of the config file at `path`, or undefined when it is `optional` (the repository's own, not --config)
 * and does not exist. `fix` says what to do in every refusal. Opened without blocking (a FIFO with no writer would
 * wait for ever), then checked on the open descriptor, so what is read is what was checked.
 */
export function readConfigText(path: string, options: { fix: string; optional: boolean }): string | undefined {
  const { fix, optional } = options;
  const shown = resolve(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && optional) return undefined;
    if (code === 'ENOENT') throw new ConfigError(`The config file ${shown} does not exist.`, { cause: error, hint: `${fix} (orch init writes one).` });
    if (code === 'EISDIR') throw new ConfigError(`The config file ${shown} is a directory, not a file.`, { cause: error, hint: `${fix}.` });
    throw new ConfigError(`Cannot read the config file ${shown}: ${code ?? (error as Error).message}.`, { cause: error, hint: `${fix}, or make it readable.` });
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new ConfigError(`The config file ${shown} is a directory, not a file.`, { hint: `${fix}.` });
    if (!stats.isFile()) throw new ConfigError(`The config file ${shown} is ${kindOf(stats)}, not a regular file.`, { hint: `${fix}; orch reads its config from an ordinary JSON file.` });
    if (stats.size > maxConfigBytes) throw tooLarge(shown, stats.size, fix);
    // Read at most one byte past the limit: a file that grows after the stat is still caught.
    const buffer = Buffer.alloc(Math.min(stats.size, maxConfigBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxConfigBytes) throw tooLarge(shown, length, fix);
    const text = buffer.subarray(0, length).toString('utf8');
    if (text.includes('\0')) throw new ConfigError(`The config file ${shown} holds NUL bytes, so it is not a text file.`, { hint: `${fix}; orch reads its config from an ordinary JSON file.` });
    return text;
  } finally {
    closeSync(fd);
  }
}

const tooLarge = (shown: string, size: number, fix: string) =>
  new ConfigError(`The config file ${shown} is ${size > maxConfigBytes * 4 ? `${Math.round(size / 1024 / 1024)} MiB` : `${size} bytes`}, more than the ${maxConfigBytes / 1024 / 1024} MiB a config file may have.`, {
    hint: `${fix}; an orch config is a few kilobytes of JSON.`,
  });

/** Refuse text nested deeper than `maxConfigDepth` before a recursive parser sees it (strings and comments skipped). */
export function assertShallow(text: string, source: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      if (++depth > maxConfigDepth) {
        throw new ConfigError(`${source} is nested more than ${maxConfigDepth} levels deep; no orch setting goes deeper than a few.`, {
          hint: 'Fix the file (see the configuration reference in the README), or run `orch init --force` to write a fresh one.',
        });
      }
    } else if (c === '}' || c === ']') depth = Math.max(0, depth - 1);
  }
}
