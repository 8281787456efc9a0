import { expect } from 'chai';
import { parsePracticeArgs } from '../../app/practiceArgs';

describe('practice:create arguments', () => {
  const base = [
    '--name',
    'Harbor Counseling',
    '--time-zone',
    'America/New_York',
    '--admin-email',
    'Ada@Example.com',
  ];

  it('reads the practice and its first admin, names defaulted from the address', () => {
    expect(parsePracticeArgs(base)).to.deep.equal({
      args: {
        name: 'Harbor Counseling',
        timeZone: 'America/New_York',
        admin: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Admin' },
      },
    });
    const named = parsePracticeArgs([...base, '--admin-first-name', 'Ada', '--admin-last-name', 'Lovelace']);
    expect(named).to.have.nested.property('args.admin.lastName', 'Lovelace');
  });

  it('says what is wrong with each bad argument', () => {
    const error = (argv: string[]) => (parsePracticeArgs(argv) as { error: string }).error;
    expect(error(base.slice(2))).to.match(/^--name is required/);
    expect(error(['--name', 'X Y', '--admin-email', 'a@b.co'])).to.match(/^--time-zone is required/);
    expect(error([...base.slice(0, 3), 'Mars/Olympus', ...base.slice(4)])).to.match(/not an IANA time zone/);
    expect(error([...base.slice(0, 5), 'not-an-email'])).to.match(/^--admin-email is required/);
    expect(error([...base, '--colour', 'blue'])).to.match(/Unknown option '--colour'/);
  });
});
