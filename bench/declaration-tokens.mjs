// Tokens (o200k_base) of `catalog.toTypeScript()` for the fixture catalog: each tool declared
// alone (without the one-line header), then the whole catalog, with and without output
// types, and the whole `toPrompt()` text. Prints the README table.
// Usage: npm run build && node bench/declaration-tokens.mjs
import { countTokens, ToolCatalog } from '../dist/index.js';
import { createFixtureCatalog } from '../fixtures/tools.mjs';

const catalog = createFixtureCatalog();
const header = countTokens(new ToolCatalog().toTypeScript());
console.log('| tool | parameters | tokens | without outputs |\n|---|---:|---:|---:|');
for (const tool of catalog.list()) {
  const alone = new ToolCatalog().register({ name: tool.name, description: tool.description, input: tool.input, output: tool.output, handler() {} });
  const full = countTokens(alone.toTypeScript()) - header;
  const compact = countTokens(alone.toTypeScript({ outputs: false })) - header;
  console.log(`| \`${tool.name}\` | ${tool.parameters?.length ?? 0} | ${full} | ${compact} |`);
}
const total = countTokens(catalog.toTypeScript());
const compact = countTokens(catalog.toTypeScript({ outputs: false }));
console.log(`| **all ${catalog.list().length} tools, \`toTypeScript()\`** | | **${total}** | **${compact}** |`);
console.log(`| **\`toPrompt()\` (rules + example + declarations)** | | **${countTokens(catalog.toPrompt())}** | **${countTokens(catalog.toPrompt({ outputs: false }))}** |`);
