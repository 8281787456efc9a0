import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { aPractice, aStaffUser } from '../fixtures';

describe('the reminder settings in Chromium: change the times, refused and fixed, and turn reminders off', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-reminder-settings' });
  const { ctx, device, screenshot, fitsWidth, pageErrors } = stage;

  it('a manager on a phone sets 72 and 24 hours by keyboard (the same time twice is refused at its box); an admin on a desktop turns them off', async () => {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });

    const phone = await device('phone');
    await stage.staffSignIn(phone, manager.email);
    await phone.goto('/app/settings/practice');
    const form = phone.getByRole('form', { name: 'Reminders' });
    await form.getByRole('heading', { level: 2, name: 'Reminders' }).waitFor();
    const first = form.getByLabel('First reminder (hours before)');
    const second = form.getByLabel('Second reminder (hours before)');
    expect(await first.inputValue()).to.equal('48');
    expect(await second.inputValue()).to.equal('2');
    await first.fill('72');
    await second.fill('72');
    await second.press('Enter');
    await form.getByText('72 hours is listed twice', { exact: false }).waitFor();
    expect(await second.getAttribute('aria-invalid')).to.equal('true');
    await practice.reload();
    expect(practice.reminderOffsetsHours).to.deep.equal([48, 2]);
    await screenshot(phone, 'reminders-refused-phone');
    await second.fill('24');
    await second.press('Enter');
    await form.getByText('Reminder settings saved.').waitFor();
    await practice.reload();
    expect(practice.reminderOffsetsHours).to.deep.equal([72, 24]);
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'reminders-saved-phone');

    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const desk = await device('desktop');
    await stage.staffSignIn(desk, admin.email);
    await desk.goto('/app/settings/practice');
    const deskForm = desk.getByRole('form', { name: 'Reminders' });
    await deskForm.getByLabel('Email clients a reminder before each appointment').uncheck();
    await deskForm.getByRole('button', { name: 'Save reminders' }).click();
    await deskForm.getByText('Reminders are off.').waitFor();
    await practice.reload();
    expect(practice.remindersEnabled).to.equal(false);
    expect(
      await ctx.db.AuditEntry.count({
        where: { practiceId: practice.id, action: 'practice.reminders.update' },
      }),
    ).to.equal(2);
    await screenshot(desk, 'reminders-off-desktop');
    expect(pageErrors).to.deep.equal([]);
  });
});
