// Research cooperation in a real browser, on a phone-sized screen, in Chinese: an SME posts a
// technical problem with confidential details; the college's young teachers' studio asks to be
// admitted, accepts the confidentiality terms, is admitted, reads the details and proposes; the
// enterprise selects the proposal; both parties sign the risk- and benefit-sharing agreement;
// the studio submits a milestone and the enterprise accepts it; a patent is registered and a
// licence income of 1,000.01 yuan is distributed; each party's statement shows its exact share.
//
// The shares are typed here: revenue 30 % / 70 %, half of the college's part to two inventors
// (60 % / 40 %). 1,000.01 yuan splits by largest remainder into 300.00 for the enterprise and
// 700.01 for the college side; that halves into 350.01 for the inventors' pool (the tie goes to
// the earlier part) and 350.00 for the college; the pool gives 210.01 and 140.00.
//
// Run: `cd tests/browser && npm ci && node --test research.test.js` (XIAOQI_BIN and
// CHROMIUM_PATH may be set).

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

const STUDIO = '智能焊接青年教师工作室';
const SECRET = '机密：焊缝编号 WX-2026-88 的工艺参数表';

let started;
after(async () => {
  if (!started) return;
  const s = await started.catch(() => null);
  await s?.browser.close().catch(() => {});
  await s?.server.stop();
});

