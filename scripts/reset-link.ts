// `npm run reset-link -- <email>`: prints a link that lets that user choose a new password,
// for sites without SMTP_URL, where /forgot-password can only tell readers to ask the
// operator. It reads the same settings as the server (DATABASE_URL, PUBLIC_ORIGIN, HOST,
// PORT), so the link names the site and its token is in the site's database. The user's
// earlier links stop working; the new one works once, for 30 minutes.
import { normalizeEmail } from '../src/lib/auth/accounts.ts';
import { createPasswordReset, RESET_TTL_MS } from '../src/lib/auth/password-reset.ts';
import { resetLink } from '../src/lib/auth/password-reset-mail.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import { linkOrigin } from '../src/lib/config/link-origin.ts';
import { closeDatabase, getDatabase } from '../src/lib/db/index.ts';

const address = process.argv[2];
if (!address) {
  console.error('Usage: npm run reset-link -- <email of the account>');
  process.exit(2);
}

try {
  const config = loadConfig();
  const { db } = await getDatabase(config.database);
  const email = normalizeEmail(address);
  const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!user) {
    console.error(`No account has the address ${email}.`);
    process.exitCode = 1;
  } else {
    const token = await createPasswordReset(db, user.id);
    console.log(resetLink(linkOrigin(config), token));
    console.error(
      `Give this link to ${email} only. It works once, for ${RESET_TTL_MS / 60_000} minutes; ` +
        `using it signs the account out everywhere.`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
