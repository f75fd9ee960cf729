// gateway/routes/console-routes: the review console's static files at /console (HTML, CSS, browser JS from
// gateway/console/), with no token: the page signs in by itself and calls /v1 with a bearer header. Strict
// headers: same-origin scripts and styles only (no inline code, nothing from outside), no framing, no referrer.
// The console's closed sets come from the server (/console/vocabulary.json), so the browser keeps no copies.
// Chart.js (a dependency) is served from the gateway too, at /console/vendor/chart.umd.min.js: no outside asset.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { consoleVocabulary } from '../../transfers/transfer-vocabulary.js';

/**
 * tsc does not copy non-TypeScript files, so from dist/gateway/routes/ the console is found in the source
 * tree (../../../gateway/console); under tsx (tests) it is ../console. Undefined when neither exists.
 */
export function findConsoleDir(): string | undefined {
  for (const relative of ['../console/', '../../../gateway/console/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/**
 * Chart.js's browser build (UMD, defines `Chart`), read once at start from the installed package: its exports map
 * names only the ESM and CJS entries, so the file is found beside the CJS one.
 */
function readChartJs(): Buffer {
  const cjs = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(path.join(path.dirname(cjs), 'chart.umd.min.js'));
}

const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function createConsoleRoutes(dir: string | undefined = findConsoleDir()): Router {
  const router = Router();
  router.use('/console', (_req, res, next) => {
    res.set({
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    next();
  });
  // The gateway's root has nothing else to show a person who opens it in a browser.
  router.get('/', (_req, res) => res.redirect(302, '/console/'));
  router.get('/console/vocabulary.json', (_req, res) => res.json(consoleVocabulary));
  const chartJs = readChartJs();
  router.get('/console/vendor/chart.umd.min.js', (_req, res) => {
    // Changes only with the installed package, i.e. with a new gateway release: a day in the cache is safe.
    res.set('Cache-Control', 'public, max-age=86400').type('text/javascript; charset=utf-8').send(chartJs);
  });
  if (dir !== undefined)
    router.use('/console', express.static(dir, { index: 'index.html', redirect: true, dotfiles: 'ignore' }));
  return router;
}