test('an SME posts a problem, a studio is admitted and selected, the agreement is signed, a licence income is split exactly', { timeout: 300_000, skip }, async () => {
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
  const errors = async () => (await page.locator('.errors').allInnerTexts()).join(' | ');
  const noErrors = async (what) => assert.equal(await page.locator('.errors').count(), 0, `${what}: ${await errors()}`);
  const title = `焊接变形难题 ${uniqueSuffix()}`;
  try {
    // The SME's HR posts the problem from the 产学研 hub.
    await loginAs(page, 'hr@chuangzhi.demo');
    await clickAndLoad(page, page.locator('header nav a[href="/research"]'));
    await clickAndLoad(page, page.locator('a#new-problem'));
    const pf = page.locator('form#problem-form');
    await pf.locator('input[name="title"]').fill(title);
    await pf.locator('textarea[name="summary"]').fill('机架焊接后变形超差，寻求焊接顺序与工装优化方案。');
    await pf.locator('textarea[name="details"]').fill(SECRET);
    await pf.locator('input[name="field"]').fill('焊接');
    await pf.locator('input[name="skills"]').fill('焊接');
    await pf.locator('input[name="occupations"]').fill('6-18-02-04');
    await pf.locator('input[name="budget_min"]').fill('50000');
    await pf.locator('input[name="budget_max"]').fill('120000');
    await pf.locator('input[name="deadline"]').fill('2099-06-30');
    await pf.locator('input[name="deliverable"]').fill('工艺方案与试焊报告');
    await pf.locator('input[name="trl"]').fill('4');
    await pf.locator('textarea[name="terms"]').fill('未经许可不得向第三方披露任何技术资料');
    await clickAndLoad(page, pf.locator('button[type="submit"]'));
    await noErrors('the problem is posted');
    const problemPath = new URL(page.url()).pathname;
    assert.match(problemPath, /^\/problems\/\d+$/);
    await logoutOf(page);

    // The programme leader asks for the studio and accepts the terms; the details stay hidden.
    await loginAs(page, 'leader@pcvc.demo');
    await page.goto(problemPath);
    assert.equal(await page.locator('#details-hidden').count(), 1, 'details hidden before admission');
    const request = page.locator('form#request-admission');
    await request.locator('select[name="team_id"]').selectOption({ label: STUDIO });
    await clickAndLoad(page, request.locator('button[type="submit"]'));
    await noErrors('admission requested');
    await clickAndLoad(page, page.locator('#admissions li', { hasText: STUDIO }).locator('button[type="submit"]'));
    await noErrors('terms accepted');
    await logoutOf(page);

    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto(problemPath);
    await clickAndLoad(page, page.locator('#admissions li', { hasText: STUDIO }).locator('button[type="submit"]'));
    await noErrors('admitted');
    await logoutOf(page);

    // Admitted: the studio reads the details and proposes.
    await loginAs(page, 'leader@pcvc.demo');
    await page.goto(problemPath);
    assert.equal(await page.locator('#details-text').innerText(), SECRET, 'the admitted team reads the details');
    const prop = page.locator('form#proposal-form');
    await prop.locator('select[name="team_id"]').selectOption({ label: STUDIO });
    await prop.locator('textarea[name="approach"]').fill('优化焊接顺序与反变形量，设计专用焊接工装并试焊验证。');
    await prop.locator('input[name="budget"]').fill('100000');
    await prop.locator('input[name="members"]').fill('张工, 李工');
    await prop.locator('textarea[name="milestones"]').fill('变形诊断 | 诊断报告 | 2099-01-31\n工装试焊 | 试焊报告 | 2099-05-31');
    await clickAndLoad(page, prop.locator('button[type="submit"]'));
    await noErrors('proposed');
    await logoutOf(page);

    // The enterprise selects it: the project starts.
    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto(problemPath);
    await clickAndLoad(page, page.locator('.card.proposal', { hasText: STUDIO }).locator('button[id^="select-"]'));
    await noErrors('selected');
    const projectPath = new URL(page.url()).pathname;
    assert.match(projectPath, /^\/projects\/\d+$/, `on the project page: ${page.url()}`);

    // The enterprise proposes the agreement and signs it.
    await clickAndLoad(page, page.locator('#project-links a[href$="/agreement"]'));
    assert.equal(await page.locator('#agreement-none').count(), 1, 'no agreement in force yet');
    const terms = page.locator('form#terms-form');
    await terms.locator('input[name="e_cost"]').fill('60');
    await terms.locator('input[name="c_cost"]').fill('40');
    await terms.locator('input[name="e_revenue"]').fill('30');
    await terms.locator('input[name="c_revenue"]').fill('69.99');
    await terms.locator('input[name="inventors_share"]').fill('50');
    await terms.locator('textarea[name="inventors"]').fill('张工 | 60\n李工 | 40');
    await clickAndLoad(page, terms.locator('button[type="submit"]'));
    assert.match(await errors(), /99\.99/, 'shares that do not add up are refused, naming the sum');
    await terms.locator('input[name="c_revenue"]').fill('70');
    await clickAndLoad(page, terms.locator('button[type="submit"]'));
    await noErrors('terms proposed');
    await clickAndLoad(page, page.locator('form#sign-form button[type="submit"]'));
    await noErrors('the enterprise signs');
    assert.equal(await page.locator('#agreement-none').count(), 1, 'not in force with one signature');
    await logoutOf(page);

    // The college signs: in force. The studio submits the first milestone.
    await loginAs(page, 'leader@pcvc.demo');
    await page.goto(`${projectPath}/agreement`);
    await clickAndLoad(page, page.locator('form#sign-form button[type="submit"]'));
    await noErrors('the college signs');
    assert.equal(await page.locator('#agreement-in-force').count(), 1, 'in force with both signatures');
    await page.goto(projectPath);
    const firstMilestone = page.locator('#milestones tr', { hasText: '变形诊断' });
    await firstMilestone.locator('input[name="note"]').fill('诊断报告已上传');
    await clickAndLoad(page, firstMilestone.locator('button[type="submit"]'));
    await noErrors('milestone submitted');
    await logoutOf(page);

    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto(projectPath);
    await clickAndLoad(page, page.locator('#milestones tr', { hasText: '变形诊断' }).locator('button[type="submit"]'));
    await noErrors('milestone accepted');
    assert.match(await page.locator('#milestones tr', { hasText: '变形诊断' }).innerText(), /已验收/);
    await logoutOf(page);

    // The studio registers a patent and records a licence income.
    await loginAs(page, 'leader@pcvc.demo');
    await page.goto(projectPath);
    await clickAndLoad(page, page.locator('#project-links a[href$="/results"]'));
    const rf = page.locator('form#result-form');
    await rf.locator('select[name="kind"]').selectOption('patent');
    await rf.locator('input[name="title"]').fill('一种焊接反变形工装');
    await rf.locator('input[name="registration_no"]').fill('ZL2099-1');
    await rf.locator('input[name="date"]').fill('2099-02-01');
    await rf.locator('input[name="owners"]').fill('深圳创智精密机械有限公司, 鹏城职业技术学院');
    await clickAndLoad(page, rf.locator('button[type="submit"]'));
    await noErrors('result registered');
    const cf = page.locator('form#conversion-form');
    await cf.locator('select[name="kind"]').selectOption('licence');
    await cf.locator('input[name="counterparty"]').fill('东莞华联电子制造有限公司');
    await cf.locator('input[name="date"]').fill('2099-03-01');
    await cf.locator('input[name="income"]').fill('1000.001');
    await clickAndLoad(page, cf.locator('button[type="submit"]'));
    assert.match(await errors(), /两位小数|decimal/, 'more than two decimals is refused');
    await cf.locator('input[name="income"]').fill('1,000.01');
    await clickAndLoad(page, cf.locator('button[type="submit"]'));
    await noErrors('income distributed');
    const ledger = await page.locator('.card.conversion').innerText();
    for (const amount of ['1,000.01', '300.00', '350.00', '210.01', '140.00']) {
      assert.ok(ledger.includes(amount), `${amount} in the ledger: ${ledger}`);
    }
    assert.ok(ledger.includes('各项之和等于该笔收入'), 'the lines add up to the income');

    // One party's word is not enough: the income waits for the enterprise before it is split.
    assert.equal(await page.locator('.card.conversion .tag[data-status="pending"]').count(), 1, 'awaiting the other party');
    await clickAndLoad(page, page.locator('a[href$="/statements"]').first());
    assert.deepEqual(await page.locator('.statement-total').allInnerTexts(), [], 'no statement counts it yet');
    await logoutOf(page);

    // The enterprise confirms it on the results page; each party's statement shows its exact share.
    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto(`${projectPath}/results`);
    await clickAndLoad(page, page.locator('.card.conversion form[id^="decide-"] button.confirm'));
    await noErrors('income confirmed');
    assert.equal(await page.locator('.card.conversion .tag[data-status="confirmed"]').count(), 1, 'confirmed');
    await page.goto(`${projectPath}/statements`);
    assert.deepEqual(await page.locator('.statement-total').allInnerTexts(), ['¥300.00'], 'the enterprise');
    await logoutOf(page);
    await loginAs(page, 'leader@pcvc.demo');
    await page.goto(`${projectPath}/statements`);
    const collegeTotals = await page.locator('.statement-total').allInnerTexts();
    assert.deepEqual(collegeTotals, ['¥350.00', '¥210.01', '¥140.00'], 'the college and its inventors');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390 + 1, `fits a phone screen (scroll width ${width})`);
  } catch (err) {
    const shot = screenshotPath('research-walk');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`page URL: ${page.url()}\nscreenshot: ${shot}\nserver output:\n${server.stderrTail()}`);
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
});
