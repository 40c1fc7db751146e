/**
 * What MDX authors may write, said once: every component in `index.ts` with its props and
 * what it may contain, and the options of a code fence. The components take their `Props`
 * type from here (`MdxProps<'Aside'>`), `/docs/writing` renders its tables from here, and
 * `npm run check:content` checks pages against it, so the three cannot disagree.
 */
import type { Params } from '../../isomorphic/api-call.ts';
import { TAB_BY_FENCE_LANGUAGE } from '../snippets/sample-tabs.ts';
import { OPERATIONS } from '../../spec/operations.ts';
import { RESOURCES } from '../../spec/resources.ts';
import { EVENT_TYPES } from '../../spec/objects.ts';

/** What a prop's value may be, as an author writes it. */
export type PropType =
  /** `name="text"` or `name={'text'}`. */
  | { kind: 'string' }
  /** One of a few strings. */
  | { kind: 'choice'; values: readonly string[] }
  /** `params={{ email: 'jenny.rosen@example.com', metadata: { order_id: '6735' } }}`: API parameters. */
  | { kind: 'params' };

export interface PropSpec {
  type: PropType;
  required: boolean;
  /** What an optional prop is when left out, in words for the props table. */
  default?: string;
  /** What the prop means, for the props table; `code` in backticks. */
  description: string;
  /** Written by the build (a remark plugin), never by authors: the check refuses it in a page. */
  setByBuild?: true;
}

/** What may go between a component's tags. */
export type ChildrenRule =
  /** Nothing: the component is written self-closing. */
  | 'none'
  /** Any Markdown and components. */
  | 'markdown'
  /** Code fences and nothing else. */
  | 'fences'
  /** One ordered Markdown list (`1. …`). */
  | 'ordered-list'
  /** `<Operation id="…">` elements of the resource, each holding prose for its operation. */
  | 'operations';

export interface ComponentSpec {
  /** One sentence: what the component shows. */
  summary: string;
  children: ChildrenRule;
  props: Readonly<Record<string, PropSpec>>;
}

const apiCallProps = {
  method: {
    type: { kind: 'choice', values: ['GET', 'POST', 'DELETE'] },
    required: true,
    description: 'The HTTP method, in capitals.',
  },
  path: {
    type: { kind: 'string' },
    required: true,
    description:
      'The request path, with an example object id where the call names one (`/v1/customers/cus_123`): ' +
      "readers see their own latest object's id there.",
  },
  params: {
    type: { kind: 'params' },
    required: false,
    default: 'none',
    description:
      'The request parameters as an object literal: strings, numbers, booleans, lists and nested objects ' +
      '(`metadata: { order_id: "6735" }`). They are checked against the sandbox.',
  },
} as const;

/** The components' names as written in MDX; `MDX_COMPONENTS` must have exactly these. */
const COMPONENT_NAMES = [
  'Aside',
  'CodeSample',
  'EventExample',
  'Example',
  'LiveDetails',
  'LiveStatus',
  'ObjectFields',
  'Operation',
  'Operations',
  'PropsTable',
  'ReaderKeys',
  'Request',
  'Shell',
  'Steps',
  'TryIt',
  'WebhookStatus',
] as const;

