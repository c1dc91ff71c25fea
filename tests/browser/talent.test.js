// The talent market in a real browser: an enterprise HR contact posts a demand and accepts the
// suggested standard occupation with one click; a college career officer then sees the matching
// students (only those who consented) and the demand insight of the college.
//
// Run: `cd tests/browser && npm ci && node --test` (XIAOQI_BIN and CHROMIUM_PATH may be set).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';

import { chromium } from 'playwright-core';

import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  clickAndLoad,
  loginAs,
  logoutOf,
  screenshotPath,
  startServer,
  uniqueSuffix,
} from './support.js';

const haveChromium = existsSync(CHROMIUM_PATH);
const skip = !haveChromium && !process.env.CI ? `Chromium not found at ${CHROMIUM_PATH}` : false;

let started;
after(async () => {
  if (!started) return;
  const s = await started.catch(() => null);
  await s?.browser.close().catch(() => {});
  await s?.server.stop();
});

test('an enterprise posts a demand with the suggested occupation; a career officer sees consenting matches and insight', { timeout: 240_000, skip }, async () => {
  started ??= (async () => {
    const server = await startServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    return { server, browser };
  })();
  const { server, browser } = await started;
  const context = await browser.newContext({ locale: 'zh-CN', baseURL: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    // Enterprise HR posts a demand.
    await loginAs(page, 'hr@chuangzhi.demo');
    await clickAndLoad(page, page.locator('header nav a[href="/demands"]'));
    await clickAndLoad(page, page.locator('a[href^="/demands/new?org="]').first());
    const title = `CNC操机师傅 包吃住 ${uniqueSuffix()}`;
    const form = page.locator('form.stack');
    await form.locator('input[name="title"]').fill(title);
    // The suggestions arrive as the title is typed; one click accepts the best one.
    const best = page.locator('#suggest_box button[data-occupation-code]').first();
    await best.waitFor();
    const code = await best.getAttribute('data-occupation-code');
    assert.match(code, /^\d-\d\d-\d\d-\d\d$/, 'a standard occupation code is suggested');
    await best.click();
    assert.equal(await form.locator('input[name="occupation_code"]').inputValue(), code, 'one click fills the code');
    await form.locator('textarea[name="r0_skills"]').fill('数控车削 5 3\n机械识图 3 3');
    await form.locator('input[name="headcount"]').fill('2');
    await form.locator('input[name="region_code"]').fill('440305');
    await form.locator('input[name="valid_until"]').fill('2999-12-31');
    await clickAndLoad(page, form.locator('button[name="publish"]'));
    assert.match(new URL(page.url()).pathname, /^\/demands\/\d+$/, `the demand page opens (${await page.locator('.errors').allInnerTexts()})`);
    assert.equal(await page.locator('#demand_status').getAttribute('data-status'), 'published');
    const demandPath = new URL(page.url()).pathname;
    const hrMatches = await page.locator('table#student_matches').innerText();
    assert.ok(hrMatches.includes('陈一鸣'), `a consenting student is matched for HR: ${hrMatches}`);
    await logoutOf(page);

    // The college career officer sees the same demand's matches among the college's students.
    await loginAs(page, 'career@pcvc.demo');
    await page.goto(demandPath);
    const matches = await page.locator('table#student_matches').innerText();
    assert.ok(matches.includes('陈一鸣'), `consenting students are listed: ${matches}`);
    assert.ok(!matches.includes('何子轩'), 'a student who did not consent is never listed');

    // And the demand insight of the college, with the gap table and a CSV export.
    const me = await (await page.request.get('/api/v1/me')).json();
    const college = me.roles.find((r) => r.role === 'career_officer').org_id;
    await page.goto(`/orgs/${college}/insight`);
    const gaps = await page.locator('table#skill_gaps').innerText();
    assert.ok(gaps.includes('数控车削'), `the new demand's skill is in the insight: ${gaps.slice(0, 400)}`);
    const csv = await page.request.get(`/api/v1/organizations/${college}/demand-insight.csv?table=skills`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /数控车削/);
  } catch (err) {
    const shot = screenshotPath('talent-walk');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`page URL: ${page.url()}\nscreenshot: ${shot}\nserver output:\n${server.stderrTail()}`);
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
});
