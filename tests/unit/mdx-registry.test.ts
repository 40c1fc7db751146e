import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FENCE_OPTIONS, MDX_COMPONENTS, type PropSpec } from '../../src/lib/docs/mdx-registry.ts';
import { exampleSource } from '../../src/build/remark-example-source.ts';
import { fenceMetaOptions, parseFenceMeta } from '../../src/lib/snippets/sample-tabs.ts';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';

const MDX_DIR = new URL('../../src/components/mdx/', import.meta.url);

describe('the MDX component registry', () => {
  const files = readdirSync(MDX_DIR).filter((file) => file.endsWith('.astro'));

  it('describes exactly the components in src/components/mdx, and index.ts gives pages all of them', () => {
    expect(files.map((file) => file.replace(/\.astro$/, '')).sort()).toEqual(
      Object.keys(MDX_COMPONENTS).sort(),
    );
    const index = readFileSync(new URL('index.ts', MDX_DIR), 'utf8');
    for (const name of Object.keys(MDX_COMPONENTS))
      expect(index).toContain(`import ${name} from './${name}.astro';`);
  });

  it.each(files)('%s takes its Props type from the registry', (file) => {
    const name = file.replace(/\.astro$/, '');
    const source = readFileSync(new URL(file, MDX_DIR), 'utf8');
    expect(source).toContain(`type Props = MdxProps<'${name}'>;`);
    expect(source).not.toMatch(/interface Props\b/);
  });

  it('documents every prop, and a default for each optional one an author writes', () => {
    for (const [name, spec] of Object.entries(MDX_COMPONENTS)) {
      for (const [prop, propSpec] of Object.entries(spec.props as Record<string, PropSpec>)) {
        expect(propSpec.description.length, `${name}.${prop}`).toBeGreaterThan(10);
        if (!propSpec.required && !propSpec.setByBuild)
          expect(propSpec.default, `${name}.${prop}`).toBeTruthy();
      }
    }
  });

  it('lists the fence options that parseFenceMeta reads, and no others', () => {
    const meta = 'title="Your keys" tab=cli subtitle=x';
    expect(fenceMetaOptions(meta).map(([name]) => name)).toEqual(['title', 'tab', 'subtitle']);
    expect(Object.keys(parseFenceMeta(meta)).sort()).toEqual(Object.keys(FENCE_OPTIONS).sort());
    expect(parseFenceMeta(meta)).toEqual({ title: 'Your keys', tab: 'cli' });
  });
});

describe("an <Example>'s source", () => {
  const text = '<Example>\n\n  Some **bold** text.\n\n    indented more\n\n</Example>\n';
  const at = (offset: number, length: number) => ({
    start: { line: 0, column: 0, offset },
    end: { line: 0, column: 0, offset: offset + length },
  });

  it('is the text between the tags, whole lines, without their shared indentation', () => {
    const element = {
      type: 'mdxJsxFlowElement',
      name: 'Example',
      attributes: [],
      children: [
        { type: 'paragraph', children: [], position: at(13, 19) },
        { type: 'paragraph', children: [], position: at(38, 13) },
      ],
    } as unknown as MdxJsxFlowElement;
    expect(exampleSource(element, text)).toBe('Some **bold** text.\n\n  indented more');
  });

  it('cannot be empty', () => {
    const element = { type: 'mdxJsxFlowElement', name: 'Example', attributes: [], children: [] };
    expect(() => exampleSource(element as unknown as MdxJsxFlowElement, text)).toThrow(
      /<Example> at line \? is empty/,
    );
  });
});
