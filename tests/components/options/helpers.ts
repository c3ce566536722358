import { fireEvent } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function fixtureFile(name: string, type = 'text/csv'): File {
  return new File([readFileSync(resolve(process.cwd(), 'tests/fixtures/import', name), 'utf8')], name, { type });
}

export function chooseFile(input: HTMLElement, file: File): void {
  fireEvent.change(input, { target: { files: [file] } });
}
