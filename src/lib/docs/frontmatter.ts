import { z } from 'astro/zod';

/** Sidebar groups, in the order the sidebar shows them. */
export const SIDEBAR_GROUPS = ['Get started', 'Guides', 'API reference', 'Contributing'] as const;

/**
 * The frontmatter every page in `content/docs` must have. Astro reports a bad value at
 * build time with the file's path and the field's name, followed by the message here.
 */
export const docsFrontmatter = z.strictObject({
  title: z
    .string({ error: 'title is required: the page heading and <title>' })
    .min(1, 'title must not be empty')
    .max(70, 'title must be at most 70 characters so it fits the sidebar and tab'),
  description: z
    .string({ error: 'description is required: one sentence for search results and link previews' })
    .min(10, 'description must be a sentence (at least 10 characters)')
    .max(200, 'description must be at most 200 characters'),
  sidebar: z.strictObject({
    group: z.enum(SIDEBAR_GROUPS, {
      error: `sidebar.group must be one of: ${SIDEBAR_GROUPS.join(', ')}`,
    }),
    order: z
      .number({ error: 'sidebar.order must be a number (lower comes first)' })
      .int('sidebar.order must be a whole number'),
    /** Shorter text for the sidebar when the title is long. */
    label: z.string().min(1).max(40).optional(),
  }),
});

export type DocsFrontmatter = z.infer<typeof docsFrontmatter>;
