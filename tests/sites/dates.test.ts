import { describe, expect, it } from 'vitest';
import { parseDateTime, parseRange } from '@/lib/sites/dates';

const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('parseDateTime (English only)', () => {
  it.each([
    ['Thu, Dec 4, 2014 at 2:02 PM', local(2014, 12, 4, 14, 2)],
    ['Thu, Dec 4, 2014, 2:02 PM', local(2014, 12, 4, 14, 2)],
    ['Thu, 4 Dec 2014, 14:02', local(2014, 12, 4, 14, 2)],
    ['December 4, 2014 12:00 AM', local(2014, 12, 4, 0, 0)],
    ['Mon, Jan 5, 2015 at 11:02 AM', local(2015, 1, 5, 11, 2)],
    ['Sept 30, 2024, 12:30 p.m.', local(2024, 9, 30, 12, 30)],
    ['Thu 11/27/2025 10:13 AM', local(2025, 11, 27, 10, 13)],
    ['2025-12-02T15:00:00.000Z', Date.UTC(2025, 11, 2, 15)],
    // Gmail's title format takes a shortcut; these pin that it agrees with the general reading.
    ['Mon, Nov 6, 2023, 12:05 AM', local(2023, 11, 6, 0, 5)],
    ['Mon, Nov 6, 2023, 12:05 pm', local(2023, 11, 6, 12, 5)],
    ['Wed, Sept 6, 2023 at 9:59 AM', local(2023, 9, 6, 9, 59)],
    ['Mon, Nov 6, 2023, 13:05 PM', local(2023, 11, 6)],
    ['Mon, Nov 6, 2023,  1:05 PM', local(2023, 11, 6, 13, 5)],
    ['Mon, Nov 6, 2023, 1:05\u202fPM', local(2023, 11, 6, 13, 5)],
  ])('%s', (text, expected) => {
    expect(parseDateTime(text)).toBe(expected);
  });

  it.each(['Do., 4. Dez. 2014, 14:02', 'jeu. 4 déc. 2014 14:02', 'Do 27.11.2025 10:13', '2:02 PM (5 hours ago)', 'Feb 31, 2023, 1:00 PM', 'Fri, Feb 31, 2023, 1:00 PM', 'Fri, Foo 3, 2023, 1:00 PM', '', 'yesterday'])(
    'omits %j',
    (text) => {
      expect(parseDateTime(text)).toBeUndefined();
    },
  );

  it('uses the reference year only when the text has none', () => {
    expect(parseDateTime('Apr 26, 2:00pm', 2023)).toBe(local(2023, 4, 26, 14));
    expect(parseDateTime('Apr 26, 2:00pm')).toBeUndefined();
  });
});

describe('parseRange (Google Calendar)', () => {
  it.each([
    ['Wednesday, April 26⋅11:30am – 12:45pm', local(2023, 4, 26, 11, 30), local(2023, 4, 26, 12, 45)],
    ['Wednesday, April 26⋅11 – 11:30am', local(2023, 4, 26, 11), local(2023, 4, 26, 11, 30)],
    ['Wednesday, April 26⋅11:30 – 12:45pm', local(2023, 4, 26, 11, 30), local(2023, 4, 26, 12, 45)],
    ['Wednesday, April 26⋅1 – 2pm', local(2023, 4, 26, 13), local(2023, 4, 26, 14)],
    ['Wednesday, 26 April⋅14:00 – 15:30', local(2023, 4, 26, 14), local(2023, 4, 26, 15, 30)],
    ['Wednesday, April 26', local(2023, 4, 26), local(2023, 4, 27)],
    ['Wednesday, April 26 – Friday, April 28', local(2023, 4, 26), local(2023, 4, 29)],
    ['Wednesday, April 26⋅11:30pm – Thursday, April 27⋅12:30am', local(2023, 4, 26, 23, 30), local(2023, 4, 27, 0, 30)],
    ['Sunday, December 31⋅10pm – Monday, January 1⋅1am', local(2023, 12, 31, 22), local(2024, 1, 1, 1)],
    ['Friday, May 3, 2024⋅9:00 – 10:00am', local(2024, 5, 3, 9), local(2024, 5, 3, 10)],
  ])('%s', (text, start, end) => {
    expect(parseRange(text, 2023)).toEqual({ start, end });
  });

  it('gives up on other languages', () => {
    expect(parseRange('mercredi 26 avril⋅11:30 – 12:45', 2023)).toBeUndefined();
  });
});
