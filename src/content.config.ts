import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsFrontmatter } from './lib/docs/frontmatter.ts';

/** Guides and reference: every `.mdx` under `content/docs`, its id the path without `.mdx`. */
const docs = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/docs' }),
  schema: docsFrontmatter,
});

export const collections = { docs };
