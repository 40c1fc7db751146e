import { describe, expectTypeOf, it } from 'vitest';
import type { MdxComponentName, MdxProps } from '../../src/lib/docs/mdx-registry.ts';
import type { Params } from '../../src/isomorphic/api-call.ts';

// A type test: vitest's typecheck runs it through tsc, where a wrong type fails it. At run time
// expectTypeOf does nothing, which is why it is not in a .test.ts file.
describe('the MDX component registry', () => {
  it('derives the TypeScript props the components are written against', () => {
    expectTypeOf<MdxProps<'Request'>>().toEqualTypeOf<{
      method: 'GET' | 'POST' | 'DELETE';
      path: string;
      params?: Params;
    }>();
    expectTypeOf<MdxProps<'Aside'>>().toEqualTypeOf<{ type?: 'note' | 'tip' | 'caution'; title?: string }>();
    expectTypeOf<MdxProps<'Steps'>>().toEqualTypeOf<{}>();
    expectTypeOf<MdxProps<'PropsTable'>['of']>().toEqualTypeOf<MdxComponentName | 'fence'>();
  });
});
