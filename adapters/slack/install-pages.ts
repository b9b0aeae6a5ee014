// The web pages of the OAuth install flow (/slack/install and the page after Slack sends the installer back), in the deployment's language.
import type { ServerResponse } from 'node:http';
import type { Installation } from '@slack/bolt';
import { t, type Locale } from '../../src/i18n/index.js';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function page(locale: Locale, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Minga</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}a.button{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;background:#4a154b;color:#fff;text-decoration:none}</style>
</head>
<body>
${body}
</body>
</html>`;
}

/** /slack/install: what Minga is, and the link that starts Slack's consent screen. */
export function installPage(locale: Locale, addToSlackUrl: string): string {
  return page(
    locale,
    `<h1>${escapeHtml(t(locale, 'slack.install.heading'))}</h1>
<p>${escapeHtml(t(locale, 'slack.install.intro'))}</p>
<p><a class="button" href="${escapeHtml(addToSlackUrl)}">${escapeHtml(t(locale, 'slack.install.button'))}</a></p>`,
  );
}

export function installedPage(locale: Locale, installation: Pick<Installation, 'team' | 'enterprise'>): string {
  const workspace = installation.team?.name ?? installation.enterprise?.name ?? installation.team?.id ?? '';
  return page(locale, `<h1>${escapeHtml(t(locale, 'slack.install.done', { workspace }))}</h1>
<p>${escapeHtml(t(locale, 'slack.install.next'))}</p>`);
}

export function installFailedPage(locale: Locale): string {
  return page(locale, `<h1>${escapeHtml(t(locale, 'slack.install.failed'))}</h1>
<p><a href="/slack/install">${escapeHtml(t(locale, 'slack.install.retry'))}</a></p>`);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}
