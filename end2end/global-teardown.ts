import * as fs from 'fs';
import * as path from 'path';

/** The run fails when the server panicked, even if every page a test looked at was fine. */
export default async function globalTeardown() {
  const file = path.join(process.env.ATLAS_E2E_DIR ?? '', 'server.err');
  if (!fs.existsSync(file)) return;
  const log = fs.readFileSync(file, 'utf8');
  if (log.includes('panicked at')) {
    const at = log.indexOf('panicked at');
    throw new Error(`the server panicked during the run:\n${log.slice(Math.max(0, at - 200), at + 3000)}`);
  }
}
