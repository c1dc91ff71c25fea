// A whole post internship in a real browser, on a phone-sized screen: the enterprise HR offers a
// place that starts today; the career officer opens a round over it (through the API: there is
// no page for opening rounds yet); two students apply on the round page; the career officer runs
// the allocation; on the placement page the student fills in the agreement's facts, and the
// school, the enterprise and the student each sign; the college assigns the teacher, the
// enterprise the master, and the internship starts; the student logs the day and records
// attendance, the master confirms it and signs off a skill; the student submits the report, the
// teacher grades it, the master evaluates, and the teacher completes: the composite grade with
// the default weights (40 report, 40 evaluation, 20 attendance) and full confirmed attendance is
// 0.4 × 80 + 0.4 × 90 + 20 = 88.00.
//
// Run: `cd tests/browser && npm ci && node --test internship.test.js` (XIAOQI_BIN and
// CHROMIUM_PATH may be set).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH, DEMO_PASSWORD, clickAndLoad, loginAs, logoutOf, screenshotPath, startServer } from './support.js';

const haveChromium = existsSync(CHROMIUM_PATH);
const skip = !haveChromium && !process.env.CI ? `Chromium not found at ${CHROMIUM_PATH}` : false;

const TITLE = '数控车工岗位实习（浏览器）';

let started;
after(async () => {
  if (!started) return;
  const s = await started.catch(() => null);
  await s?.browser.close().catch(() => {});
  await s?.server.stop();
});

/** Today in Asia/Shanghai as YYYY-MM-DD, and a day `days` later. */
function shanghaiDay(days = 0) {
  const t = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  return t.toISOString().slice(0, 10);
}

/** A bearer token of a demo account, for the one step without a page. */
async function tokenOf(baseUrl, login) {
  const r = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD, name: 'browser' }),
  });
  const text = await r.text();
  assert.ok(r.ok, `token for ${login}: ${text}`);
  return JSON.parse(text).token;
}

