import { CONTACT_CSV_HEADERS, CONTACT_FIELDS, guessMapping, parseCsv } from '@/lib/io';
import { fixture } from './helpers';

describe('guessMapping', () => {
  it('maps common CRM export headers to contact fields', () => {
    const { headers } = parseCsv(fixture('contacts-hubspot-export.csv'));
    expect(guessMapping(headers, CONTACT_FIELDS)).toEqual([null, 'firstName', 'lastName', 'email', 'phone', 'companyName', 'lifecycleStage', 'status', 'leadSource']);
  });

  it('maps spreadsheet-style headers, and never uses one field twice', () => {
    expect(guessMapping(['E-mail', 'Full Name', 'Website', 'Work Email', 'Position'], CONTACT_FIELDS)).toEqual(['email', 'name', 'companyDomain', null, 'title']);
  });

  it('maps its own export headers back exactly, so exports re-import without remapping', () => {
    expect(guessMapping(CONTACT_CSV_HEADERS, CONTACT_FIELDS)).toEqual([
      'email', 'name', 'companyName', 'companyDomain', 'title', 'phone', 'lifecycleStage', 'status', 'leadSource', null, null,
    ]);
  });

  it('leaves unknown columns unmapped', () => {
    expect(guessMapping(['Favourite colour', 'Email'], CONTACT_FIELDS)).toEqual([null, 'email']);
  });
});
