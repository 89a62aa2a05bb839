// Agent programs are looked up on the user's PATH first, then among the programs orch's own install carries:
// `scripts/dev setup` (or `npm install` in a checkout) puts agent CLIs in orch's node_modules/.bin, which is not on
// anyone's PATH. The user's own install always wins; orch's copies only fill the gap.
import { existsSync } from 'node:fs';
import { basename, delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from './which.ts';

// This file sits at <orch>/src/process or <orch>/dist/process: two levels below orch's package root.
const packageRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** The node_modules/.bin folders of orch's install: its own, and the one it is hoisted into as a dependency. */
export function orchProgramDirs(): string[] {
  const dirs = [`${packageRoot}/node_modules/.bin`];
  if (basename(dirname(packageRoot)) === 'node_modules') dirs.push(`${dirname(packageRoot)}/.bin`);
  return dirs.filter((dir) => existsSync(dir));
}

/** `pathVariable` with orch's program folders appended (those it lacks), so a bare name finds orch's copy last. */
export function withOrchPrograms(pathVariable: string | undefined): string {
  const parts = (pathVariable ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of orchProgramDirs()) if (!parts.includes(dir)) parts.push(dir);
  return parts.join(delimiter);
}

/** An agent's program as its process will find it: on PATH, else in orch's own install. */
export function findAgentProgram(program: string, cwd: string, pathVariable = process.env['PATH']): string | undefined {
  return findExecutable(program, cwd, withOrchPrograms(pathVariable));
}
