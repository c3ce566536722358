import { z } from 'zod';

// Extension pages and the worker run under a CSP without 'unsafe-eval'. Zod 4 probes
// `new Function` to compile faster object parsers; the probe fails there anyway, but Chrome
// reports every attempt as a CSP violation. Each entrypoint imports this first, before any
// schema is built (schemas read the flag when they are created).
z.config({ jitless: true });
