import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Paths the site serves apart from docs pages: its routes (src/pages) and static files (public). */
export interface SitePaths {
  has(pathname: string): boolean;
}

const ROUTE_EXTENSIONS = /\.(astro|ts|js|mjs|md|mdx)$/;

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * A pattern for one route file, by Astro's file-based routing: `index` is its folder,
 * `[id]` one path segment, `[...rest]` any number of them.
 */
function routePattern(file: string): RegExp {
  const path = `/${file.replace(ROUTE_EXTENSIONS, '')}`.replace(/\/index$/, '') || '/';
  const source = path
    .split('/')
    .map((segment) =>
      /^\[\.\.\.[^\]]+\]$/.test(segment)
        ? '.*'
        : /^\[[^\]]+\]$/.test(segment)
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source.replace(/\/\.\*$/, '(?:/.*)?')}/?$`);
}

/**
 * Reads the routes in `pagesDir` and the files in `publicDir`. The docs route itself is
 * left out: a `/docs/…` link must name a page in the content, which the links check knows.
 */
export async function readSitePaths(pagesDir: string, publicDir: string): Promise<SitePaths> {
  const routes = (await filesUnder(pagesDir))
    // Astro makes no route of a file or folder whose name starts with `_`.
    .filter((file) => ROUTE_EXTENSIONS.test(file) && !/(^|\/)_/.test(file))
    .filter((file) => !file.startsWith('docs/') && !file.startsWith('404.'))
    .map(routePattern);
  const files = new Set((await filesUnder(publicDir)).map((file) => `/${file}`));
  return { has: (pathname) => files.has(pathname) || routes.some((route) => route.test(pathname)) };
}
