import { expect } from 'chai';
import { freshDatabase } from '../support/database';
import { startStack, type TestStack } from '../support/stack';
import { httpClient } from '../support/http';
import { aClinician, aPractice } from '../fixtures';

describe('store (models bound to one database)', function () {
  this.timeout(120_000);
  let a: Awaited<ReturnType<typeof freshDatabase>>;
  let b: Awaited<ReturnType<typeof freshDatabase>>;
  const stacks: TestStack[] = [];

  // b is opened after a: with models bound by the last database opened, a's writes would land in b.
  beforeEach(async () => {
    a = await freshDatabase();
    b = await freshDatabase();
  });
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.stop();
    await a.drop();
    await b.drop();
  });

  it("never shows one database's rows through another database's store", async () => {
    const practice = await aPractice(a.db);
    const clinician = await aClinician(a.db, practice);

    expect((await a.db.Practice.findByPk(practice.id))?.slug).to.equal(practice.slug);
    expect(await b.db.Practice.findByPk(practice.id)).to.equal(null);
    expect(await b.db.Practice.count()).to.equal(0);
    expect(await b.db.StaffUser.count()).to.equal(0);
    expect(await b.db.AvailabilityRule.count({ where: { clinicianId: clinician.id } })).to.equal(0);
    const [[row]] = (await a.db.sequelize.query('SELECT count(*)::int AS n FROM practices')) as [
      { n: number }[],
      unknown,
    ];
    expect(row.n).to.equal(1);
  });

  it('an API built on one database answers 404 for a practice that exists only in another', async () => {
    const practice = await aPractice(a.db);
    stacks.push(await startStack({ db: a.db }), await startStack({ db: b.db }));
    const [onA, onB] = stacks.map((s) => httpClient(s.url));

    const fromA = await onA.get(`/portal/${practice.slug}`);
    expect(fromA.status).to.equal(200);
    expect(fromA.body.name).to.equal(practice.name);
    expect((await onB.get(`/portal/${practice.slug}`)).status).to.equal(404);
  });
});
