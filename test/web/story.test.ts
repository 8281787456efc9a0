import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import type { Locator, Page } from 'playwright-core';
import { emailVerificationCode } from '../support/verification';
import { aClient, aClinician, aPractice, aService, aStaffUser } from '../fixtures';
import { TokenService } from '../../api/auth/tokens';

// The server's clock is fixed at Monday 1 June 2026, 12:00 UTC; the browser keeps its own clock, so the test
// moves the slot picker to the week of 8 June through the UI's own "Go to the week of" field.
const WEEK = '2026-06-08';
// Monday 8 June, 09:00 in New York (the clinician's hours) = 08:00 in Chicago (the client's browser) = 13:00 UTC.
const FIRST_SLOT = '2026-06-08T13:00:00.000Z';
const SECOND_SLOT = '2026-06-08T14:00:00.000Z';

describe('the browser app, end to end in Chromium (portal, dashboard, API, worker, PostgreSQL, Temporal)', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web' });
  const { ctx, device, screenshot, staffSignIn, pageErrors } = stage;
  // Times as people read them; the browser's Intl puts narrow no-break spaces before AM/PM.
  const times = async (group: Locator) =>
    (await group.getByRole('button').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, \d+ unread$/ });

  it('a new client books, the clinician approves from the bell, the client late-cancels, an admin closes the door to new clients', async () => {
    const practice = await aPractice(ctx.db, { name: 'Riverside Therapy' });
    const consultation = await aService(ctx.db, practice, {
      name: 'Initial consultation',
      durationMinutes: 30,
    });
    await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    const clinician = await aClinician(ctx.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 60,
        minimumNoticeHours: 24,
      },
    });
    await clinician.update({ firstName: 'Dana', lastName: 'Whitfield' });
    const admin = await aStaffUser(ctx.db, practice, {
      role: 'admin_clinician',
      firstName: 'Ada',
      lastName: 'Admin',
    });
    const robin = { first: 'Robin', last: 'Reyes', email: 'robin.reyes@example.test', phone: '+1 555 0123' };

    // The clinician is signed in with an empty bell before anything happens.
    const desk = await device('desktop', 'America/New_York');
    await staffSignIn(desk, clinician.email);
    expect(await bell(desk).getAttribute('aria-label')).to.equal('Notifications, 0 unread');
    await screenshot(desk, 'dashboard-requests-empty');

    // A new client on a phone in Chicago: the practice page, a clinician, the week of 8 June, the first slot.
    const phone = await device('phone', 'America/Chicago');
    await phone.goto(`/portal/${practice.slug}`);
    await phone.getByRole('heading', { level: 1, name: 'Riverside Therapy' }).waitFor();
    expect(await phone.getByRole('link', { name: "I'm an existing client" }).isVisible()).to.equal(true);
    await screenshot(phone, 'portal-home');
    await phone.getByRole('link', { name: "I'm a new client" }).click();
    await screenshot(phone, 'portal-new-client-clinicians');
    await phone.getByRole('button', { name: /Dana Whitfield/ }).click();
    await phone.getByLabel('Go to the week of').fill(WEEK);
    await phone.getByText('Central Time (America/Chicago)').waitFor();
    const monday = phone.getByRole('group', { name: 'Monday, June 8' });
    await monday.getByRole('button').first().waitFor();
    expect((await times(monday)).slice(0, 2)).to.deep.equal(['8:00 AM', '9:00 AM']);
    // The zone is the browser's, and changeable: the same slots read an hour later in New York.
    await phone.getByRole('button', { name: 'Change time zone' }).click();
    await phone.getByLabel('Time zone').selectOption('America/New_York');
    await phone.getByText('Eastern Time (America/New York)').waitFor();
    await monday
      .getByRole('button', { name: /9:00\sAM/ })
      .first()
      .waitFor();
    expect((await times(monday))[0]).to.equal('9:00 AM');
    await phone.getByRole('button', { name: 'Change time zone' }).click();
    await phone.getByLabel('Time zone').selectOption('America/Chicago');
    await phone.getByText('Central Time (America/Chicago)').waitFor();
    await monday.getByRole('button', { name: /8:00\sAM/ }).waitFor();
    expect(await phone.getByRole('heading', { name: /^Jun 7\s–\s13, 2026$/ }).isVisible()).to.equal(true);
    await screenshot(phone, 'portal-new-client-slots');
    await monday.getByRole('button', { name: /June 8, 2026.*8:00\sAM/ }).click();
    await phone.getByLabel('First name').fill(robin.first);
    await phone.getByLabel('Last name').fill(robin.last);
    await phone.getByLabel('Email').fill(robin.email);
    await phone.getByLabel('Phone').fill(robin.phone);
    await phone.getByLabel('Message to the clinician').fill('Evenings are hard for me; mornings are best.');
    await screenshot(phone, 'portal-new-client-details');

    // Nothing is held before the address is shown to be Robin's: a code goes there first.
    const isCode = (e: { to: string[]; idempotencyKey?: string }) =>
      e.to.includes(robin.email) && (e.idempotencyKey?.startsWith('email-verification/') ?? false);
    const codeIn = (text?: string) => /^\s*(\d{6})\s*$/m.exec(text ?? '')![1];
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.getByRole('heading', { name: 'Confirm your email address' }).waitFor();
    expect(await phone.getByText(`We sent a 6-digit code to ${robin.email}`).isVisible()).to.equal(true);
    const firstEmail = await stage.capture.waitFor(isCode, 20_000);
    const firstCode = codeIn(firstEmail.text);
    expect(await ctx.db.AppointmentRequest.count({ where: { practiceId: practice.id } })).to.equal(0);
    await screenshot(phone, 'portal-new-client-code-sent');
    await phone.setViewportSize({ width: 1280, height: 860 });
    await screenshot(phone, 'portal-new-client-code-sent-desktop');
    await phone.setViewportSize({ width: 390, height: 844 });

    // A mistyped code: one plain sentence, next to the field, and nothing recorded.
    const wrong = firstCode === '000000' ? '111111' : '000000';
    await phone.getByLabel('Code from the email').fill(wrong);
    await phone.getByRole('button', { name: 'Send request' }).click();
    const wrongCode = phone.getByText('That code is not right, or it has expired.', { exact: false });
    await wrongCode.waitFor();
    expect(await wrongCode.count(), 'said once').to.equal(1);
    expect(await phone.getByLabel('Code from the email').getAttribute('aria-invalid')).to.equal('true');
    expect(await ctx.db.AppointmentRequest.count({ where: { practiceId: practice.id } })).to.equal(0);
    await screenshot(phone, 'portal-new-client-wrong-code');

    // "Send a new code": the newest code is the one that works.
    await phone.getByRole('button', { name: 'Send a new code' }).click();
    await phone.getByText(`A new code is on its way to ${robin.email}.`).waitFor();
    const verificationCode = codeIn(
      (
        await stage.capture.waitFor(
          (e) => isCode(e) && e.idempotencyKey !== firstEmail.idempotencyKey,
          20_000,
        )
      ).text,
    );
    await phone.getByLabel('Code from the email').fill(verificationCode);
    await screenshot(phone, 'portal-new-client-code-entered');

    // Meanwhile someone else takes that time: sending says so clearly and offers the week again.
    const sam = 'sam.quick@example.test';
    const other = await ctx.http.post(`/portal/${practice.slug}/requests`, {
      clinicianId: clinician.id,
      serviceId: consultation.id,
      startsAt: FIRST_SLOT,
      newClient: { firstName: 'Sam', lastName: 'Quick', email: sam, phone: '+1 555 0177' },
      emailVerificationCode: await emailVerificationCode(ctx.http, stage.capture, practice.slug, sam),
    });
    expect(other.status, JSON.stringify(other.body)).to.equal(201);
    await phone.getByRole('button', { name: 'Send request' }).click();
    await phone.getByText('that time was just taken').waitFor();
    await monday.getByRole('button').first().waitFor();
    expect((await times(monday))[0]).to.equal('9:00 AM');
    await screenshot(phone, 'portal-new-client-slot-taken');
    await monday.getByRole('button', { name: /June 8, 2026.*9:00\sAM/ }).click();
    expect(await phone.getByLabel('Email').inputValue()).to.equal(robin.email);
    // The address is confirmed already: no new code, the one typed is still there.
    await phone.getByRole('button', { name: 'Continue' }).click();
    expect(await phone.getByLabel('Code from the email').inputValue()).to.equal(verificationCode);
    await phone.getByRole('button', { name: 'Send request' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Request sent' }).waitFor();
    expect(await phone.getByText(/Mon, Jun 8, 9:00\s–\s9:30\sAM/).isVisible()).to.equal(true);
    await screenshot(phone, 'portal-new-client-sent');
    const request = await ctx.db.AppointmentRequest.findOne({
      where: { practiceId: practice.id, startsAt: SECOND_SLOT },
    });
    expect(request?.status).to.equal('pending');

    // The clinician's bell goes up by itself (it polls), lists the requests, and marks one read on click.
    await desk.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor({ timeout: 30_000 });
    await screenshot(desk, 'dashboard-bell-count');
    await bell(desk).click();
    await desk
      .getByRole('region', { name: 'Notifications' })
      .getByRole('button', { name: /New appointment request/ })
      .first()
      .waitFor();
    await screenshot(desk, 'dashboard-bell-open');
    await desk
      .getByRole('region', { name: 'Notifications' })
      .getByRole('button', { name: /New appointment request/ })
      .first()
      .click();
    await desk.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();

    // Appointment Requests: Actions > Approve for Robin, Actions > Decline (with a note) for the other one.
    const robinCard = desk.locator('li.card', { hasText: 'Robin Reyes' });
    await robinCard.waitFor();
    expect(await robinCard.getByText('New client').isVisible()).to.equal(true);
    expect(await robinCard.getByText('mornings are best').isVisible()).to.equal(true);
    await screenshot(desk, 'dashboard-requests-pending');
    await robinCard.getByRole('button', { name: 'Actions: request from Robin Reyes' }).click();
    await screenshot(desk, 'dashboard-requests-actions-menu');
    await desk.getByRole('menuitem', { name: 'Approve' }).click();
    await robinCard.getByText(/^Approved\./).waitFor({ timeout: 30_000 });
    const samCard = desk.locator('li.card', { hasText: 'Sam Quick' });
    await samCard.getByRole('button', { name: 'Actions: request from Sam Quick' }).click();
    await desk.getByRole('menuitem', { name: 'Decline' }).click();
    await desk
      .getByRole('dialog', { name: 'Decline request' })
      .getByLabel('Note to the client')
      .fill('That time was taken by mistake; please pick another morning.');
    await screenshot(desk, 'dashboard-decline-dialog');
    await desk.getByRole('button', { name: 'Decline request' }).click();
    await samCard.getByText(/^Declined\./).waitFor({ timeout: 30_000 });
    await screenshot(desk, 'dashboard-requests-decided');
    await desk.setViewportSize({ width: 390, height: 844 });
    await screenshot(desk, 'dashboard-requests-phone');
    await desk.setViewportSize({ width: 1280, height: 860 });
    const appointment = await ctx.db.Appointment.findOne({ where: { practiceId: practice.id } });
    expect(appointment).to.include({ status: 'scheduled' });
    expect(appointment!.startsAt.toISOString()).to.equal(SECOND_SLOT);

    // The calendar grid shows the appointment at its time, with its status.
    await desk.getByRole('link', { name: 'Calendar' }).click();
    await desk.getByLabel('Go to the week of').fill(WEEK);
    const entry = desk.getByRole('button', { name: /^Robin Reyes, .* 10:00–10:30, Scheduled$/ });
    await entry.waitFor();
    expect(await entry.textContent()).to.match(/Robin Reyes[\s\S]*10:00\sAM[\s\S]*Scheduled/);
    await screenshot(desk, 'dashboard-calendar');

    // The evening before, inside the 24-hour cutoff, Robin signs in with the emailed code and cancels.
    ctx.clock.set('2026-06-07T20:00:00Z');
    await phone.goto(`/portal/${practice.slug}`);
    await phone.getByRole('link', { name: "I'm an existing client" }).click();
    await phone.getByLabel('Email').fill(robin.email);
    await phone.getByRole('button', { name: 'Email me a code' }).click();
    const codeEmail = await stage.capture.waitFor(
      (e) => e.to.includes(robin.email) && (e.idempotencyKey?.startsWith('sign-in-code/') ?? false),
      20_000,
    );
    const code = /\b(\d{6})\b/.exec(codeEmail.text ?? '')![1];
    await screenshot(phone, 'portal-sign-in-code');
    await phone.getByLabel('Sign-in code').fill(code);
    await phone.getByRole('button', { name: 'Sign in', exact: true }).click();
    await phone.getByRole('heading', { level: 1, name: 'Hello, Robin' }).waitFor();
    const card = phone.locator('li.card', { hasText: 'Initial consultation with Dana Whitfield' });
    await card.getByText('Scheduled').waitFor();
    expect(await card.innerText()).to.include('will be marked Late Canceled');
    expect(await phone.getByRole('link', { name: 'Request Appointment' }).isVisible()).to.equal(true);
    await screenshot(phone, 'portal-my-appointments');
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Cancel this appointment?' });
    expect(await dialog.innerText()).to.match(/ended Sun, Jun 7, 2026, 9:00\sAM CDT/);
    await screenshot(phone, 'portal-cancel-dialog');
    await dialog.getByRole('button', { name: 'Cancel (late cancelation)' }).click();
    await phone
      .getByText('Your appointment was canceled and marked Late Canceled.')
      .waitFor({ timeout: 30_000 });
    await card.getByText('Late Canceled', { exact: true }).waitFor();
    await screenshot(phone, 'portal-late-canceled');
    await appointment!.reload();
    expect(appointment!.status).to.equal('late_canceled');

    // Robin signs out: the session ends on the server too, so the token this tab held no longer opens anything.
    const robinToken = (await phone.evaluate(
      `JSON.parse(sessionStorage.getItem(${JSON.stringify(`portal-session:${practice.slug}`)}) ?? '{}').token`,
    )) as string;
    expect(robinToken).to.be.a('string');
    await phone.getByRole('button', { name: 'Sign out' }).click();
    await phone.getByText('You are signed out.').waitFor();
    expect(await phone.getByRole('button', { name: 'Sign out' }).count()).to.equal(0);
    expect(await phone.getByRole('link', { name: 'My appointments' }).count()).to.equal(0);
    await screenshot(phone, 'portal-signed-out');
    await phone.setViewportSize({ width: 1280, height: 860 });
    await screenshot(phone, 'portal-signed-out-desktop');
    await phone.setViewportSize({ width: 390, height: 844 });
    const stale = await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token: robinToken });
    expect(stale.status, 'the token is revoked').to.equal(401);
    await phone.goto(`/portal/${practice.slug}/me`);
    await phone.getByRole('button', { name: 'Email me a code' }).waitFor();

    // An admin opens Settings > Client Portal, copies the link and turns new clients off.
    const adminDesk = await device('desktop', 'America/New_York');
    await adminDesk.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await staffSignIn(adminDesk, admin.email);
    await adminDesk.getByRole('link', { name: 'Settings › Client Portal' }).click();
    await adminDesk.getByRole('button', { name: 'Copy Link' }).click();
    await adminDesk.getByText('Link copied.').waitFor();
    expect(await adminDesk.evaluate('navigator.clipboard.readText()')).to.equal(
      `http://portal.test/portal/${practice.slug}`,
    );
    await adminDesk.getByLabel('Web address').fill('ap');
    await adminDesk.getByText('Use 3 to 63 characters.').waitFor();
    expect(await adminDesk.getByRole('button', { name: 'Save' }).isDisabled()).to.equal(true);
    await screenshot(adminDesk, 'dashboard-client-portal-invalid-address');
    await adminDesk.getByLabel('Web address').fill(practice.slug);
    await adminDesk.getByLabel('Allow new clients to request appointments').uncheck();
    await adminDesk.getByLabel('Cancelation policy').selectOption({ label: 'At least 48 hours' });
    await adminDesk.getByRole('button', { name: 'Save' }).click();
    await adminDesk.getByText('Settings saved.').waitFor();
    await screenshot(adminDesk, 'dashboard-client-portal-saved');
    await practice.reload();
    expect(practice).to.include({ allowNewClients: false, cancellationPolicy: '48h' });

    // Settings > Availabilities: the clinician's rule with its summary, and the Preferences dialog.
    await adminDesk.getByRole('link', { name: 'Settings › Availabilities' }).click();
    await adminDesk.getByLabel('Clinician').selectOption({ label: 'Dana Whitfield' });
    await adminDesk.locator('li.rule', { hasText: '9:00 AM - 5:00 PM' }).waitFor();
    await screenshot(adminDesk, 'dashboard-availabilities');
    await adminDesk.getByRole('button', { name: 'Preferences' }).click();
    const prefs = adminDesk.getByRole('dialog', { name: 'Online booking preferences' });
    expect(await prefs.getByLabel('Initial consultation service').inputValue()).to.equal(consultation.id);
    await screenshot(adminDesk, 'dashboard-preferences');
    await prefs.getByRole('button', { name: 'Cancel' }).click();

    // The portal no longer offers "I'm a new client".
    await phone.goto(`/portal/${practice.slug}`);
    await phone.getByRole('link', { name: "I'm an existing client" }).waitFor();
    expect(await phone.getByRole('link', { name: "I'm a new client" }).count()).to.equal(0);
    await screenshot(phone, 'portal-home-no-new-clients');
    expect((await ctx.db.Practice.findByPk(practice.id))!.allowNewClients).to.equal(false);

    expect(pageErrors, pageErrors.join('\n')).to.deep.equal([]);
  });

  it('the dashboard says whose appointment an approval booked, reloads a request whose answer was lost, and pages the list', async () => {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const consultation = await aService(ctx.db, practice, {
      name: 'Initial consultation',
      durationMinutes: 30,
    });
    const clinician = await aClinician(ctx.db, practice, {
      preferences: { initialConsultationServiceId: consultation.id, startTimeIntervalMinutes: 60 },
    });
    await clinician.update({ firstName: 'Lee', lastName: 'Morgan' });
    const jordan = await aClient(ctx.db, practice, { firstName: 'Jordan', lastName: 'Lee' });

    // Someone gives Jordan's address as a "new client" (verified: it is their mailbox), under another name.
    const flagged = await ctx.http.post(`/portal/${practice.slug}/requests`, {
      clinicianId: clinician.id,
      serviceId: consultation.id,
      startsAt: FIRST_SLOT,
      newClient: { firstName: 'Jo', lastName: 'Lee-Park', email: jordan.email, phone: '+1 555 0188' },
      emailVerificationCode: await emailVerificationCode(
        ctx.http,
        stage.capture,
        practice.slug,
        jordan.email,
        {
          timeoutMs: 60_000,
        },
      ),
    });
    expect(flagged.status, JSON.stringify(flagged.body)).to.equal(201);
    const jordanToken = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: jordan.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    const second = await ctx.http.post(
      `/portal/${practice.slug}/requests`,
      { clinicianId: clinician.id, serviceId: consultation.id, startsAt: SECOND_SLOT },
      { token: jordanToken },
    );
    expect(second.status, JSON.stringify(second.body)).to.equal(201);

    const desk = await device('desktop', 'America/New_York');
    await staffSignIn(desk, clinician.email);
    const flaggedCard = desk.locator('li.card', { hasText: 'Jo Lee-Park' });
    await flaggedCard.getByText('Possible duplicate').waitFor();
    await flaggedCard.getByRole('button', { name: 'Actions: request from Jo Lee-Park' }).click();
    await desk.getByRole('menuitem', { name: 'Approve for the existing client' }).click();
    const booked = flaggedCard.getByText(/^Approved\./);
    await booked.waitFor({ timeout: 30_000 });
    expect(await booked.innerText()).to.include(
      `on the calendar for the existing client Jordan Lee (${jordan.email}), whose profile was left as it is; no new client was created.`,
    );
    expect(await flaggedCard.innerText()).to.not.include('was added as a new client');
    await screenshot(desk, 'dashboard-approved-existing-client');

    // The approval reaches the server, but its answer is lost on the way back (the connection drops).
    await desk.route('**/api/appointment-requests/*/approve', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    const jordanCard = desk
      .locator('li.card', { hasText: 'Jordan Lee' })
      .filter({ hasText: 'Mon, Jun 8, 10:00' });
    await jordanCard.getByRole('button', { name: 'Actions: request from Jordan Lee' }).click();
    await desk.getByRole('menuitem', { name: 'Approve' }).click();
    await jordanCard
      .getByText(
        'We could not confirm the approval in time; it may still have been recorded. We reloaded the request: it is now approved.',
      )
      .waitFor({ timeout: 30_000 });
    expect(await jordanCard.getByText('Approved', { exact: true }).isVisible()).to.equal(true);
    expect(
      await jordanCard.getByRole('button', { name: /^Actions/ }).count(),
      'nothing left to decide',
    ).to.equal(0);
    await screenshot(desk, 'dashboard-decision-answer-lost');
    await desk.unroute('**/api/appointment-requests/*/approve');

    // A long history: "All requests" shows a page, "Show more requests" the rest, each request once.
    for (let i = 0; i < 104; i++)
      await ctx.db.AppointmentRequest.create({
        practiceId: practice.id,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        clientId: jordan.id,
        newClient: null,
        possibleDuplicateClientId: null,
        message: null,
        clientTimeZone: null,
        startsAt: new Date(Date.parse('2026-05-01T14:00:00Z') + i * 3_600_000),
        endsAt: new Date(Date.parse('2026-05-01T14:30:00Z') + i * 3_600_000),
        status: 'expired',
        holdId: null,
        idempotencyKey: null,
        createdAt: new Date(Date.parse('2026-04-20T12:00:00Z') + i * 60_000),
      });
    await desk.getByRole('button', { name: 'All requests' }).click();
    const cards = desk.locator('li.card');
    await desk.getByRole('button', { name: 'Show more requests' }).waitFor();
    expect(await cards.count()).to.equal(100);
    // Newest first: the two decided today lead the list.
    expect(await cards.nth(0).innerText()).to.include('Jordan Lee');
    await desk.getByRole('button', { name: 'Show more requests' }).click();
    await cards.nth(105).waitFor();
    expect(await cards.count()).to.equal(106);
    expect(await desk.getByRole('button', { name: /Show more|Loading/ }).count(), 'the last page').to.equal(
      0,
    );
    const names = await cards.locator('.client-name').allInnerTexts();
    expect(names.filter((n) => n === 'Jo Lee-Park')).to.have.length(1);
    await screenshot(desk, 'dashboard-requests-all-paged');

    expect(pageErrors, pageErrors.join('\n')).to.deep.equal([]);
  });
});
