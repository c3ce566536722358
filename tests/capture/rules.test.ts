import { describe, expect, it } from 'vitest';
import { companyDomainOf, nameKey, parentDomains, skipReason, usableName } from '@/lib/capture/rules';
import { Settings } from '@/lib/model';

const s = (patch: Partial<Settings> = {}) => Settings.parse(patch);

describe('skipReason', () => {
  it('never logs the user: the self flag, or any configured own address in any case', () => {
    expect(skipReason({ email: 'a@x.com', self: true }, s())).toBe('self');
    expect(skipReason({ email: 'me@corp.com' }, s({ selfEmails: [' ME@Corp.com '] }))).toBe('self');
  });

  it('honours the never-log list by address and by domain, subdomains included', () => {
    const set = s({ neverLogEmails: ['ceo@friend.org'], neverLogDomains: ['@lawyer.com'] });
    expect(skipReason({ email: 'ceo@friend.org' }, set)).toBe('never_log');
    expect(skipReason({ email: 'x@lawyer.com' }, set)).toBe('never_log');
    expect(skipReason({ email: 'x@eu.lawyer.com' }, set)).toBe('never_log');
    expect(skipReason({ email: 'x@notlawyer.com' }, set)).toBeNull();
  });

  it('skips internal domains, but not look-alike domains', () => {
    const set = s({ internalDomains: ['northwind.io'] });
    expect(skipReason({ email: 'colleague@northwind.io' }, set)).toBe('internal');
    expect(skipReason({ email: 'x@sales.northwind.io' }, set)).toBe('internal');
    expect(skipReason({ email: 'x@northwind.io.evil.com' }, set)).toBeNull();
  });

  it.each([
    'no-reply@acme.com', 'noreply@acme.com', 'no_reply@acme.com', 'donotreply@x.com', 'do-not-reply@x.com',
    'notifications@github.com', 'notification@x.com', 'mailer-daemon@googlemail.com', 'postmaster@x.com',
    'bounces+123@x.com', 'noreply-94292212@plus.google.com', 'calendar-notification@google.com', 'news@twilio.com',
    'someone@bounce.example.com', '123+user@users.noreply.github.com', 'jane@notifications.hubspot.com',
  ])('treats %s as an automated sender', (email) => {
    expect(skipReason({ email }, s())).toBe('no_reply');
  });

  it.each(['jane@acme.com', 'noreen@acme.com', 'newsome@acme.com', 'reply@acme.com', 'info@acme.com'])('keeps the real person %s', (email) => {
    expect(skipReason({ email }, s())).toBeNull();
  });

  it('ranks self above the other reasons', () => {
    expect(skipReason({ email: 'noreply@northwind.io', self: true }, s({ internalDomains: ['northwind.io'] }))).toBe('self');
  });
});

describe('names and domains', () => {
  it('keeps only names worth storing', () => {
    expect(usableName('  Jane   Doe ', 'j@x.com')).toBe('Jane Doe');
    expect(usableName('me', 'j@x.com')).toBeUndefined();
    expect(usableName('J@X.com', 'j@x.com')).toBeUndefined();
    expect(usableName('', 'j@x.com')).toBeUndefined();
  });

  it('reduces names so word order, case and accents do not hide a duplicate', () => {
    expect(nameKey('Smith, Jane')).toBe(nameKey('jane SMITH'));
    expect(nameKey('José Álvarez')).toBe(nameKey('Jose Alvarez'));
    expect(nameKey('Sam')).toBeNull();
    expect(nameKey(undefined)).toBeNull();
  });

  it('never treats a free mailbox provider as a company', () => {
    expect(companyDomainOf('x@gmail.com')).toBeNull();
    expect(companyDomainOf('x@Acme.com')).toBe('acme.com');
  });

  it('lists parent domains, stopping before a registry like co.uk', () => {
    expect(parentDomains('mail.eu.acme.com')).toEqual(['eu.acme.com', 'acme.com']);
    expect(parentDomains('acme.com')).toEqual([]);
    expect(parentDomains('eu.acme.co.uk')).toEqual(['acme.co.uk']);
  });
});
