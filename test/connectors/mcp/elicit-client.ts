// An SDK Client that answers `elicitation/create` (form mode) with `answer`, keeping every
// request it was sent and whether the server cancelled it; or one that declares no elicitation.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';

export interface Asked {
  params: ElicitRequest['params'];
  /** Aborted when the server cancels the request (`notifications/cancelled`). */
  signal: AbortSignal;
}

export type Answer = (asked: Asked) => ElicitResult | Promise<ElicitResult>;

export interface ElicitingClient {
  client: Client;
  /** Every elicitation received, in order. */
  asked: Asked[];
}

/** A client that supports form elicitation and answers each request with `answer`. */
export function createElicitingClient(answer: Answer, name = 'toolweaver-approvals-test'): ElicitingClient {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  const asked: Asked[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
    const entry = { params: request.params, signal: extra.signal };
    asked.push(entry);
    return answer(entry);
  });
  return { client, asked };
}

/** A client that declares no elicitation capability. */
export function createPlainClient(): Client {
  return new Client({ name: 'toolweaver-no-elicitation', version: '1.0.0' });
}

/** Resolves once `asked` holds `count` requests (polled; gives up after `ms`). */
export async function untilAsked(asked: readonly Asked[], count = 1, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (asked.length < count) {
    if (Date.now() - started > ms) throw new Error(`asked ${asked.length} times, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The text of a tool result. */
export function textOf(result: object): string {
  return ((result as { content?: unknown }).content as Array<{ text?: string }>).map((block) => block.text ?? '').join('\n');
}

/** The `value` of a tool result's structuredContent. */
export function valueOf(result: object): unknown {
  return (result as { structuredContent?: { value?: unknown } }).structuredContent?.value;
}
