// The door of accounts (users, sessions, units, tracks): the only file other modules, the server and
// the scripts import from this module, besides schemas.ts.
import type { ProductModule } from '../../platform/module.ts';
import * as init from './migrations/20261126164815_init.ts';
import * as signInThrottle from './migrations/20261202080000_sign_in_throttle.ts';
import { registerAccountRoutes } from './routes.ts';

export const accountsModule: ProductModule = {
  name: 'accounts',
  migrations: {
    '20261126164815_accounts_init': init,
    '20261202080000_accounts_sign_in_throttle': signInThrottle,
  },
  registerRoutes: registerAccountRoutes,
};

export { actorFromSession, ensureInitialOrganizer, SCREEN_SESSION_TTL_MS, screenSignIn } from './auth.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
