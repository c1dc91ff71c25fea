// The membership walk in a real browser, once in Chinese and once in English:
// a visitor registers an enterprise → its administrator applies to join the alliance →
// the alliance administrator approves it in the queue → the enterprise is in the directory.
//
// Run: `cd tests/browser && npm ci && node --test` (XIAOQI_BIN and CHROMIUM_PATH may be set).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import {
  ALLIANCE_ADMIN,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  DEMO_PASSWORD,
  creditCheckCharacter,
  freshCreditCode,
  freshMobile,
  screenshotPath,
  startServer,
  uniqueSuffix,
} from './support.js';

const ACTION_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 240_000;

/** What each UI language shows, for the assertions. */
const UI = {
  zh: {
    htmlLang: 'zh-CN',
    directory: '成员名录',
    queue: '入盟审核',
    logout: '退出',
    login: '登录',
    member: '联盟成员',
    pending: '待审核',
    approved: '已批准',
    none: '没有',
  },
  en: {
    htmlLang: 'en',
    directory: 'Directory',
    queue: 'Applications',
    logout: 'Log out',
    login: 'Log in',
    member: 'Member',
    pending: 'Pending',
    approved: 'Approved',
    none: 'Nothing matches.',
  },
};

// Chromium is a system package: fail in CI when it is missing, skip elsewhere.
const haveChromium = existsSync(CHROMIUM_PATH);
let browserSkip = false;
if (!haveChromium) {
  const msg =
    `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium ` +
    '(apt-get install chromium) or set CHROMIUM_PATH';
  if (process.env.CI) {
    test('Chromium is installed', () => assert.fail(`${msg} (CI is set, so this is a failure)`));
  } else {
    console.log(`skipping the browser walk: ${msg}`);
    browserSkip = `skipped: ${msg}`;
  }
}

test('the credit code generator follows GB 32100 (published codes)', () => {
  for (const code of ['91350100M000100Y43', '91440300708461136T']) {
    assert.equal(creditCheckCharacter(code.slice(0, 17)), code[17], code);
  }
  const fresh = freshCreditCode();
  assert.match(fresh, /^91440305MA5[0-9A-HJ-NP-RT-UW-Y]{7}$/);
  assert.equal(creditCheckCharacter(fresh.slice(0, 17)), fresh[17]);
});

