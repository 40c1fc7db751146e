import { callApi } from './call-api.ts';
import { getEvent, listEvents } from './events.ts';
import { describeOperation, listOperations } from './operations.ts';
import { readPage } from './read-page.ts';
import { recentRequests } from './recent-requests.ts';
import { searchDocs } from './search-docs.ts';
import type { McpTool } from './tool.ts';

/**
 * Every tool the MCP server has, in the order clients list them: the docs tools (for
 * anyone), then the sandbox tools (for a key that may use them). Adding a tool is adding
 * its module here.
 */
export const TOOLS: readonly McpTool[] = [
  searchDocs,
  readPage,
  listOperations,
  describeOperation,
  callApi,
  recentRequests,
  listEvents,
  getEvent,
];
