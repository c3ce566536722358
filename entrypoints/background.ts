// First: configures zod before any schema module is evaluated.
import '@/lib/model/zod-config';
import { startBackground } from '@/lib/background';

export default defineBackground({
  type: 'module',
  // Listeners register synchronously inside startBackground: the worker may wake for any of them.
  main: startBackground,
});
