import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';

/** A local SMTP server that keeps every message it is sent, for a server under test to use. */
export interface MailCatcher {
  /** For the server's `SMTP_URL`. */
  url: string;
  /** Every message received so far, raw (headers and body). */
  received: string[];
  /** The messages sent to one address. */
  to: (address: string) => string[];
  close: () => void;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const received: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push(text);
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => received.filter((message) => message.includes(`To: ${address}`)),
    close: () => smtp.close(),
  };
}

/** The verification link in a message, as a path with its query (quoted-printable undone). */
export function verificationPath(message: string): string {
  const unfolded = message.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /https?:\/\/[^/\s]+(\/verify-email\/[a-z2-7]{24}\?next=[^\s]+)/.exec(unfolded);
  if (!match) throw new Error(`No verification link in:\n${message}`);
  return match[1]!;
}
