import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const PROMETHEUS_BIN = process.env.LIFEBOAT_PROMETHEUS ?? '/usr/bin/prometheus';

/** An exporter of the test's own: serves `metrics` in the text exposition format at /metrics. */
export async function startExporter(metrics: Map<string, number>) {
  const server = http.createServer((_request, response) => {
    const lines = [...metrics].map(([series, value]) => `${series} ${value}`);
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    target: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A real Prometheus on a free loopback port scraping `target` every second, with its own data dir.
 * `honorLabels` keeps the exporter's own job and instance labels, as a federation of other regions'
 * blackbox probes does (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config).
 */
export async function startPrometheus(target: string, options: { honorLabels?: boolean } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeboat-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: lifeboat-test\n    honor_labels: ${options.honorLabels === true}\n    static_configs: [{ targets: ['${target}'] }]\n`,
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** Waits until a query gives a sample: Prometheus has started and scraped the exporter. */
    async until(query: string, withinMs = 30_000): Promise<void> {
      const end = Date.now() + withinMs;
      while (Date.now() < end) {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
        try {
          const answer = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
          const body = (await answer.json()) as { data?: { result?: unknown[] } };
          if ((body.data?.result?.length ?? 0) > 0) return;
        } catch {
          // not listening yet
        }
        await sleep(200);
      }
      throw new Error(`prometheus never had a sample for ${query}: ${stderr}`);
    },
    async stop(): Promise<void> {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
