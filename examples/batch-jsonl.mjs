// A batch over JSONL: one lead id per line in, one outcome per line out, in completion order.
// The input is read as the batch asks for jobs (never whole); one script is compiled once and
// run over every line's context. Run from the repository root, after `npm run build`:
//   node examples/batch-jsonl.mjs examples/leads.jsonl > scores.jsonl
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createEngine } from 'toolweaver';
import { createFixtureCatalog } from '../fixtures/tools.mjs';

const engine = createEngine({ catalog: createFixtureCatalog() });
const script = engine.compile(`
  const lead = await get_lead(lead_id);
  const { score } = await score_lead(lead_id);
  return { name: lead.name, score, qualified: score >= 70 };
`);

async function* jobs(path) {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    const { id } = JSON.parse(text); // { "id": "L-7" }
    yield { id: `${path}:${line}`, code: script, context: { lead_id: id } };
  }
}

const failed = {};
for await (const outcome of engine.executeMany(jobs(process.argv[2] ?? 'examples/leads.jsonl'), { concurrency: 64 })) {
  if (outcome.status === 'fulfilled') {
    process.stdout.write(`${JSON.stringify({ id: outcome.id, ...outcome.result.value })}\n`);
  } else {
    failed[outcome.error.code] = (failed[outcome.error.code] ?? 0) + 1;
    process.stdout.write(`${JSON.stringify({ id: outcome.id, error: outcome.error.code })}\n`);
  }
}
await engine.close();
console.error('failed by code:', JSON.stringify(failed));
