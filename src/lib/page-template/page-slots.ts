import { STANDINS } from './standins.ts';
import { isTemplatePage } from './template-header.ts';

/** What the site's layouts show where a page names its reader. */
export interface PageSlots {
  /** `sample` or `account`, for an attribute. */
  keySource: string;
  /** The origin samples call, for URLs in attributes. */
  apiBase: string;
  /** The sentence that explains the keys on the page, as HTML. */
  keyNote: string;
  /** The header's sign-in or account links, as HTML. */
  accountMenu: string;
  /**
   * The test secret key the docked shell sends: a stand-in on a template page, and empty on a
   * page rendered for one reader, whose shell asks `/api/shell-key` when it opens. Those pages
   * show the reader's own data (a customer's name, a search) and some refuse a role, so the
   * key stays out of them: never beside text a third party chose in a compressed page, never
   * in a 403.
   */
  secretKey: string;
}

/**
 * A template page (docs, landing) gets stand-ins, filled per reader after rendering; any
 * other page is rendered for one reader, so it gets that reader's values as it renders and
 * is never searched for stand-ins: a customer named `KwStandInAccountMenu` stays a name.
 */
export function pageSlots(astro: { response: { headers: Headers }; locals: App.Locals }): PageSlots {
  if (isTemplatePage(astro.response)) {
    return {
      keySource: STANDINS.keySource,
      apiBase: STANDINS.apiBase,
      keyNote: STANDINS.keyNote,
      accountMenu: STANDINS.accountMenu,
      secretKey: STANDINS.secretKey,
    };
  }
  const { reader, origin, slots } = astro.locals;
  return {
    keySource: reader.keySource,
    apiBase: origin.origin,
    keyNote: slots.keyNote,
    accountMenu: slots.accountMenu,
    secretKey: '',
  };
}
