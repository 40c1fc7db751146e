/** The longest account name: it has to fit the account menu and an invitation's sentence. */
export const MAX_ACCOUNT_NAME_LENGTH = 80;

/**
 * Control characters (a pasted tab or newline included) and the bidirectional overrides that
 * can make a name read backwards in "X invited you to <name>".
 */
const UNSAFE_CHARACTERS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** What is wrong with a name as typed, or null; an empty name is for the caller to decide. */
export function accountNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (UNSAFE_CHARACTERS.test(trimmed)) return 'Use letters, digits, spaces and punctuation only.';
  if (trimmed.length > MAX_ACCOUNT_NAME_LENGTH) {
    return `Use at most ${MAX_ACCOUNT_NAME_LENGTH} characters for the name.`;
  }
  return null;
}

/** The name as it is kept: trimmed, with runs of spaces made one. */
export function normalizeAccountName(name: string): string {
  return name.trim().replace(/ +/g, ' ');
}

/**
 * The name an account gets when its owner gives none: "jenny.rosen's account", from the
 * local part of their email, so an invitation reads "… invited you to jenny.rosen's account"
 * and not "… to jenny.rosen@example.com", which looks like a person.
 */
export function defaultAccountName(email: string): string {
  const localPart = email.slice(0, email.lastIndexOf('@')) || email;
  return `${localPart}'s account`.slice(0, MAX_ACCOUNT_NAME_LENGTH);
}
