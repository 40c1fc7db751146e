/** What MDX pages in content/docs can use without importing anything. */
import Aside from './Aside.astro';
import CodeSample from './CodeSample.astro';
import Request from './Request.astro';
import Steps from './Steps.astro';

export const mdxComponents = { Aside, CodeSample, Request, Steps };
export { Aside, CodeSample, Request, Steps };
