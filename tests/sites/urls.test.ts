import { describe, expect, it } from 'vitest';
import { SITES } from '@/lib/sites';

/** Each site's own URLs; every other site must refuse them. */
const URLS: Record<string, string[]> = {
  gmail: [
    'https://mail.google.com/mail/u/0/#inbox',
    'https://mail.google.com/mail/u/1/#inbox/FMfcgzGwHLxqKjMpzXbWfRtVnDcBgLjQ',
    'https://mail.google.com/mail/u/0/#label/Clients/16b2c3d4e5f60718',
    'https://mail.google.com/mail/u/0/#inbox?compose=new',
    'https://mail.google.com/mail/u/0/?ui=2&view=btop&th=16b2c3d4e5f60718',
    'https://mail.google.com/mail/?authuser=jane@acme.io#search/from%3Aalice',
  ],
  outlook: [
    'https://outlook.office.com/mail/',
    'https://outlook.office.com/mail/inbox/id/AAQkAGI2TGZmMDAtOTRh%3D',
    'https://outlook.office365.com/mail/deeplink/read/AAMkAD%2FBBB',
    'https://outlook.live.com/mail/0/inbox',
    'https://outlook.office.com/mail/deeplink/compose?to=a@b.example',
    'https://outlook.office.com/owa/?path=/mail/inbox',
  ],
  'outlook-calendar': [
    'https://outlook.office.com/calendar/view/week',
    'https://outlook.office.com/calendar/item/AAMkAGEVENT%3D',
    'https://outlook.live.com/calendar/0/item/AAMkAGEVENT%3D',
    'https://outlook.office365.com/calendar/deeplink/read/AAMkAG',
  ],
  'google-calendar': [
    'https://calendar.google.com/calendar/u/0/r',
    'https://calendar.google.com/calendar/u/0/r/week/2023/4/26',
    'https://calendar.google.com/calendar/u/1/r/eventedit/NGsybTlxMGFi',
    'https://calendar.google.com/calendar/r/month',
  ],
};

const NOBODY = [
  'https://www.google.com/search?q=mail.google.com',
  'https://mail.google.com.evil.example/mail/u/0/',
  'https://evil.example/mail.google.com/mail/',
  'https://accounts.google.com/SignOutOptions',
  'https://outlook.office.com.evil.example/mail/',
  'https://calendar.google.com.evil.example/calendar/r',
  'https://docs.google.com/calendar/u/0/r',
  'https://outlook.office.com/people/',
  'https://mail.google.com/chat/u/0/',
  'http://localhost:3000/mail/u/0/',
];

describe('URL matrix', () => {
  for (const site of SITES) {
    it(`${site.id} accepts its own URLs`, () => {
      for (const u of URLS[site.id]!) expect(site.matchesUrl(new URL(u)), u).toBe(true);
    });
    it(`${site.id} refuses every other site's URLs and foreign hosts`, () => {
      const others = Object.entries(URLS).filter(([id]) => id !== site.id).flatMap(([, us]) => us);
      for (const u of [...others, ...NOBODY]) expect(site.matchesUrl(new URL(u)), u).toBe(false);
    });
  }

  it('every registered site has test URLs', () => {
    expect(SITES.map((s) => s.id).sort()).toEqual(Object.keys(URLS).sort());
  });
});
