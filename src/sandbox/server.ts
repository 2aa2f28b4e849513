import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PAGE_ASSETS } from './page/assets.js';
import { PAGE_REQUESTS, pageAction, type PageDeps, type PageRequest } from './page-actions.js';
import { listenFrom } from './ports.js';
import { errorMessage } from '../errors.js';

/** What the page shows besides the workspace: who may be switched to, and what to try. */
export type PageInfo = {
  readonly people: readonly string[];
  readonly command: string;
  readonly tips: readonly string[];
};

export type WorkspacePage = { readonly url: string; readonly port: number; stop(): Promise<void> };

const MAX_BODY = 1024 * 1024;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/**
 * The workspace page on loopback: the page itself, the emulator's state for it to poll, and the
 * person's actions, which go to the bot through the signed driver exactly as Slack would send them.
 */
export async function startWorkspacePage(
  options: PageDeps & { readonly port: number; readonly info: () => PageInfo },
): Promise<WorkspacePage> {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
    if (req.method === 'GET') {
      const asset = PAGE_ASSETS[path === '/' ? '/index.html' : path];
      if (asset) return send(res, 200, asset.type, asset.body);
      // The page needs neither the call log nor response URLs, and both grow with every call.
      if (path === '/_emulator/state') return json(res, 200, options.emulator.snapshot({ history: false }));
      if (path === '/_sandbox/info') {
        const names = Object.fromEntries(options.emulator.users().map((u) => [u.id, u.name]));
        return json(res, 200, { ...options.info(), names });
      }
      // The sandbox's stand-in for "the application": what a runbook's health URL can probe.
      if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
      if (path === '/favicon.ico') return void res.writeHead(204).end();
      return send(res, 404, 'text/plain', 'not found\n');
    }
    const kind = /^\/_sandbox\/([a-z]+)$/.exec(path)?.[1] as PageRequest | undefined;
    if (req.method !== 'POST' || !kind || !PAGE_REQUESTS.includes(kind))
      return send(res, 404, 'text/plain', 'not found\n');
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return json(res, 400, { ok: false, error: `unreadable request: ${errorMessage(error)}` });
    }
    try {
      const answer = await pageAction(kind, body, options);
      json(res, answer.status, answer.body);
    } catch (error) {
      // The driver refuses what Slack's client would not send (an empty required field, a vanished button).
      json(res, 400, { ok: false, error: errorMessage(error) });
    }
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: String(error) });
      else res.end();
    });
  });
  const port = await listenFrom(server, options.port);
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The page polls with keep-alive connections; close them so stop() does not wait for them.
        server.closeAllConnections();
      }),
  };
}