/** Every component a page can use without importing it, by the name written in MDX. */
export const MDX_COMPONENTS = {
  Aside: {
    summary: 'A callout beside the main text: a note, a tip, or a caution.',
    children: 'markdown',
    props: {
      type: {
        type: { kind: 'choice', values: ['note', 'tip', 'caution'] },
        required: false,
        default: '`note`',
        description:
          'How it speaks: a side remark, a helpful hint, or a warning of something that can go wrong.',
      },
      title: {
        type: { kind: 'string' },
        required: false,
        default: "the type's name",
        description: 'The heading shown above the text.',
      },
    },
  },
  CodeSample: {
    summary:
      'Several code fences shown as one sample with a tab each. The tabs follow the language the reader picked.',
    children: 'fences',
    props: {
      samples: {
        type: { kind: 'string' },
        required: false,
        description: 'The fences inside, as JSON, written by the build.',
        setByBuild: true,
      },
    },
  },
  EventExample: {
    summary:
      'An event of one type as the sandbox records it and a webhook delivers it: a real one, made by the sandbox at build time.',
    children: 'none',
    props: {
      type: {
        type: { kind: 'choice', values: EVENT_TYPES },
        required: true,
        description: 'The event type (`customer.updated`).',
      },
    },
  },
  Example: {
    summary: 'Some MDX shown twice: as source, and as the reader sees it. For pages about writing pages.',
    children: 'markdown',
    props: {
      source: {
        type: { kind: 'string' },
        required: false,
        description: 'The MDX between the tags, written by the build.',
        setByBuild: true,
      },
    },
  },
  LiveDetails: {
    summary:
      "The reader's latest request once it arrives: links to its log entry and event, and both shown in the page.",
    children: 'none',
    props: {},
  },
  LiveStatus: {
    summary:
      "A line that waits for the reader's next request to the step's call and turns green when it arrives, from anywhere: the page, the shell, a terminal.",
    children: 'none',
    props: {
      method: {
        type: { kind: 'choice', values: ['GET', 'POST', 'DELETE'] },
        required: false,
        default: 'any',
        description: 'With `path`, the call this step is about: the line shows only requests to it.',
      },
      path: {
        type: { kind: 'string' },
        required: false,
        default: 'any',
        description: "The call's path as the reference declares it (`/v1/customers`, `/v1/customers/{id}`).",
      },
    },
  },
  ObjectFields: {
    summary:
      "A resource's object, every field from the API declaration with its type and description, nested objects collapsed; each field has an anchor such as `#customer-object-email`.",
    children: 'none',
    props: {
      resource: {
        type: { kind: 'choice', values: RESOURCES },
        required: true,
        description: 'The resource whose object to show.',
      },
    },
  },
  Operation: {
    summary:
      'Prose for one operation, inside `<Operations>`: it is shown after the operation’s description, before its generated parameters, returns, errors, events and example.',
    children: 'markdown',
    props: {
      id: {
        type: { kind: 'choice', values: OPERATIONS.map((operation) => operation.id) },
        required: true,
        description:
          'The operation, by its id in the API declaration (`create-customer`), which is also its anchor.',
      },
    },
  },
  Operations: {
    summary:
      "Every operation of a resource, in the API declaration's order, each with a heading and its reference generated from the declaration. A newly declared operation appears without an edit.",
    children: 'operations',
    props: {
      resource: {
        type: { kind: 'choice', values: RESOURCES },
        required: true,
        description: 'The resource whose operations to show.',
      },
    },
  },
  PropsTable: {
    summary: "A table of a component's props (or of a code fence's options), read from the registry.",
    children: 'none',
    props: {
      of: {
        type: { kind: 'choice', values: [...COMPONENT_NAMES, 'fence'] },
        required: true,
        description: 'The component, or `fence` for the options of a code fence.',
      },
    },
  },
  ReaderKeys: {
    summary:
      "A paragraph that says where the samples' keys come from, in words that fit the reader: a guest's sample keys, or a member's own test keys.",
    children: 'none',
    props: {},
  },
  Request: {
    summary: 'One sandbox API call, written once and shown in every language Keyway supports.',
    children: 'none',
    props: apiCallProps,
  },
  Shell: {
    summary:
      'The shell, inline in the page. Without JavaScript it says how to run the command in a terminal.',
    children: 'none',
    props: {
      command: {
        type: { kind: 'string' },
        required: false,
        default: 'an empty prompt',
        description: 'A command typed in at the prompt, run when the reader presses Enter.',
      },
    },
  },
  Steps: {
    summary: 'Numbered steps. Each item may hold headings, prose and samples.',
    children: 'ordered-list',
    props: {},
  },
  TryIt: {
    summary:
      'A call the reader can run from the page: its parameters as fields, a Run button and the response, with the same call in every language beneath.',
    children: 'none',
    props: apiCallProps,
  },
  WebhookStatus: {
    summary:
      "A line that waits for an event to reach the reader's webhook handler (through `keyway listen` or an endpoint) and turns green when the handler answers 2xx, with what to fix when it does not.",
    children: 'none',
    props: {},
  },
} as const satisfies Record<(typeof COMPONENT_NAMES)[number], ComponentSpec>;

export type MdxComponentName = keyof typeof MDX_COMPONENTS;

/** Whether a name written in MDX is one of the components. */
export function isMdxComponentName(name: string): name is MdxComponentName {
  return Object.hasOwn(MDX_COMPONENTS, name);
}

/** `bash`, `sh` → curl; `js`, `ts` → node; …: which fence languages go in which tab. */
const languageTabs = Object.entries(Object.groupBy(Object.entries(TAB_BY_FENCE_LANGUAGE), ([, tab]) => tab))
  .map(([tab, languages]) => `${languages!.map(([language]) => `\`${language}\``).join(', ')} → ${tab}`)
  .join('; ');

/** Options written in a code fence's meta string: ```` ```bash title="Your keys" ````. */
export const FENCE_OPTIONS = {
  title: {
    type: { kind: 'string' },
    required: false,
    default: "the language's name",
    description:
      'The label above the code, or its tab\'s label inside a `<CodeSample>`. A title naming a language ("Python") puts the fence in that language\'s tab.',
  },
  tab: {
    type: { kind: 'string' },
    required: false,
    default: `from the title, else from the language: ${languageTabs}`,
    description:
      "The tab the fence belongs to, so it follows the reader's language: `curl`, `cli`, `node`, `python`, `ruby`, `php`, `go`, `java` or `dotnet`.",
  },
} as const satisfies Record<string, PropSpec>;

/** The value a prop type takes in a component. */
type PropValue<T> = T extends { kind: 'string' }
  ? string
  : T extends { kind: 'choice'; values: readonly (infer V)[] }
    ? V
    : T extends { kind: 'params' }
      ? Params
      : never;

type ValueOf<S> = S extends { type: infer T } ? PropValue<T> : never;
type SpecOf<N extends MdxComponentName> = (typeof MDX_COMPONENTS)[N]['props'];
type RequiredNames<P> = { [K in keyof P]: P[K] extends { required: true } ? K : never }[keyof P];

/** Required and optional props in one plain object type, as a reader of `Props` expects. */
type Flatten<T> = { [K in keyof T]: T[K] };

/** A component's `Props`, derived from its entry: `type Props = MdxProps<'Aside'>`. */
export type MdxProps<N extends MdxComponentName> = Flatten<
  {
    -readonly [K in RequiredNames<SpecOf<N>>]: ValueOf<SpecOf<N>[K]>;
  } & {
    -readonly [K in Exclude<keyof SpecOf<N>, RequiredNames<SpecOf<N>>>]?: ValueOf<SpecOf<N>[K]>;
  }
>;
