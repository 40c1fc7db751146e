import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IModule, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = `${root}.dependency-cruiser.cjs`;

/** The folder rule's name, shared with the own-files check below so both report alike. */
const FOLDER_CYCLES = 'no-folder-cycles';

/**
 * Cruises `paths` (relative to `baseDir`) with the project's `.dependency-cruiser.cjs` and
 * returns one line per broken rule, `rule: importer → … → imported`, sorted. A transitive
 * violation lists the whole chain; a package or core module is named as it was imported
 * (`astro/zod`, `node:fs`).
 */
export async function dependencyViolations(baseDir: string, paths: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = extractTSConfig(`${root}tsconfig.json`);
  const { output } = await cruise(paths, { ...options, baseDir }, {}, { tsConfig });
  if (typeof output === 'string') throw new Error(`dependency-cruiser returned text: ${output}`);
  const name = specifierNames(output.modules);
  const lines = output.summary.violations.map((violation) => describe(violation, name));
  return [...new Set([...lines, ...ownFilesFolderCycles(output)])].sort();
}

/** For each import of a package or a Node core module, the specifier it was written with. */
function specifierNames(modules: IModule[]): (from: string, to: string) => string {
  const names = new Map<string, string>();
  for (const module of modules) {
    for (const dependency of module.dependencies) {
      if (dependency.coreModule || dependency.resolved.includes('node_modules/')) {
        names.set(
          `${module.source}\0${dependency.resolved}`,
          `${dependency.protocol ?? ''}${dependency.module}`,
        );
      }
    }
  }
  return (from, to) => names.get(`${from}\0${to}`) ?? to;
}

function describe(violation: IViolation, name: (from: string, to: string) => string): string {
  const chain = violation.cycle ?? violation.via ?? [{ name: violation.to }];
  const hops = [violation.from, ...chain.map((hop) => hop.name)];
  const shown = hops.map((hop, index) => (index === 0 ? hop : name(hops[index - 1]!, hop)));
  return `${violation.rule.name}: ${shown.join(' → ')}`;
}

/**
 * Folder cycles where each folder is only its own files. dependency-cruiser's folder scope
 * counts a folder's subfolders as part of it, so it never sees `src/lib/config.ts` importing
 * `src/lib/db/` while `src/lib/db/` imports `src/lib/config.ts`: a cycle between a folder's
 * root files and one of its subfolders. Reported under the same rule name, one line per
 * cycle, each hop with one import that makes it.
 */
function ownFilesFolderCycles(result: ICruiseResult): string[] {
  const edges = new Map<string, Map<string, string>>();
  for (const module of result.modules) {
    const from = dirname(module.source);
    for (const dependency of module.dependencies) {
      const to = dirname(dependency.resolved);
      if (dependency.resolved.includes('node_modules/') || dependency.coreModule || to === from) continue;
      const targets = edges.get(from) ?? new Map<string, string>();
      if (!targets.has(to)) targets.set(to, `${module.source} → ${dependency.resolved}`);
      edges.set(from, targets);
    }
  }
  const lines: string[] = [];
  for (const [from, targets] of edges) {
    for (const [to, example] of targets) {
      // Only a folder and its own parent or child: other folder cycles are the folder rule's.
      if (!to.startsWith(`${from}/`) && !from.startsWith(`${to}/`)) continue;
      const back = pathBetween(edges, to, from);
      if (back && from < to) lines.push(`${FOLDER_CYCLES}: ${[example, ...back].join(', ')}`);
    }
  }
  return lines;
}

/** The imports, one per hop, of a shortest folder path from `start` to `goal`, if any. */
function pathBetween(edges: Map<string, Map<string, string>>, start: string, goal: string): string[] | null {
  const queue: [string, string[]][] = [[start, []]];
  const seen = new Set([start]);
  for (const [folder, path] of queue) {
    for (const [next, example] of edges.get(folder) ?? []) {
      if (next === goal) return [...path, example];
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([next, [...path, example]]);
      }
    }
  }
  return null;
}
