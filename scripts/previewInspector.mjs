// Renders the token inspector webview outside VS Code, in headless Chromium, from a static page
// that stubs acquireVsCodeApi and posts a model built from a sample session, then screenshots it
// with the Dark Modern colours. Run: NODE24 scripts/previewInspector.mjs [outDir]
// Everything is local: the page is loaded from file:// and has the same CSP as the real panel.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateKeyPair, SignJWT } from 'jose';
import { chromium } from 'playwright-core';
import { buildInspectorModel, decodedTokenModel } from '../src/core/inspector/inspectorModel.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'out', 'inspector-preview'));
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(root, 'src/webview/inspector/main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: join(out, 'inspector.js'),
  logLevel: 'warning',
});
writeFileSync(join(out, 'inspector.css'), readFileSync(join(root, 'media/inspector.css')));

const now = Date.now();
const { privateKey } = await generateKeyPair('RS512');
const sec = Math.floor(now / 1000);
const idToken = await new SignJWT({
  sub: '656005750107',
  aud: 'cis2-client',
  azp: 'cis2-client',
  acr: 'AAL3_ANY',
  amr: ['N3_SMARTCARD'],
  id_assurance_level: 3,
  authentication_assurance_level: '3',
  auth_time: sec - 120,
  realm: '/NHSIdentity/Healthcare',
  tokenName: 'id_token',
  selected_roleid: '555254242105',
  at_hash: 'q6Xw3bZ0b3pXq2nQ',
})
  .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'cis2-mock-1' })
  .setIssuer('https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int')
  .setIssuedAt(sec - 120)
  .setExpirationTime(sec + 3480)
  .sign(privateKey);
const assertion = await new SignJWT({ jti: 'c0c8ad3b-3a57-4c41-9f4c-1d0b1f1f6f1a' })
  .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'local-emulator-1' })
  .setIssuer('API-KEY-0123456789')
  .setSubject('API-KEY-0123456789')
  .setAudience('http://127.0.0.1:4010/oauth2-mock/token')
  .setExpirationTime(sec + 35)
  .sign(privateKey);
const snapshot = {
  profileId: 'p-local',
  grant: 'token_exchange',
  identityProvider: 'cis2',
  tokenUrl: 'http://127.0.0.1:4010/oauth2-mock/token',
  accessToken: 'Gx8rTq1Zl0aYb2cVd3eWf4gHh5iJ',
  tokenType: 'Bearer',
  issuedAt: now - 2_000,
  accessTokenExpiresAt: now + 597_000,
  refreshToken: 'R7mPq2Lk9Xz4Ab8Cd1Ef6Gh3Ij5Kl0Mn',
  refreshTokenExpiresAt: now + 43_197_000,
  refreshPeriodEndsAt: now + 43_197_000,
  refreshCount: 2,
  idToken,
  lastClientAssertion: assertion,
  clockSkewMs: 1200,
  responseKeys: [
    'access_token',
    'expires_in',
    'token_type',
    'issued_token_type',
    'refresh_token',
    'refresh_token_expires_in',
    'refresh_count',
  ],
  autoRefresh: true,
};
const sessionModel = buildInspectorModel(snapshot, {
  now,
  profileName: 'Local emulator',
  environmentLabel: 'Local emulator (offline)',
  idTokenSignature: 'verified',
});
const nhsLoginId = await new SignJWT({
  aud: 'nhs-login-client',
  id_status: 'verified',
  token_use: 'id',
  auth_time: sec - 30,
  vot: 'P9.Cp.Cd',
  vtm: 'https://auth.sandpit.signin.nhs.uk/trustmark/auth.sandpit.signin.nhs.uk',
  jti: '0b1e5b6c-3c0e-4d8e-9d0b-7b2c1c6f1a11',
  identity_proofing_level: 'P9',
  nhs_number: '9912003071',
})
  .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'nhs-login-mock' })
  .setIssuer('https://identity.ptl.api.platform.nhs.uk/realms/NHS-Login-mock-int')
  .setSubject('49f470a1-cc52-49b7-beba-0f9cec937c46')
  .setIssuedAt(sec - 30)
  .setExpirationTime(sec - 5)
  .sign(privateKey);
const decodedModel = decodedTokenModel(nhsLoginId, now);

const theme = {
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-button-border': '#ffffff12',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-widget-border': '#313131',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textBlockQuote-background': '#2b2b2b',
  '--vscode-sideBar-background': '#181818',
  '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"DejaVu Sans Mono", Consolas, monospace',
  '--vscode-editor-font-size': '12.5px',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-errorForeground': '#f85149',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-inputValidation-warningBackground': '#352a05',
};

function page(name, model, state) {
  const nonce = 'preview' + Math.random().toString(36).slice(2);
  const css = Object.entries(theme)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  writeFileSync(join(out, `${name}-theme.css`), `html { ${css} }\n`);
  const feed = `window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: (s) => { window.__state = s; } });
window.addEventListener('load', () => window.postMessage(${JSON.stringify({ type: 'model', model, state })}, '*'));`;
  writeFileSync(join(out, `${name}-feed.js`), feed);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self' 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'none'">
<link rel="stylesheet" href="${name}-theme.css" nonce="${nonce}"><link rel="stylesheet" href="inspector.css" nonce="${nonce}"><title>Token Inspector</title></head>
<body><main id="app" aria-label="Token inspector"><p>Loading…</p></main>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
<script nonce="${nonce}" src="${name}-feed.js"></script><script nonce="${nonce}" src="inspector.js"></script></body></html>`;
  const file = join(out, `${name}.html`);
  writeFileSync(file, html);
  return file;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const [name, model, state] of [
    ['session', sessionModel, { version: 1, mode: 'session', profileId: 'p-local', followActive: false }],
    ['decoded', decodedModel, { version: 1, mode: 'decoded', model: decodedModel }],
  ]) {
    const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const requests = [];
    p.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await p.goto(pathToFileURL(page(name, model, state)).href);
    await p.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered'), null, {
      timeout: 5000,
    });
    await p.waitForTimeout(1200); // let one tick happen
    const posted = await p.evaluate(() => window.__posted);
    const rendered = posted.filter((m) => m.type === 'rendered').at(-1);
    await p.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(
      `${name}: posted ${posted.map((m) => m.type).join(',')}; countdowns ${JSON.stringify(rendered.countdowns)}; errors ${errors.length ? errors.join(' | ') : 'none'}; network ${requests.length}`,
    );
    await p.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots in ${out}`);
