// Practice places in a real browser, on a phone-sized screen: the demo student ranks two places
// of the open round at the demo college; the enterprise HR ranks the applicants of the second
// one with the student first; the career officer runs the allocation; the student then sees the
// outcome and, in words, why the place ranked higher did not take them.
//
// The outcome is fixed by the demo data: 创智精密's first place (数控车床操作岗位实习) is ranked
// by the enterprise without the demo student, so it "did not list you"; its second place
// (精密装配跟岗实习) ranks the student first, so the student is placed there, as choice 2.
//
// Run: `cd tests/browser && npm ci && node --test practice.test.js` (XIAOQI_BIN and
// CHROMIUM_PATH may be set).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH, clickAndLoad, loginAs, logoutOf, screenshotPath, startServer } from './support.js';

const haveChromium = existsSync(CHROMIUM_PATH);
const skip = !haveChromium && !process.env.CI ? `Chromium not found at ${CHROMIUM_PATH}` : false;

const FIRST = '数控车床操作岗位实习';
const SECOND = '精密装配跟岗实习';
const OPEN_ROUND = '2026 年春季岗位实习（演示）';

let started;
after(async () => {
  if (!started) return;
  const s = await started.catch(() => null);
  await s?.browser.close().catch(() => {});
  await s?.server.stop();
});

test('a student ranks places, the enterprise ranks applicants, the college runs the allocation, the student reads the certificate', { timeout: 240_000, skip }, async () => {
  started ??= (async () => {
    const server = await startServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    return { server, browser };
  })();
  const { server, browser } = await started;
  const context = await browser.newContext({
    locale: 'zh-CN',
    baseURL: server.baseUrl,
    viewport: { width: 390, height: 844 },
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    // The student finds the open round from the practice page and ranks two places.
    await loginAs(page, 'student@pcvc.demo');
    const studentName = (await (await page.request.get('/api/v1/me')).json()).display_name;
    await clickAndLoad(page, page.locator('header nav a[href="/practice"]'));
    // The open round (the demo also has an allocated one with internships under way).
    await clickAndLoad(page, page.locator('#rounds a[href^="/practice/rounds/"]', { hasText: OPEN_ROUND }));
    const roundPath = new URL(page.url()).pathname;
    const prefs = page.locator('form#preferences_form');
    const optionOf = async (title) =>
      (await prefs.locator('select[name="choice_0"] option', { hasText: title }).first().getAttribute('value'));
    await prefs.locator('select[name="choice_0"]').selectOption(await optionOf(FIRST));
    await prefs.locator('select[name="choice_1"]').selectOption(await optionOf(SECOND));
    await clickAndLoad(page, prefs.locator('button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, roundPath, `back on the round (${await page.locator('.errors').allInnerTexts()})`);
    assert.match(await prefs.locator('select[name="choice_1"] option:checked').innerText(), new RegExp(SECOND), 'the list is kept');
    await logoutOf(page);

    // The enterprise HR ranks the second place's applicants: the student first, then the rest.
    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto(roundPath);
    const second = await page.locator('.card.place', { hasText: SECOND }).getAttribute('data-place');
    const ranking = page.locator(`form.ranking[data-place="${second}"]`);
    const names = (await ranking.locator('select[name="rank_0"] option').allInnerTexts()).filter((n) => n !== '—');
    assert.ok(names.includes(studentName), `the student applied: ${names}`);
    const order = [studentName, ...names.filter((n) => n !== studentName)];
    for (const [i, name] of order.entries()) {
      await ranking.locator(`select[name="rank_${i}"]`).selectOption({ label: name });
    }
    await clickAndLoad(page, ranking.locator('button[type="submit"]'));
    assert.equal(await page.locator('.errors').count(), 0, `saved (${await page.locator('.errors').allInnerTexts()})`);
    const saved = page.locator(`form.ranking[data-place="${second}"] select[name="rank_0"] option:checked`);
    assert.equal(await saved.innerText(), studentName);
    await logoutOf(page);

    // The career officer runs the allocation once.
    await loginAs(page, 'career@pcvc.demo');
    await page.goto(roundPath);
    await clickAndLoad(page, page.locator('form#run_form button[type="submit"]'));
    assert.equal(await page.locator('#round_status').getAttribute('data-status'), 'allocated');
    const table = await page.locator('table#outcomes').innerText();
    assert.ok(table.includes(studentName) && table.includes(SECOND), `the outcomes: ${table}`);
    assert.equal(await page.locator('form#run_form').count(), 0, 'no second run');
    await logoutOf(page);

    // The student sees the outcome and why the first choice did not take them.
    await loginAs(page, 'student@pcvc.demo');
    await page.goto(roundPath);
    assert.equal(await page.locator('#my_place').innerText(), SECOND);
    const cert = await page.locator('#certificate').innerText();
    assert.ok(cert.includes(FIRST) && cert.includes('企业没有把你列入排序'), `the certificate in words: ${cert}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390 + 1, `fits a phone screen (scroll width ${width})`);
  } catch (err) {
    const shot = screenshotPath('practice-walk');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`page URL: ${page.url()}\nscreenshot: ${shot}\nserver output:\n${server.stderrTail()}`);
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
});
