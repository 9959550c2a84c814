// Worker threads do not inherit tsx's loader registration: register it, then load the TypeScript server host.
import { register } from 'tsx/esm/api';
register();
await import('./server-host.ts');
