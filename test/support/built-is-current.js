/**
 * Jest's global setup: the tests run the built `dist/` (render threads load
 * `dist/render/render-worker.js`, see jest.config.js; the CLI and process
 * suites run `dist/cli/*.js` and `dist/server.js`), so a `dist/` older than
 * `src/` would test old code without a word. This stops the run instead,
 * naming the file, before any suite starts (scripts/build-state.mjs tells).
 * `npm test` and `npm run test:unit` build first; a lone `npx jest` after an
 * edit needs `npm run build`.
 */
import { BUILT_WORKER, staleBuild } from '../../scripts/build-state.mjs';

export { BUILT_WORKER, staleBuild };

export default function builtIsCurrent() {
  const why = staleBuild();
  if (why) throw new Error(`The tests run the built dist/, and ${why}: run npm run build (npm test and npm run test:unit build first).`);
}
