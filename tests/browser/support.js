// Helpers for the browser walk: the real `xiaoqi` binary on a free port with a fresh data
// directory, Debian's Chromium through playwright-core, and test data (credit codes, names).

import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(HERE, 'screenshots');

/** The binary under test: $XIAOQI_BIN, else the debug build of the workspace. */
export const XIAOQI_BIN = resolve(HERE, process.env.XIAOQI_BIN || '../../target/debug/xiaoqi');
/** Debian's Chromium (never a browser downloaded by playwright). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DEMO_PASSWORD = 'xiaoqi-demo';
export const ALLIANCE_ADMIN = 'admin@alliance.demo';

// ---------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)

/** The 31 permitted characters in value order: digits and capitals without I, O, S, V, Z. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (18th) for the first 17 characters of a code. */
export function creditCheckCharacter(first17) {
  if (first17.length !== 17) throw new Error(`need 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`character ${i + 1} (${first17[i]}) is not permitted`);
    sum += v * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** A fresh valid code: a company (91) in Nanshan, Shenzhen (440305), random organisation code. */
export function freshCreditCode() {
  let org = 'MA5';
  while (org.length < 9) org += ALPHABET[randomInt(ALPHABET.length)];
  const body = `91440305${org}`;
  return body + creditCheckCharacter(body);
}

/** A short token unique to this run and call. */
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${randomInt(36 ** 4).toString(36).padStart(4, '0')}`.toUpperCase();
}

/** A mobile number in the 139 range with random digits. */
export function freshMobile() {
  return `139${String(randomInt(1e8)).padStart(8, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// The server

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `xiaoqi serve --demo` on a free port with a fresh data directory and waits (bounded)
 * until `GET /healthz` answers 200. Returns { baseUrl, stderrTail(), stop() }.
 */
export async function startServer({ readyTimeoutMs = 90_000 } = {}) {
  if (!existsSync(XIAOQI_BIN)) {
    throw new Error(
      `xiaoqi binary not found at ${XIAOQI_BIN}: build it with \`cargo build -p xiaoqi\` ` +
        'or point XIAOQI_BIN at it',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoqi-browser-'));
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  // The test's own database only: drop any XIAOQI_* settings that could point elsewhere.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('XIAOQI_') || k === 'XIAOQI_LOG'),
  );
  env.NO_COLOR = '1';
  const child = spawn(XIAOQI_BIN, ['--data-dir', dataDir, '--listen', listen, 'serve', '--demo'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const lines = [];
  const keep = (prefix) => (chunk) => {
    for (const l of chunk.toString('utf8').split('\n')) {
      if (l.trim() === '') continue;
      lines.push(prefix + l);
      if (lines.length > 400) lines.shift();
    }
  };
  child.stdout.on('data', keep('[out] '));
  child.stderr.on('data', keep(''));
  let exited = null;
  const exitedPromise = new Promise((r) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      r(exited);
    }),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stderrTail = (n = 40) => lines.slice(-n).join('\n');
  const baseUrl = `http://${listen}`;

  async function stop() {
    process.off('exit', killOnExit);
    if (exited === null) {
      child.kill('SIGTERM');
      const done = await Promise.race([exitedPromise, sleep(5_000).then(() => null)]);
      if (done === null) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited !== null) {
      await stop();
      throw new Error(
        `xiaoqi exited before it was ready (code ${exited.code}, signal ${exited.signal}); ` +
          `its output:\n${stderrTail()}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      if (res.status === 200 && body.trim() === 'ok') {
        return { baseUrl, dataDir, stderrTail, stop };
      }
      last = `HTTP ${res.status}: ${body.slice(0, 200)}`;
    } catch (e) {
      last = String(e?.cause?.code || e?.message || e);
    }
    await sleep(100);
  }
  await stop();
  throw new Error(
    `xiaoqi did not become ready within ${readyTimeoutMs} ms (last /healthz: ${last}); ` +
      `its output:\n${stderrTail()}`,
  );
}

/** The screenshot folder (git-ignored), created on demand. */
export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
}

// ---------------------------------------------------------------------------------------------
// Page helpers shared by the walks

/** Clicks something that submits a form or follows a link and waits for the new page. */
export async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

/** Logs in through the login form (any language) and expects to land on the home page. */
export async function loginAs(page, who, password = DEMO_PASSWORD) {
  await page.goto('/login');
  const form = page.locator('form#login-form');
  await form.locator('input[name="login"]').fill(who);
  await form.locator('input[name="password"]').fill(password);
  await clickAndLoad(page, form.locator('button[type="submit"]'));
  if (new URL(page.url()).pathname !== '/') {
    const errs = page.locator('.errors');
    const text = (await errs.count()) ? await errs.innerText() : '(no error list)';
    throw new Error(`login as ${who} did not reach the home page: ${text}`);
  }
}

/** Logs out through the header button. */
export async function logoutOf(page) {
  await clickAndLoad(page, page.locator('header form[action="/logout"] button'));
}
