// Regenerates the README's configuration reference from the config schema: node --import tsx scripts/update-readme.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { configReferenceMarkdown } from '../src/domain/config-reference.ts';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const updated = readme.replace(
  /(<!-- config-reference:start -->\n)[\s\S]*?(\n<!-- config-reference:end -->)/,
  (_whole, start: string, end: string) => `${start}${configReferenceMarkdown()}${end}`,
);
writeFileSync(path, updated);
console.log(updated === readme ? 'README already up to date' : 'README config reference regenerated');
