/**
 * The real host names Threadline reads, and the fixture folder each one is served from.
 * The demo, the e2e runner and the fixture server all read this one table.
 */
export const HOST_FOLDERS = {
  'mail.google.com': 'gmail',
  'calendar.google.com': 'google-calendar',
  'outlook.office.com': 'outlook',
  'outlook.office365.com': 'outlook',
  'outlook.live.com': 'outlook',
};

export const HOSTS = Object.keys(HOST_FOLDERS);

/**
 * Maps every mail/calendar host to the loopback fixture server and fails every other name,
 * so a run never touches the network. Loopback stays reachable for the bench and servers.
 */
export function hostResolverRules(port) {
  return [...HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost'].join(',');
}
