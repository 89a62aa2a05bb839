// The web dashboard's built files, with the single-page-app fallback to index.html. No key is needed for
// these: the page asks the user for one. Paths are resolved under the root and checked to stay there.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * On every response of the dashboard: no other site may frame it (clickjacking a page that holds an API key), and
 * no browser guesses a type. The CSP says only frame-ancestors, so the page's own scripts and styles are untouched.
 */
export const frameAndTypeHeaders: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

export function staticFiles(root: string): (c: Context) => Promise<Response> {
  const base = resolve(root);
  return async (c) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad path', 400, frameAndTypeHeaders);
    }
    if (decoded.includes('\0')) return c.text('Bad path', 400, frameAndTypeHeaders);
    const candidate = resolve(base, `.${decoded}`);
    const inside = candidate === base || candidate.startsWith(base + sep);
    let file = inside && (await isFile(candidate)) ? candidate : undefined;
    // A path with an extension names an asset: a missing one is a 404, not the app.
    if (file === undefined && extname(decoded) === '') file = resolve(base, 'index.html');
    if (file === undefined || !(await isFile(file))) return c.text('Not found', 404, frameAndTypeHeaders);
    const body = await readFile(file);
    const immutable = file.startsWith(resolve(base, 'assets') + sep);
    return c.body(body, 200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...frameAndTypeHeaders,
    });
  };
}
