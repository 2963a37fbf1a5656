// A strict consumer's view of errors: literal codes, a union that narrows, JSON records.
import {
  errorFromJson,
  errorToJson,
  ScriptError,
  ToolCallError,
  ToolInputError,
  ToolWeaverError,
  type AnyToolWeaverError,
  type ErrorCode,
  type ErrorJson,
} from 'toolweaver';

const call = new ToolCallError('get_user', 1, 'failed');
const callCode: 'ERR_TOOL_CALL' = call.code;
// @ts-expect-error a ToolCallError's code is exactly 'ERR_TOOL_CALL'
const wrongCode: 'ERR_SCRIPT' = call.code;
const inputCode: 'ERR_TOOL_INPUT' = new ToolInputError('get_user', []).code;
const anyCode: ErrorCode = new ToolWeaverError('ERR_SCRIPT', 'x').code;

function describe(error: AnyToolWeaverError): string {
  switch (error.code) {
    case 'ERR_TOOL_CALL':
      return `${error.toolName}#${error.callIndex}`;
    case 'ERR_SCRIPT':
      // @ts-expect-error a ScriptError has no callIndex
      return `${error.errorName}@${error.line ?? 0}${error.callIndex}`;
    case 'ERR_TOOL_INPUT':
    case 'ERR_TOOL_OUTPUT':
      return error.issues.join('; ');
    default:
      return error.message;
  }
}

const record: ErrorJson = errorToJson(new ScriptError('TypeError', 'x', {}));
const code: string | undefined = record.code;
const back: Error = errorFromJson(record);
if (back instanceof ToolWeaverError) {
  const fields: string = back.code;
  void fields;
}
export { anyCode, back, callCode, code, describe, inputCode, wrongCode };
