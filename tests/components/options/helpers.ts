import { configure, fireEvent } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The suite runs beside other CPU-heavy work; a 1 s wait for IndexedDB-backed renders is too tight.
configure({ asyncUtilTimeout: 5000 });

export function fixtureFile(name: string, type = 'text/csv'): File {
  return new File([readFileSync(resolve(process.cwd(), 'tests/fixtures/import', name), 'utf8')], name, { type });
}

export function chooseFile(input: HTMLElement, file: File): void {
  fireEvent.change(input, { target: { files: [file] } });
}
