import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { emailVerificationCode } from '../support/verification';
import { aClient, aClinician, aPractice, aService, aStaffUser } from '../fixtures';

// Wednesday 10 June 2026, 09:00 in New York: inside the fixture clinician's hours, after the server's fixed clock.
const SLOT = '2026-06-10T13:00:00.000Z';

describe('the Clients pages and the possible-duplicate comparison in Chromium (phone and desktop)', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-clients' });
  const { ctx, device, screenshot, fitsWidth, staffSignIn, pageErrors } = stage;
  it('a manager adds a client with a portal invitation, finds them, edits and archives them, on desktop and phone', async () => {
    const practice = await aPractice(ctx.db, { name: 'Riverside Therapy' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    await aClient(ctx.db, practice, { firstName: 'Morgan', lastName: 'Avery', phone: '+1 555 0160' });

    const desk = await device('desktop');
    await staffSignIn(desk, manager.email);
    await desk.getByRole('link', { name: 'Clients' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    await desk.getByRole('link', { name: 'Morgan Avery' }).waitFor();

    await desk.getByRole('button', { name: 'Add client' }).click();
    const dialog = desk.getByRole('dialog', { name: 'Add a client' });
    await dialog.getByLabel('First name').fill('Jamie');
    await dialog.getByLabel('Last name').fill('Lindqvist');
    await dialog.getByLabel('Email', { exact: true }).fill('morgan-taken@example.test');
    expect(await dialog.getByLabel('Email them an invitation to the client portal').isChecked()).to.equal(
      true,
    );
    await screenshot(desk, 'add-dialog');
    // An address another client signs in with is refused next to the field.
    const morgan = (await ctx.db.Client.findOne({ where: { practiceId: practice.id } }))!;
    await dialog.getByLabel('Email', { exact: true }).fill(morgan.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Add client' }).click();
    await dialog.getByText('Another client of the practice signs in with this email address.').waitFor();
    expect(await dialog.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).to.equal('true');
    await dialog.getByLabel('Email', { exact: true }).fill('jamie.lindqvist@example.test');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    await desk.getByText('Jamie Lindqvist was added.').waitFor();
    await desk.getByText('An invitation to the client portal is on its way to them.').waitFor();
    const invitation = await stage.capture.waitFor(
      (e) => e.to.includes('jamie.lindqvist@example.test'),
      20_000,
    );
    expect(invitation.subject).to.equal('Book your appointments online with Riverside Therapy');
    await screenshot(desk, 'list-added');

    await desk.getByLabel('Search clients').fill('555 0160');
    await desk.waitForURL(/q=555/);
    await desk.getByRole('link', { name: 'Jamie Lindqvist' }).waitFor({ state: 'detached' });
    expect(await desk.getByRole('link', { name: 'Morgan Avery' }).isVisible()).to.equal(true);
    await desk.getByLabel('Search clients').fill('lindq');
    await desk.getByRole('link', { name: 'Jamie Lindqvist' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Jamie Lindqvist' }).waitFor();
    await desk.getByText(/^Invited /).waitFor();
    await desk.getByText('No appointments.').waitFor();

    await desk.getByRole('button', { name: 'Edit details' }).click();
    const edit = desk.getByRole('dialog', { name: 'Edit contact details' });
    await edit.getByLabel('Phone').fill('+1 555 0175');
    await edit.getByRole('button', { name: 'Save' }).click();
    await desk.getByText('The contact details were saved.').waitFor();
    await desk.getByText('+1 555 0175').waitFor();

    await desk.getByRole('button', { name: 'Archive' }).click();
    await desk.getByRole('dialog', { name: 'Archive Jamie Lindqvist?' }).waitFor();
    await screenshot(desk, 'archive-dialog');
    await desk.getByRole('button', { name: 'Archive client' }).click();
    await desk.getByText(/Jamie Lindqvist is archived/).waitFor();
    await desk.getByText('No access while archived').waitFor();
    expect(await desk.getByRole('button', { name: /portal invitation/ }).count()).to.equal(0);
    await screenshot(desk, 'profile-archived');
    const jamie = (await ctx.db.Client.findOne({ where: { email: 'jamie.lindqvist@example.test' } }))!;
    expect(jamie.archivedAt).to.not.equal(null);
    expect(jamie.phone).to.equal('+1 555 0175');

    // The same pages on a phone: nothing wider than the screen, and reachable from the list.
    const phone = await device('phone');
    await staffSignIn(phone, manager.email);
    await phone.goto('/app/clients?show=archived');
    await phone.getByRole('link', { name: 'Jamie Lindqvist' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Jamie Lindqvist' }).waitFor();
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'profile-phone');
    await phone.getByRole('button', { name: 'Unarchive' }).click();
    await phone.getByText(/is active again/).waitFor();
    await phone.goto('/app/clients');
    await phone.getByRole('link', { name: 'Jamie Lindqvist' }).waitFor();
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'list-phone');
    expect(pageErrors).to.deep.equal([]);
  });

  it('a possible duplicate shows both records side by side and is approved as a separate new client', async () => {
    const practice = await aPractice(ctx.db, { name: 'Riverside Therapy' });
    const service = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    const clinician = await aClinician(ctx.db, practice, {
      preferences: { initialConsultationServiceId: service.id, startTimeIntervalMinutes: 60 },
    });
    const parent = await aClient(ctx.db, practice, {
      firstName: 'Alex',
      lastName: 'Okafor',
      email: 'okafor.family@example.test',
      phone: '+1 555 0101',
    });
    const code = await emailVerificationCode(ctx.http, stage.capture, practice.slug, parent.email);
    const submitted = await ctx.http.post(`/portal/${practice.slug}/requests`, {
      clinicianId: clinician.id,
      serviceId: service.id,
      startsAt: SLOT,
      newClient: { firstName: 'Kim', lastName: 'Okafor', email: parent.email, phone: '+1 555 0199' },
      emailVerificationCode: code,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);

    const desk = await device('desktop');
    await staffSignIn(desk, clinician.email);
    const card = desk.getByRole('listitem').filter({ hasText: 'Kim Okafor' });
    const compare = card.getByRole('region', { name: 'Possible duplicate of Alex Okafor' });
    await compare.waitFor();
    const rows = await compare.getByRole('row').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).to.include.members([
      'Name Kim Okafor Alex Okafor',
      'Email okafor.family@example.test okafor.family@example.test',
      'Phone +1 555 0199 +1 555 0101',
    ]);
    await screenshot(desk, 'duplicate-desktop');
    await desk.setViewportSize({ width: 390, height: 844 });
    expect(await fitsWidth(desk)).to.equal(true);
    await screenshot(desk, 'duplicate-phone');
    await desk.setViewportSize({ width: 1280, height: 860 });

    await card.getByRole('button', { name: /^Actions/ }).click();
    await screenshot(desk, 'duplicate-actions');
    await desk.getByRole('menuitem', { name: 'Approve as a new client' }).click();
    await card.getByText(/was added as a separate new client sharing the email address/).waitFor();
    const kim = (await ctx.db.Client.findOne({ where: { practiceId: practice.id, firstName: 'Kim' } }))!;
    expect([kim.email, kim.portalSignIn]).to.deep.equal([parent.email, false]);
    await screenshot(desk, 'duplicate-approved');

    // Kim's profile says who signs in with the shared address.
    await desk.goto(`/app/clients/${kim.id}`);
    await desk.getByText('Alex Okafor signs in with this address').waitFor();
    await screenshot(desk, 'profile-shared-address');
    expect(pageErrors).to.deep.equal([]);
  });
});
