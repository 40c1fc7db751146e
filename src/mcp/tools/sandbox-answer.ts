import type { CallToolResult } from '@modelcontextprotocol/server';
import type { SandboxAnswer } from '../caller/sandbox-call.ts';
import { errorResult, jsonResult } from './tool.ts';

/**
 * A sandbox answer as a tool result. A sandbox error is a tool error (`isError`), led by the
 * sandbox's own message, then its type, code and param as JSON, so the assistant reads what
 * a developer's code would have got.
 */
export function sandboxResult(answer: SandboxAnswer): CallToolResult {
  const shown = { status: answer.status, request_id: answer.requestId, body: answer.body };
  if (answer.status < 400) return jsonResult(shown);
  const message = (answer.body as { error?: { message?: string } }).error?.message ?? 'The request failed.';
  return errorResult(`${message}\n\n${JSON.stringify(shown, null, 2)}`);
}
