// Finding a program the way execvp would: a path with a slash is checked as is, a bare name along PATH.
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findExecutable(program: string, cwd: string, pathVariable = process.env['PATH'] ?? ''): string | undefined {
  if (program.includes('/')) {
    const candidate = isAbsolute(program) ? program : join(cwd, program);
    return isExecutable(candidate) ? candidate : undefined;
  }
  for (const dir of pathVariable.split(delimiter)) {
    if (dir && isExecutable(join(dir, program))) return join(dir, program);
  }
  return undefined;
}
