// Runs the examples of docs/mcp.md as a user would: each is written to a module at the package
// root (so `toolweaver` and `toolweaver/mcp` resolve to this build) and run by Node.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCrmServerRunsScripts } from './crm-server-check.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = readFileSync(new URL('docs/mcp.md', `file://${root}`), 'utf8');
const written: string[] = [];

function example(marker: string): { path: string; expected: string[] } {
  const block = new RegExp(`<!-- ${marker} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(docs);
  if (block === null) throw new Error(`docs/mcp.md: example ${marker} not found`);
  const path = `${root}.docs-${marker}-${process.pid}.mjs`;
  writeFileSync(path, block[1]!);
  written.push(path);
  const expected = [...block[1]!.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]!);
  return { path, expected };
}

afterEach(() => {
  for (const path of written.splice(0)) rmSync(path, { force: true });
});

describe('docs/mcp.md', () => {
  it('runs the import example and prints what its comments say', async () => {
    const { path, expected } = example('mcp-import-example');
    expect(expected).toHaveLength(2);
    const { stdout } = await promisify(execFile)(process.execPath, [path], { cwd: root, encoding: 'utf8' });
    expect(stdout.trimEnd().split('\n')).toEqual(expected);
  }, 60_000);

  it('runs the serve example as a server an SDK client drives', async () => {
    const { path } = example('mcp-serve-example');
    await expectCrmServerRunsScripts(path, root, 'docs-test');
  }, 60_000);

  it('runs the HTTP example as a server an SDK client drives over Streamable HTTP, and stops it with SIGTERM', async () => {
    const { path } = example('mcp-http-example');
    const child = spawn(process.execPath, [path], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          const match = /MCP at (\S+)\n/.exec(stderr);
          if (match !== null) resolve(new URL(match[1]!));
        });
        void exited.then(() => reject(new Error(stderr)));
      });
      const client = new Client({ name: 'docs-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(url));
      expect(client.getServerVersion()).toMatchObject({ name: 'crm-tools' });
      const result = await client.callTool({ name: 'execute_code', arguments: { code: 'const leads = await crm.find_leads({ minScore: 80 }); return leads.length' } });
      expect(result.structuredContent).toMatchObject({ value: 2, metadata: { toolCalls: 1 } });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await client.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
