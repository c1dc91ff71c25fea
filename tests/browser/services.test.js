// The services marketplace in a real browser, once in Chinese and once in English:
// the enterprise HR finds the demo college through the marketplace and invites it to run a
// training → the college administrator finds the invitation in the service requests, accepts
// it, is refused a schedule that ends before it starts, then schedules it → the HR sees the
// scheduled request and the notification.
//
// Run: `cd tests/browser && npm ci && node --test` (XIAOQI_BIN and CHROMIUM_PATH may be set).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH, DEMO_PASSWORD, screenshotPath, startServer, uniqueSuffix } from './support.js';

const ACTION_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 240_000;

const HR = 'hr@chuangzhi.demo';
const COLLEGE_ADMIN = 'admin@pcvc.demo';
const COLLEGE = '鹏城职业技术学院';

/** What each UI language shows, for the assertions. */
const UI = {
  zh: {
    htmlLang: 'zh-CN',
    services: '服务市场',
    requests: '服务申请',
    logout: '退出',
    requested: '待院校回复',
    accepted: '已接受',
    scheduled: '已排期',
    acceptedFlash: '已办理：接受',
    scheduledFlash: '已办理：排期',
    endBeforeStart: '结束时间须晚于开始时间',
    invite: '邀请该院校开展企业培训',
    notified: '接受了服务申请',
  },
  en: {
    htmlLang: 'en',
    services: 'Services',
    requests: 'Service requests',
    logout: 'Log out',
    requested: 'Awaiting the college',
    accepted: 'Accepted',
    scheduled: 'Scheduled',
    acceptedFlash: 'Done: Accept',
    scheduledFlash: 'Done: Schedule',
    endBeforeStart: 'The end must be after the start',
    invite: 'Invite this college to run a training',
    notified: 'accepted the service request',
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
    test('Chromium is installed (services walk)', () => assert.fail(`${msg} (CI is set, so this is a failure)`));
  } else {
    console.log(`skipping the services walk: ${msg}`);
    browserSkip = `skipped: ${msg}`;
  }
}