async function api(baseUrl, token, method, path, body) {
  const r = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

/** Submits the placement page's form `#id` and checks that no error came back. */
async function submit(page, id) {
  await clickAndLoad(page, page.locator(`form#${id} button[type="submit"]`));
  assert.equal(await page.locator('.errors[role="alert"]').count(), 0, `${id}: ${await page.locator('.errors').allInnerTexts()}`);
}

async function signAs(page, login, path, button) {
  await loginAs(page, login);
  await page.goto(path);
  await clickAndLoad(page, page.locator(`#${button}`));
  assert.equal(await page.locator('.errors[role="alert"]').count(), 0, `${button}: ${await page.locator('.errors').allInnerTexts()}`);
  await logoutOf(page);
}

test('a post internship from the offer to the composite grade', { timeout: 300_000, skip }, async () => {
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
    // The enterprise offers a place that starts today.
    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto('/practice');
    const offer = page.locator('form#offer_form');
    await offer.locator('select[name="kind"]').selectOption('post');
    await offer.locator('input[name="title"]').fill(TITLE);
    await offer.locator('input[name="capacity"]').fill('2');
    await offer.locator('input[name="start_date"]').fill(shanghaiDay());
    await offer.locator('input[name="end_date"]').fill(shanghaiDay(90));
    await offer.locator('input[name="location"]').fill('深圳市宝安区 二号车间');
    await offer.locator('input[name="monthly_pay_yuan"]').fill('4300');
    await offer.locator('input[name="post_wage_yuan"]').fill('5200');
    await offer.locator('input[name="working_hours"]').fill('周一至周五 8:30–17:30');
    await offer.locator('input[name="enterprise_staff"]').fill('260');
    await offer.locator('input[name="post_staff"]').fill('20');
    await offer.locator('input[name="insured"]').check();
    await offer.locator('input[name="insurer"]').fill('中国人保');
    await clickAndLoad(page, offer.locator('button[type="submit"]'));
    const place = await page.locator('.card.place', { hasText: TITLE }).getAttribute('data-place');
    assert.ok(place, `the place is offered (${await page.locator('.errors').allInnerTexts()})`);
    await logoutOf(page);

    // The college opens a round over it (no page for that yet).
    const career = await tokenOf(server.baseUrl, 'career@pcvc.demo');
    const orgs = await api(server.baseUrl, career, 'GET', `/organizations?q=${encodeURIComponent('鹏城职业技术学院')}`);
    const college = orgs.json.items[0].id;
    const round = await api(server.baseUrl, career, 'POST', '/practice-rounds', {
      college_id: college, name: '浏览器测试轮', place_ids: [Number(place)],
    });
    assert.equal(round.status, 201, round.text);
    const roundPath = `/practice/rounds/${round.json.id}`;

    // Two students apply on the round page.
    for (const login of ['s01@pcvc.demo', 's02@pcvc.demo']) {
      await loginAs(page, login);
      await page.goto(roundPath);
      await page.locator('form#preferences_form select[name="choice_0"]').selectOption(place);
      await clickAndLoad(page, page.locator('form#preferences_form button[type="submit"]'));
      assert.equal(await page.locator('.errors').count(), 0, `${login} applied`);
      await logoutOf(page);
    }

    // The career officer runs the allocation; the placement of s01 exists.
    await loginAs(page, 'career@pcvc.demo');
    await page.goto(roundPath);
    await clickAndLoad(page, page.locator('form#run_form button[type="submit"]'));
    assert.equal(await page.locator('#round_status').getAttribute('data-status'), 'allocated');
    await logoutOf(page);

    await loginAs(page, 's01@pcvc.demo');
    await clickAndLoad(page, page.locator('header nav a[href="/placements"]'));
    await clickAndLoad(page, page.locator('a.placement', { hasText: TITLE }));
    const path = new URL(page.url()).pathname;
    assert.equal(await page.locator('#placement_status').getAttribute('data-status'), 'agreement_pending');
    // The student fills in the agreement's facts: an adult, insured for the whole period.
    const facts = page.locator('form#facts_form');
    await facts.locator('input[name="birth_date"]').fill('2004-06-01');
    await facts.locator('input[name="insurer"]').fill('中国人保');
    await facts.locator('input[name="insurance_policy_no"]').fill('PICC-BROWSER-1');
    await facts.locator('input[name="insurance_start"]').fill(shanghaiDay());
    await facts.locator('input[name="insurance_end"]').fill(shanghaiDay(90));
    await submit(page, 'facts_form');
    await logoutOf(page);

    // Three signatures, each by its party.
    await signAs(page, 'career@pcvc.demo', path, 'sign_school');
    await signAs(page, 'hr@chuangzhi.demo', path, 'sign_enterprise');
    await signAs(page, 's01@pcvc.demo', path, 'sign_student');

    // Mentors and the start.
    await loginAs(page, 'career@pcvc.demo');
    await page.goto(path);
    assert.equal(await page.locator('#placement_status').getAttribute('data-status'), 'agreed');
    await page.locator('form#teacher_form select[name="teacher_id"]').selectOption({ label: '王老师' });
    await submit(page, 'teacher_form');
    await logoutOf(page);
    await loginAs(page, 'hr@chuangzhi.demo');
    await page.goto(path);
    await page.locator('form#master_form select[name="master_id"]').selectOption({ label: '孙师傅' });
    await submit(page, 'master_form');
    await clickAndLoad(page, page.locator('#start_button'));
    assert.equal(await page.locator('#placement_status').getAttribute('data-status'), 'active');
    await logoutOf(page);

    // The master sets a task; the student logs the day against it and records attendance.
    await loginAs(page, 'mentor@chuangzhi.demo');
    await page.goto(path);
    await page.locator('form#task_form input[name="title"]').fill('外圆车削');
    await page.locator('form#task_form select[name="skill_code"]').selectOption('cnc-turning');
    await submit(page, 'task_form');
    await logoutOf(page);
    await loginAs(page, 's01@pcvc.demo');
    await page.goto(path);
    await page.locator('form#log_form select[name="task_id"]').selectOption({ label: '外圆车削' });
    await page.locator('form#log_form textarea[name="body"]').fill('车外圆，尺寸合格');
    await page.locator('form#log_form textarea[name="problem"]').fill('表面粗糙度不达标');
    await submit(page, 'log_form');
    await submit(page, 'attendance_form');
    await page.locator('form#report_form textarea[name="text"]').fill('实习总结：掌握外圆车削。');
    await submit(page, 'report_form');
    assert.ok((await page.locator('#logs').innerText()).includes('车外圆'));
    await logoutOf(page);

    // The master confirms the day, signs off the skill and evaluates.
    await loginAs(page, 'mentor@chuangzhi.demo');
    await page.goto(path);
    await clickAndLoad(page, page.locator('#attendance button.confirm_day').first());
    assert.equal(await page.locator(`#attendance li[data-day="${shanghaiDay()}"]`).getAttribute('data-confirmed'), 'true');
    // Nothing is pre-selected: the master picks the skill and the level.
    await page.locator('form#signoff_form select[name="skill_code"]').selectOption({ index: 1 });
    await page.locator('form#signoff_form select[name="level"]').selectOption('3');
    await submit(page, 'signoff_form');
    await page.locator('form#evaluation_form input[name="score"]').fill('90');
    await submit(page, 'evaluation_form');
    await logoutOf(page);

    // The teacher grades the report and completes: the composite grade.
    await loginAs(page, 'teacher@pcvc.demo');
    await page.goto(path);
    await page.locator('form#grade_form input[name="grade"]').fill('80');
    await submit(page, 'grade_form');
    await clickAndLoad(page, page.locator('#complete_button'));
    assert.equal(await page.locator('#placement_status').getAttribute('data-status'), 'completed');
    assert.equal(await page.locator('#composite').innerText(), '88.00');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390 + 1, `fits a phone screen (scroll width ${width})`);

    // The printable agreement names all three parties with their signature dates.
    await page.goto(`${path}/agreement`);
    const printed = await page.locator('#signatures').innerText();
    assert.ok(printed.includes('鹏城职业技术学院') && printed.includes(shanghaiDay()), printed);
  } catch (err) {
    const shot = screenshotPath('internship-walk');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`page URL: ${page.url()}\nscreenshot: ${shot}\nserver output:\n${server.stderrTail()}`);
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
});
