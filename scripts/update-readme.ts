// Regenerates the README's references (the config's, the portfolio's and seed 001's names) and the portfolio's
// JSON Schema from the zod schemas: node --import tsx scripts/update-readme.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { configReferenceMarkdown } from '../src/domain/config-reference.ts';
import { portfolioJsonSchema, portfolioReferenceMarkdown, snakeCaseTableMarkdown } from '../src/portfolio/reference.ts';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const between = (text: string, marker: string, body: string) =>
  text.replace(new RegExp(`(<!-- ${marker}:start -->\\n)[\\s\\S]*?(\\n?<!-- ${marker}:end -->)`), (_whole, start: string) => `${start}${body}\n<!-- ${marker}:end -->`);
let updated = between(readme, 'config-reference', configReferenceMarkdown());
updated = between(updated, 'portfolio-reference', portfolioReferenceMarkdown());
updated = between(updated, 'portfolio-names', snakeCaseTableMarkdown());
writeFileSync(path, updated);
writeFileSync(new URL('../schemas/portfolio.schema.json', import.meta.url), `${JSON.stringify(portfolioJsonSchema(), null, 2)}\n`);
console.log(updated === readme ? 'README already up to date' : 'README references regenerated');
