#!/usr/bin/env node
// Summarise V8 .cpuprofile files (node --cpu-prof writes one per thread: orch's main thread, and its spawner
// thread when children were started there): self time by file and by function, heaviest first, per file.
// Usage: node scripts/profile-summary.mjs <file.cpuprofile>... [--top N]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt === -1 ? 15 : Number(args[topAt + 1]);
const files = args.filter((arg, i) => arg !== '--top' && i !== topAt + 1);
if (files.length === 0 || !Number.isFinite(top)) {
  console.error('usage: node scripts/profile-summary.mjs <file.cpuprofile>... [--top N]');
  process.exit(2);
}

function summarise(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
  const byFile = new Map();
  const byFunction = new Map();
  for (const [id, micros] of selfTime) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const where = frame.url === '' ? `(${frame.functionName || 'native'})` : frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/(src|bench|dist)\//, '$1/');
    byFile.set(where, (byFile.get(where) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'}  ${where}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const show = (title, map) => {
    console.log(`${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
    for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  if (files.length > 1) console.log(`== ${file}`);
  show('self time by file', byFile);
  show('self time by function', byFunction);
}

for (const file of files) summarise(file);