describe('services walk in the browser', () => {
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
    const name = `an enterprise invites the college to run a training; the college accepts and schedules (${lang})`;
    test(name, { timeout: TEST_TIMEOUT_MS, skip: browserSkip || !haveChromium }, async () => {
      const { server, browser } = await start();
      // A phone-sized window: the pages are used on phones.
      const context = await browser.newContext({
        locale: 'zh-CN',
        baseURL: server.baseUrl,
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(ACTION_TIMEOUT_MS);
      page.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS * 2);
      try {
        await walk(page, lang);
      } catch (err) {
        const shot = screenshotPath(`services-walk-${lang}`);
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

async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

async function formErrors(page) {
  const errs = page.locator('.errors');
  return (await errs.count()) ? (await errs.innerText()).trim() : '(no error list on the page)';
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

async function assertLanguage(page, lang) {
  assert.equal(await page.locator('html').getAttribute('lang'), UI[lang].htmlLang, `<html lang> on ${pathOf(page)}`);
}

async function login(page, lang, who) {
  await page.goto('/login');
  if (lang === 'en' && (await page.locator('header a#lang-en').count()) === 1) {
    await clickAndLoad(page, page.locator('header a#lang-en'));
  }
  await assertLanguage(page, lang);
  const form = page.locator('form#login-form');
  await form.locator('input[name="login"]').fill(who);
  await form.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await clickAndLoad(page, form.locator('button[type="submit"]'));
  assert.equal(pathOf(page), '/', `logged in as ${who}; the page says: ${await formErrors(page)}`);
}

async function logout(page, lang) {
  const button = page.locator('header form[action="/logout"] button');
  assert.equal((await button.innerText()).trim(), UI[lang].logout);
  await clickAndLoad(page, button);
  assert.equal(new URL(page.url()).pathname, '/login');
}

/** Follows a link of the header navigation by its text. */
async function nav(page, href, text) {
  const link = page.locator(`header nav a[href="${href}"]`);
  assert.equal((await link.innerText()).trim(), text, `the navigation names ${href}`);
  await clickAndLoad(page, link);
  assert.equal(new URL(page.url()).pathname, href);
}

async function statusOf(page) {
  return (await page.locator('#request-status').innerText()).trim();
}

async function walk(page, lang) {
  const ui = UI[lang];
  const tag = uniqueSuffix();
  const title = lang === 'zh' ? `班组长质量管理培训（${tag}）` : `Team leader quality training (${tag})`;

  // 1. The HR finds the college through the marketplace and opens its page.
  await login(page, lang, HR);
  await nav(page, '/services', ui.services);
  await assertLanguage(page, lang);
  const offerings = page.locator('#offerings .offering');
  assert.ok((await offerings.count()) >= 4, 'the demo offerings are listed');
  const filters = page.locator('form#services-filters');
  await filters.locator('select[name="college"]').selectOption({ label: COLLEGE });
  await clickAndLoad(page, filters.locator('button[type="submit"]'));
  const collegeLink = page.locator('#offerings .offering a', { hasText: COLLEGE }).first();
  await clickAndLoad(page, collegeLink);
  assert.match(new URL(page.url()).pathname, /^\/orgs\/\d+$/);
  assert.equal((await page.locator('#org-name').innerText()).trim(), COLLEGE);

  // 2. … and invites it to run a training.
  const invite = page.locator('a#invite-link');
  assert.equal((await invite.innerText()).trim(), ui.invite);
  await clickAndLoad(page, invite);
  const form = page.locator('form#invite-form');
  await form.locator('input[name="title"]').fill(title);
  await form.locator('input[name="participants_expected"]').fill('25');
  await form.locator('input[name="preferred_period"]').fill(lang === 'zh' ? '三月第一周' : 'first week of March');
  await form.locator('textarea[name="message"]').fill(lang === 'zh' ? '请派两位老师到厂授课。' : 'Two teachers on site, please.');
  await clickAndLoad(page, form.locator('button[type="submit"]'));
  assert.match(pathOf(page), /^\/service-requests\/\d+$/, `invitation sent; the page says: ${await formErrors(page)}`);
  const requestPath = pathOf(page);
  assert.equal((await page.locator('#request-title').innerText()).trim(), title);
  assert.equal(await statusOf(page), ui.requested);
  assert.equal(await page.locator('form#cancel-form').count(), 1, 'the enterprise may cancel');
  assert.equal(await page.locator('form#accept-form').count(), 0, 'but not accept');
  await logout(page, lang);

  // 3. The college administrator finds it among the service requests and accepts it.
  await login(page, lang, COLLEGE_ADMIN);
  await nav(page, '/service-requests', ui.requests);
  const row = page.locator(`#requests-table tr.request[data-title="${title}"]`);
  assert.equal(await row.count(), 1, 'the invitation is in the college inbox');
  assert.equal(await row.getAttribute('data-status'), 'requested');
  await clickAndLoad(page, row.locator('a'));
  assert.equal(pathOf(page), requestPath);
  await clickAndLoad(page, page.locator('form#accept-form button[type="submit"]'));
  assert.ok((await page.locator('.flash').innerText()).includes(ui.acceptedFlash), 'the step is confirmed');
  assert.equal(await statusOf(page), ui.accepted);

  // 4. A schedule that ends before it starts is refused on the form; a good one is kept.
  const schedule = page.locator('form#schedule-form');
  await schedule.locator('input[name="scheduled_start"]').fill('2026-03-02T09:00');
  await schedule.locator('input[name="scheduled_end"]').fill('2026-03-02T08:00');
  await clickAndLoad(page, schedule.locator('button[type="submit"]'));
  assert.ok((await formErrors(page)).includes(ui.endBeforeStart), `the error names the rule: ${await formErrors(page)}`);
  assert.equal(await statusOf(page), ui.accepted, 'the refused schedule changed nothing');
  await schedule.locator('input[name="scheduled_start"]').fill('2026-03-02T09:00');
  await schedule.locator('input[name="scheduled_end"]').fill('2026-03-02T12:00');
  await clickAndLoad(page, schedule.locator('button[type="submit"]'));
  assert.ok((await page.locator('.flash').innerText()).includes(ui.scheduledFlash), await formErrors(page));
  assert.equal(await statusOf(page), ui.scheduled);
  assert.equal((await page.locator('#request-schedule').innerText()).trim(), '2026-03-02 09:00 – 2026-03-02 12:00');
  const history = await page.locator('#request-history').innerText();
  assert.ok(history.includes(ui.accepted) && history.includes(ui.scheduled), `the history: ${history}`);
  await logout(page, lang);

  // 5. The HR sees the scheduled training and was told of the acceptance.
  await login(page, lang, HR);
  await page.goto(requestPath);
  assert.equal(await statusOf(page), ui.scheduled);
  await page.goto('/notifications');
  const notes = await page.locator('main').innerText();
  assert.ok(notes.includes(ui.notified) && notes.includes(title), `notifications: ${notes}`);
}