describe('membership walk in the browser', () => {
  // One server and one browser for both walks, started by the first walk that runs (inside a
  // test, so that a failure to start counts as a failed test) and stopped after the last.
  let started;
  const start = () => {
    started ??= (async () => {
      const server = await startServer();
      try {
        const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
        return { server, browser };
      } catch (e) {
        await server.stop();
        throw e;
      }
    })();
    return started;
  };

  after(async () => {
    if (!started) return;
    const s = await started.catch(() => null);
    await s?.browser.close().catch(() => {});
    await s?.server.stop();
  });

  for (const lang of ['zh', 'en']) {
    const name = `membership walk (${lang})`;
    test(name, { timeout: TEST_TIMEOUT_MS, skip: browserSkip || !haveChromium }, async () => {
      const { server, browser } = await start();
      // A Chinese browser: the English run gets there through the header switch only.
      const context = await browser.newContext({ locale: 'zh-CN', baseURL: server.baseUrl });
      const page = await context.newPage();
      page.setDefaultTimeout(ACTION_TIMEOUT_MS);
      page.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS * 2);
      try {
        await walk(page, lang);
      } catch (err) {
        const shot = screenshotPath(`membership-walk-${lang}`);
        await page.screenshot({ path: shot, fullPage: true }).catch((e) => console.error(`screenshot failed: ${e}`));
        console.error(`FAILED: ${name}`);
        console.error(`page URL: ${page.url()}`);
        console.error(`screenshot: ${shot}`);
        console.error(`server output (tail):\n${server.stderrTail()}`);
        throw err;
      } finally {
        await context.close().catch(() => {});
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------

/** Clicks something that submits a form or follows a link and waits for the new page. */
async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

/** The error list a form page shows, for failure messages. */
async function formErrors(page) {
  const errs = page.locator('.errors');
  return (await errs.count()) ? (await errs.innerText()).trim() : '(no error list on the page)';
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

async function navTexts(page) {
  return (await page.locator('header nav a').allInnerTexts()).map((s) => s.trim());
}

/** Asserts that the chrome of the page is in the given language. */
async function assertLanguage(page, lang) {
  const ui = UI[lang];
  assert.equal(await page.locator('html').getAttribute('lang'), ui.htmlLang, `<html lang> on ${pathOf(page)}`);
  const nav = await navTexts(page);
  assert.ok(nav.includes(ui.directory), `nav shows "${ui.directory}" on ${pathOf(page)}: ${JSON.stringify(nav)}`);
  // The switch offers the other language.
  assert.equal(await page.locator(lang === 'en' ? 'a#lang-zh' : 'a#lang-en').count(), 1, 'language switch');
}

async function login(page, lang, who, password) {
  await page.goto('/login');
  await assertLanguage(page, lang);
  const form = page.locator('form#login-form');
  await form.locator('input[name="login"]').fill(who);
  await form.locator('input[name="password"]').fill(password);
  await clickAndLoad(page, form.locator('button[type="submit"]'));
  assert.equal(pathOf(page), '/', `logged in as ${who} and sent home; the page says: ${await formErrors(page)}`);
  // Logged in: the header has the logout button in this language.
  const logout = page.locator('header form[action="/logout"] button');
  assert.equal((await logout.innerText()).trim(), UI[lang].logout);
}

async function logout(page, lang) {
  const button = page.locator('header form[action="/logout"] button');
  assert.equal((await button.innerText()).trim(), UI[lang].logout);
  await clickAndLoad(page, button);
  assert.equal(new URL(page.url()).pathname, '/login', 'logged out to the login page');
  const loginLink = page.locator('header .who a[href="/login"]');
  assert.equal((await loginLink.innerText()).trim(), UI[lang].login, 'the header offers to log in again');
}

/** Searches the directory by name through its filter form; returns the table's text. */
async function searchDirectory(page, lang, q) {
  await clickAndLoad(page, page.locator('header nav a[href="/directory"]'));
  await assertLanguage(page, lang);
  const filters = page.locator('form#directory-filters');
  await filters.locator('input[name="q"]').fill(q);
  await clickAndLoad(page, filters.locator('button[type="submit"]'));
  assert.equal(new URL(page.url()).pathname, '/directory');
  assert.equal(new URL(page.url()).searchParams.get('q'), q, 'the search was submitted');
  return (await page.locator('table#directory-table').innerText()).trim();
}

async function walk(page, lang) {
  const ui = UI[lang];
  const tag = uniqueSuffix();
  const enterprise = {
    name: lang === 'zh' ? `深圳浏览器测试科技有限公司${tag}` : `Browser Walk Technology Co ${tag}`,
    creditCode: freshCreditCode(),
    adminName: lang === 'zh' ? `测试管理员${tag}` : `Walk Admin ${tag}`,
    adminEmail: `walk-${lang}-${tag.toLowerCase()}@example.com`,
    adminMobile: freshMobile(),
    password: `walk-${tag}-secret`,
  };
  const message = lang === 'zh' ? `我们希望加入联盟（${tag}）` : `We would like to join (${tag})`;

  // 1. A visitor opens the registration page (Chinese by default), in English after the switch.
  await page.goto('/register');
  await assertLanguage(page, 'zh');
  if (lang === 'en') {
    await clickAndLoad(page, page.locator('header a#lang-en'));
    assert.equal(new URL(page.url()).pathname, '/register', 'the switch returns to the same page');
    await assertLanguage(page, 'en');
  }

  // 2. … and registers the enterprise.
  const reg = page.locator('form#register-form');
  await reg.locator('select[name="kind"]').selectOption('enterprise');
  await reg.locator('input[name="name"]').fill(enterprise.name);
  await reg.locator('input[name="region_code"]').fill('440305');
  await reg.locator('input[name="credit_code"]').fill(enterprise.creditCode);
  await reg.locator('select[name="industry"]').selectOption('software_it_services');
  await reg.locator('input[name="employees"]').fill('50');
  await reg.locator('input[name="annual_revenue_yuan"]').fill('8000000');
  await reg.locator('input[name="admin_name"]').fill(enterprise.adminName);
  await reg.locator('input[name="admin_email"]').fill(enterprise.adminEmail);
  await reg.locator('input[name="admin_mobile"]').fill(enterprise.adminMobile);
  await reg.locator('input[name="password"]').fill(enterprise.password);
  await clickAndLoad(page, reg.locator('button[type="submit"]'));
  assert.equal(
    pathOf(page),
    '/login?registered=1',
    `registration accepted (credit code ${enterprise.creditCode}); the page says: ${await formErrors(page)}`,
  );
  await assertLanguage(page, lang);

  // 3. The new administrator logs in and applies from the home page.
  await login(page, lang, enterprise.adminEmail, enterprise.password);
  await assertLanguage(page, lang);
  const card = page.locator('main .card', { has: page.locator(`a strong:text-is("${enterprise.name}")`) });
  assert.equal(await card.count(), 1, 'the home page lists the new organisation');
  const apply = card.locator('form[id^="apply-form-"]');
  assert.equal(await apply.count(), 1, 'the organisation may apply');
  const orgId = (await apply.getAttribute('id')).replace('apply-form-', '');
  assert.match(orgId, /^\d+$/);
  await apply.locator('textarea[name="message"]').fill(message);
  await clickAndLoad(page, apply.locator('button[type="submit"]'));
  assert.equal(pathOf(page), `/orgs/${orgId}`, 'after applying the profile is shown');
  assert.equal((await page.locator('#org-name').innerText()).trim(), enterprise.name);
  assert.equal((await page.locator('#membership-status').innerText()).trim(), ui.pending, 'membership is pending');

  // 4. Before approval the enterprise is not in the member directory.
  const before = await searchDirectory(page, lang, enterprise.name);
  assert.ok(!before.includes(enterprise.name), `not yet in the directory, but the table shows:\n${before}`);
  assert.ok(before.includes(ui.none), `the empty directory says so; the table shows:\n${before}`);

  // 5. Log out; the alliance administrator logs in (the language is remembered).
  await logout(page, lang);
  await assertLanguage(page, lang);
  await login(page, lang, ALLIANCE_ADMIN, DEMO_PASSWORD);

  // 6. The queue: find the enterprise's application and approve it.
  const queueLink = page.locator('header nav a[href="/membership/queue"]');
  assert.equal((await queueLink.innerText()).trim(), ui.queue);
  await clickAndLoad(page, queueLink);
  await assertLanguage(page, lang);
  const application = page.locator(`.card.application[data-org="${enterprise.name}"]`);
  assert.equal(await application.count(), 1, 'the application is in the pending queue');
  assert.ok((await application.innerText()).includes(message), 'the queue shows the message');
  assert.ok((await application.locator('.tag').innerText()).includes(ui.pending));
  await clickAndLoad(page, application.locator('button.approve'));
  assert.equal(await page.locator('.errors').count(), 0, `approval accepted; the page says: ${await formErrors(page)}`);
  const flash = (await page.locator('.flash').innerText()).trim();
  assert.ok(flash.includes(enterprise.name) && flash.includes(ui.approved), `flash after approval: ${flash}`);
  assert.equal(
    await page.locator(`.card.application[data-org="${enterprise.name}"]`).count(),
    0,
    'no longer pending',
  );

  // 7. The directory now lists it; the profile shows the member state.
  const afterText = await searchDirectory(page, lang, enterprise.name);
  const link = page.locator('table#directory-table a', { hasText: enterprise.name });
  assert.equal(await link.count(), 1, `the directory lists the enterprise; the table shows:\n${afterText}`);
  const row = page.locator('table#directory-table tbody tr', {
    has: page.locator('a', { hasText: enterprise.name }),
  });
  assert.ok((await row.innerText()).includes(ui.member), `the row shows "${ui.member}": ${await row.innerText()}`);
  await clickAndLoad(page, link);
  assert.equal(new URL(page.url()).pathname, `/orgs/${orgId}`);
  await assertLanguage(page, lang);
  assert.equal((await page.locator('#org-name').innerText()).trim(), enterprise.name);
  assert.equal((await page.locator('#membership-status').innerText()).trim(), ui.member, 'the member state');
}
