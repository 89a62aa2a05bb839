#!/usr/bin/env node
// Summarise a V8 .cpuprofile (node --cpu-prof): self time by file and by function, heaviest first.
// Usage: node scripts/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

const [file, topText] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node scripts/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topText ?? 15);
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
  const where = frame.url === '' ? `(${frame.functionName || 'native'})` : frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/(src|bench)\//, '$1/');
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
show('self time by file', byFile);
show('self time by function', byFunction);
