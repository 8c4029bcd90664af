/**
 * The committed `lib/admin/assets.generated.ts` is what `npm run build:admin` makes from the
 * current client code, stylesheet and uPlot: a change to either without a rebuild fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminAssetsModule } from '../../scripts/build-admin.js';

describe('lib/admin/assets.generated.ts', () => {
  it('is up to date (run npm run build:admin after changing lib/admin/client/)', async () => {
    const committed = readFileSync(new URL('../../lib/admin/assets.generated.ts', import.meta.url), 'utf8');
    expect(committed === (await adminAssetsModule()), 'stale: run npm run build:admin').toBe(true);
  });
});
