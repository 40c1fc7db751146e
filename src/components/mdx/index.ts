/** What MDX pages in content/docs can use without importing anything (described in registry.ts). */
import Aside from './Aside.astro';
import CodeSample from './CodeSample.astro';
import EventExample from './EventExample.astro';
import Example from './Example.astro';
import LiveDetails from './LiveDetails.astro';
import LiveStatus from './LiveStatus.astro';
import ObjectFields from './ObjectFields.astro';
import Operation from './Operation.astro';
import Operations from './Operations.astro';
import PropsTable from './PropsTable.astro';
import ReaderKeys from './ReaderKeys.astro';
import Request from './Request.astro';
import Shell from './Shell.astro';
import Steps from './Steps.astro';
import TryIt from './TryIt.astro';
import WebhookStatus from './WebhookStatus.astro';
import type { MdxComponentName } from '../../lib/docs/mdx-registry.ts';

/** Exactly the registry's components: a missing or extra one fails `astro check`. */
export const mdxComponents = {
  Aside,
  CodeSample,
  EventExample,
  Example,
  LiveDetails,
  LiveStatus,
  ObjectFields,
  Operation,
  Operations,
  PropsTable,
  ReaderKeys,
  Request,
  Shell,
  Steps,
  TryIt,
  WebhookStatus,
} satisfies Record<MdxComponentName, unknown>;
