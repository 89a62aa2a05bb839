#!/usr/bin/env node
// Entry point: the compiled CLI (dist/) whenever it is at least as new as the sources, else the TypeScript
// sources through tsx (a checkout being edited: never a stale build). An installed package has no sources.
// Start-up is measured against `node -e 0` (docs/performance.md), so this file loads as little as it can: Node's
// built-ins through process.getBuiltinModule (an ES import of one builds its ES facade, which costs), and for
// `orch --help` / `--version` only the text the build wrote (scripts/bundle-cli.mjs), not the CLI.
const fs = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');
const { fileURLToPath } = process.getBuiltinModule('node:url');

// V8's code cache on disk: later starts skip parsing and compiling orch's modules.
module.enableCompileCache?.();

const distCli = new URL('../dist/cli/', import.meta.url);
const compiled = new URL('main.js', distCli);
const sources = fileURLToPath(new URL('../src', import.meta.url));

/** Whether any source (not a test) under `dir` is newer than `than`: a few hundred stats, under a millisecond. */
function newerThan(dir, than) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (newerThan(path, than)) return true;
    } else if (!entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test.tsx') && fs.statSync(path).mtimeMs > than) {
      return true;
    }
  }
  return false;
}

const builtAt = fs.statSync(compiled, { throwIfNoEntry: false })?.mtimeMs;
const built = builtAt !== undefined && (!fs.existsSync(sources) || !newerThan(sources, builtAt));

/** `orch --help`, `orch --version`, bare `orch`: what the build recorded the CLI prints, if it applies here. */
function quickOutput(args) {
  const ask = args.length === 0 ? 'bare' : args.length === 1 ? { '--help': 'help', '-h': 'help', help: 'help', '--version': 'version', '-V': 'version' }[args[0]] : undefined;
  if (ask === undefined) return undefined;
  const stream = ask === 'bare' ? process.stderr : process.stdout; // bare `orch` is a usage error: help on stderr
  // The recorded help is wrapped at 80 columns; a narrower terminal gets the CLI's own wrapping.
  if (ask !== 'version' && stream.isTTY && (stream.columns || 80) < 80) return undefined;
  const recording = new URL('quick-output.json', distCli);
  // Written by the bundling step after main.js: older than main.js means main.js was rebuilt without it (tsc alone).
  if ((fs.statSync(recording, { throwIfNoEntry: false })?.mtimeMs ?? 0) < builtAt) return undefined;
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(recording, 'utf8'));
  } catch {
    return undefined; // unreadable: the CLI answers
  }
  return { stream, text: ask === 'version' ? recorded.version : recorded.help, exitCode: ask === 'bare' ? 2 : 0 };
}

const quick = built ? quickOutput(process.argv.slice(2)) : undefined;
if (quick !== undefined) {
  quick.stream.write(quick.text);
  process.exitCode = quick.exitCode;
} else if (built) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
