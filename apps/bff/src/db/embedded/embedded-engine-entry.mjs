// The embedded engine's thread entry: Node 20 runs no TypeScript by itself, so tsx is registered in
// this thread first (an --import flag does not reach a worker's own module loading in time).
import { register } from 'tsx/esm/api';

register();
await import('./embedded-engine-thread.ts');
