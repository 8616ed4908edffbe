// The page shell shared by run and history pages: strict Content-Security-Policy (script allowed
// only by hash), inline CSS, no external resource of any kind.
import { createHash } from 'node:crypto';
import { html, trusted, type SafeHtml } from './html-escape.js';
import { REPORT_CSS, REPORT_SCRIPT } from './html-assets.js';

/** The CSP: nothing may load; only our own inline script (by hash) may run; images only as data: URIs. */
export function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** A complete HTML document around `body`. */
export function renderPage(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(REPORT_SCRIPT)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
${body}
<script>${trusted(REPORT_SCRIPT)}</script>
</body>
</html>
`.value;
}

/** A coloured verdict label; the text itself carries the meaning (prints and reads without colour). */
export function verdictBadge(v: string): SafeHtml {
  return html`<span class="v v-${v}">${v.toUpperCase()}</span>`;
}
