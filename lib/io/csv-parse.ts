import Papa from 'papaparse';

export interface CsvRow {
  /** 1-based line in the file where the record starts (the header is line 1). */
  line: number;
  cells: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface ParsedCsv {
  headers: string[];
  rows: CsvRow[];
  /** Structural problems (unterminated quotes and the like), each with its line. */
  problems: CsvProblem[];
}

/** Files bigger than this are refused before parsing: a browser tab would stall on them. */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
export const MAX_CSV_ROWS = 100_000;

/**
 * Parses CSV text into a header and rows that remember the line they started on. Papaparse
 * reports only record indexes, and quoted cells may span lines, so lines come from its cursor.
 */
export function parseCsv(input: string): ParsedCsv {
  // A UTF-8 byte order mark would otherwise stick to the first header name.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const breaks: number[] = [];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) breaks.push(i);
  const lineAt = (index: number): number => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };

  const records: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let prevEnd = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    step: (r) => {
      let start = prevEnd;
      while (start < text.length && /[\r\n]/.test(text[start]!)) start++;
      prevEnd = r.meta.cursor;
      const line = lineAt(start);
      // A one-column file has no delimiter to detect; the comma default is right for it.
      for (const e of r.errors) if (e.code !== 'UndetectableDelimiter') problems.push({ line, message: csvErrorMessage(e) });
      records.push({ line, cells: r.data.map((c) => c.trim()) });
    },
  });

  const [head, ...rows] = records;
  return { headers: head?.cells ?? [], rows, problems };
}

function csvErrorMessage(e: Papa.ParseError): string {
  switch (e.code) {
    case 'MissingQuotes':
      return 'a quoted value is never closed';
    case 'InvalidQuotes':
      return 'a quote appears inside an unquoted value';
    case 'TooFewFields':
    case 'TooManyFields':
      return 'the number of columns differs from the header';
    default:
      return e.message;
  }
}
