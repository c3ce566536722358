import { z } from 'zod';

// zod probes for eval support with Function(''), which a strict extension CSP reports and
// Mozilla's linter flags. Schemas work the same without the JIT.
z.config({ jitless: true });

export * from './common';
export * from './contact';
export * from './deal';
export * from './activity';
export * from './task';
export * from './page-context';
export * from './settings';
export * from './outbox';
