/** What MDX pages in content/docs can use without importing anything. */
import Aside from './Aside.astro';
import CodeSample from './CodeSample.astro';
import LiveDetails from './LiveDetails.astro';
import LiveStatus from './LiveStatus.astro';
import Request from './Request.astro';
import Shell from './Shell.astro';
import Steps from './Steps.astro';
import TryIt from './TryIt.astro';

export const mdxComponents = { Aside, CodeSample, LiveDetails, LiveStatus, Request, Shell, Steps, TryIt };
export { Aside, CodeSample, LiveDetails, LiveStatus, Request, Shell, Steps, TryIt };
