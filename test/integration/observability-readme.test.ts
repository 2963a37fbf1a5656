// Runs the Observability snippet of docs/observability.md as a user would (a plain ES module importing
// `toolweaver`, `toolweaver/otel` and the OpenTelemetry SDK) and compares what it prints
// with the `// prints:` lines under it, so the page stays true.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the package, so `toolweaver` resolves to this build through its own exports map.
const snippetPath = `${root}.observability-snippet.tmp.mjs`;
afterAll(() => rmSync(snippetPath, { force: true }));

function snippet(): { code: string; prints: string[] } {
  const readme = readFileSync(`${root}docs/observability.md`, 'utf8');
  const block = /```js\n(import \{ context, trace \} from '@opentelemetry\/api';[\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('docs/observability.md snippet not found');
  const code = block[1]!;
  const prints = code.split('// prints:\n')[1]!.trim().split('\n').map((line) => line.replace(/^\/\/ /, ''));
  return { code, prints };
}

describe('docs/observability.md snippet', () => {
  it('runs the snippet and prints what its comments say', async () => {
    const { code, prints } = snippet();
    writeFileSync(snippetPath, code);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [snippetPath], { cwd: root }, (error, out, err) => (error === null ? resolve(out) : reject(new Error(`${error.message}\n${err}`))));
    });
    expect(stdout.trim().split('\n')).toEqual(prints);
  });
});
