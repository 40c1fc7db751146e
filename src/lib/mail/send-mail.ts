import nodemailer from 'nodemailer';

/** The configured SMTP server (`SMTP_URL`) and sender (`MAIL_FROM`). */
export interface SmtpSettings {
  url: string;
  from: string;
}

/** Whether the email went out; on failure, the reason in words a person can act on. */
export type SendResult = { sent: true } | { sent: false; reason: string };

/**
 * Sends one plain-text email through the SMTP server (nodemailer). A failure is returned,
 * not thrown: every caller has a way on without the email and says what happened.
 */
export async function sendMail(
  smtp: SmtpSettings,
  message: { to: string; subject: string; text: string },
): Promise<SendResult> {
  const transport = nodemailer.createTransport(smtp.url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  });
  try {
    await transport.sendMail({ from: smtp.from, ...message });
    return { sent: true };
  } catch (error) {
    return { sent: false, reason: (error as Error).message };
  } finally {
    transport.close();
  }
}
