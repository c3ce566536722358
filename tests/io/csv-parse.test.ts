import { parseCsv } from '@/lib/io';

describe('parseCsv', () => {
  it('gives each record the line it starts on, across quoted line breaks and blank lines', () => {
    const csv = parseCsv('email,note\na@x.com,"two\nlines"\n\nb@x.com,plain\r\n');
    expect(csv.headers).toEqual(['email', 'note']);
    expect(csv.rows.map((r) => r.line)).toEqual([2, 5]);
    expect(csv.rows[0]!.cells).toEqual(['a@x.com', 'two\nlines']);
  });

  it('drops a byte order mark and trims cells', () => {
    const csv = parseCsv('\uFEFFEmail , Name\n  a@x.com ,  Ann ');
    expect(csv.headers).toEqual(['Email', 'Name']);
    expect(csv.rows[0]!.cells).toEqual(['a@x.com', 'Ann']);
  });

  it('reports an unterminated quote with its line', () => {
    const csv = parseCsv('email,name\na@x.com,Ann\nb@x.com,"Bob');
    expect(csv.problems).toEqual([{ line: 3, message: 'a quoted value is never closed' }]);
  });
});
