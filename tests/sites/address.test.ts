import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isEmail } from '@/lib/model';
import { decodeEntities, findEmails, normalizeEmail, parseAddress, parseAddressList, splitAddressList } from '@/lib/sites/address';

describe('parseAddress', () => {
  it.each([
    ['Jane Doe <Jane.Doe@X.org>', { email: 'jane.doe@x.org', name: 'Jane Doe' }],
    ['"Smith, Jane" <jane@x.org>', { email: 'jane@x.org', name: 'Smith, Jane' }],
    ['&quot;Smith, Jane&quot; &lt;jane@x.org&gt;', { email: 'jane@x.org', name: 'Smith, Jane' }],
    ['\u202cJane Doe\u202c <\u202cjane@x.org\u202c>', { email: 'jane@x.org', name: 'Jane Doe' }],
    ['  jane@x.org  ', { email: 'jane@x.org' }],
    ['<jane@x.org>', { email: 'jane@x.org' }],
    ['mailto:JANE@x.org', { email: 'jane@x.org' }],
    ['jane@x.org <jane@x.org>', { email: 'jane@x.org' }],
    ['"O\\"Neil, Pat" <pat@x.org>', { email: 'pat@x.org', name: 'O"Neil, Pat' }],
    ['Dev <ops> Team <ops@x.org>', { email: 'ops@x.org', name: 'Dev <ops> Team' }],
    ['Zoë Ångström <zoe@x.org>', { email: 'zoe@x.org', name: 'Zoë Ångström' }],
    ['Jane&nbsp;Doe &#60;jane@x.org&#62;', { email: 'jane@x.org', name: 'Jane Doe' }],
  ])('%s', (input, expected) => {
    expect(parseAddress(input)).toEqual(expected);
  });

  it.each(['', 'Jane Doe', 'jane@', '@x.org', 'jane@x', 'jane@@x.org', 'Jane <jane@x>', 'jane doe@x.org', 'Jane <>', 'a@b.c_d'])('rejects %j', (input) => {
    expect(parseAddress(input)).toBeNull();
  });
});

describe('parseAddressList', () => {
  it('splits on commas and semicolons outside quotes and angle brackets', () => {
    expect(parseAddressList('"Smith, Jane" <jane@x.org>, bob@y.com; Carol <carol@z.io>')).toEqual([
      { email: 'jane@x.org', name: 'Smith, Jane' },
      { email: 'bob@y.com' },
      { email: 'carol@z.io', name: 'Carol' },
    ]);
  });

  it('drops invalid entries and keeps the first name of a duplicate', () => {
    expect(parseAddressList('Bob <bob@y.com>, nonsense, BOB@y.com, , ;')).toEqual([{ email: 'bob@y.com', name: 'Bob' }]);
    expect(parseAddressList('bob@y.com, Bob <BOB@y.com>')).toEqual([{ email: 'bob@y.com', name: 'Bob' }]);
  });

  it('decodes entities before splitting', () => {
    expect(parseAddressList('&quot;Doe, J&quot; &lt;j@x.org&gt;&#59; k@x.org')).toEqual([{ email: 'j@x.org', name: 'Doe, J' }, { email: 'k@x.org' }]);
  });

  it('keeps commas inside angle brackets in one entry', () => {
    expect(splitAddressList('A <a@x.org>, B <b,c@x.org>')).toEqual(['A <a@x.org>', 'B <b,c@x.org>']);
  });

  it('handles empty and missing input', () => {
    expect(parseAddressList('')).toEqual([]);
    expect(parseAddressList(null)).toEqual([]);
  });
});

describe('findEmails', () => {
  it('finds addresses inside labels in any language', () => {
    expect(findEmails('Von: Sender@Example.com')).toEqual(['sender@example.com']);
    expect(findEmails('Google Account: Jane Doe\n(jane@acme.io)')).toEqual(['jane@acme.io']);
    expect(findEmails('Inbox (3) - me@x.com - Gmail')).toEqual(['me@x.com']);
    expect(findEmails('no address here')).toEqual([]);
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric entities, leaves unknown ones', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&#39;&#x41;&#66;&bogus;')).toBe(`<>&"'AB&bogus;`);
  });
});

describe('normalizeEmail agrees with the model', () => {
  it('accepts exactly what lib/model Email accepts (after trim and lower-case)', () => {
    const local = fc.stringMatching(/^[a-zA-Z0-9._%+\-!#'"<>(), ]{1,12}$/);
    const domain = fc.stringMatching(/^[a-zA-Z0-9\-]{1,8}(\.[a-zA-Z0-9\-_]{1,6}){0,2}$/);
    fc.assert(
      fc.property(local, domain, (l, d) => {
        const s = `${l}@${d}`;
        const mine = normalizeEmail(s);
        // Both sides trim; ours also strips invisible marks and mailto:, which this alphabet never produces.
        expect(mine !== null).toBe(isEmail(s));
        if (mine) expect(mine).toBe(s.trim().toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });
});
