import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser build, injected into pages under test. */
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The impacts the accessibility tests refuse; minor and moderate findings are left to review. */
const REFUSED_IMPACTS = new Set(['serious', 'critical']);

/** Part of a page (a CSS selector) and some of axe's rules, to check less than everything. */
export interface AxeScope {
  include?: string;
  rules?: string[];
}

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core over the page as it is now and describes each serious or critical violation
 * in a few readable lines: the rule, then each offending element and what would fix it.
 * The context must be made with `bypassCSP: true`: the page's policy allows no inline script.
 */
export async function seriousViolations(page: Page, label: string, scope: AxeScope = {}): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async ({ include, rules }) => {
    const axe = (
      window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }
    ).axe;
    // Only violations are read, so axe need not collect every passing node.
    const options = {
      resultTypes: ['violations'],
      ...(rules && { runOnly: { type: 'rule', values: rules } }),
    };
    const results = (await axe.run(include ? { include: [include] } : document, options)) as {
      violations: unknown[];
    };
    return results.violations;
  }, scope);
  return (violations as AxeViolation[])
    .filter((violation) => REFUSED_IMPACTS.has(violation.impact ?? ''))
    .map((violation) =>
      [
        `${label}: ${violation.id} (${violation.impact}) ${violation.help}`,
        ...violation.nodes.map((node) => {
          const fix = (node.failureSummary ?? '')
            .split('\n')
            .filter((line) => !/^Fix (any|all) of the following:$/.test(line.trim()))
            .map((line) => line.trim())
            .join('; ');
          return `    ${node.target.join(' ')}: ${fix}`;
        }),
      ].join('\n'),
    );
}
