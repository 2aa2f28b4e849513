#!/usr/bin/env node
import { Command } from 'commander';

/** A repeatable option keeps every value given. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

// Each command loads its module when it runs: lint, schema and --help never load the bot or an SDK.
const program = new Command()
  .name('lifeboat')
  .description('Kubernetes disaster recovery runbooks, run from Slack: lint, export and serve them.')
  .showHelpAfterError('(run lifeboat --help for usage)');

program
  .command('lint')
  .description(
    'Check runbooks and decision trees: schema, references, gates, templates. Exit 1 on any error.',
  )
  .argument('[dir]', 'runbook folder', process.env.LIFEBOAT_RUNBOOKS ?? 'runbooks')
  .option('--format <format>', 'text or json', 'text')
  .option(
    '--config <file>',
    'also check the scheduled drills of this LIFEBOAT_CONFIG file against the runbooks',
    process.env.LIFEBOAT_CONFIG,
  )
  .action(async (dir: string, options: { format: string; config?: string }) => {
    const { lintCommand } = await import('./lint.js');
    process.exitCode = await lintCommand(dir, options.format, options.config);
  });

program
  .command('export')
  .description(
    'Write the printable runbook binder (Markdown) and the decision tree (Mermaid) for when everything else is down.',
  )
  .option('--runbooks <dir>', 'runbook folder', process.env.LIFEBOAT_RUNBOOKS ?? 'runbooks')
  .option('--out <dir>', 'output folder', 'binder')
  .action(async (options: { runbooks: string; out: string }) => {
    const { exportCommand } = await import('./export.js');
    process.exitCode = await exportCommand(options.runbooks, options.out);
  });

program
  .command('schema')
  .description('Print the JSON Schema of runbooks and decision trees, for editor autocompletion.')
  .option('--out <file>', 'write to this file instead of stdout')
  .action(async (options: { out?: string }) => {
    const { schemaCommand } = await import('./schema.js');
    process.exitCode = await schemaCommand(options.out);
  });

program
  .command('serve')
  .description(
    'Run the Slack bot: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, REDIS_URL and friends from the environment (see README).',
  )
  .action(async () => {
    const { serveCommand } = await import('./serve.js');
    process.exitCode = await serveCommand();
  });

program
  .command('timeline')
  .description("Print an incident's timeline as Markdown (reads the bot's Redis: REDIS_URL).")
  .argument('<incident-id>')
  .action(async (id: string) => {
    const { timelineCommand } = await import('./records.js');
    process.exitCode = await timelineCommand(id);
  });

program
  .command('report')
  .description(
    'Print the drill report of an incident as Markdown: RTO and RPO against targets, steps, checks, what to fix.',
  )
  .argument('<incident-id>')
  .action(async (id: string) => {
    const { reportCommand } = await import('./records.js');
    process.exitCode = await reportCommand(id);
  });

program
  .command('readiness')
  .description(
    'Show each runbook with its last successful drill; exit 1 when one is not drilled successfully within 90 days.',
  )
  .option('--runbooks <dir>', 'runbook folder', process.env.LIFEBOAT_RUNBOOKS ?? 'runbooks')
  .option('--format <format>', 'text or json', 'text')
  .action(async (options: { runbooks: string; format: string }) => {
    const { readinessCommand } = await import('./records.js');
    process.exitCode = await readinessCommand(options.runbooks, options.format);
  });

program
  .command('drill')
  .description(
    'Start a drill of a runbook: the running bot posts the DRILL card in the drills channel (REDIS_URL, LIFEBOAT_CONFIG as for serve).',
  )
  .argument('<runbook-id>')
  .option('--runbooks <dir>', 'runbook folder', process.env.LIFEBOAT_RUNBOOKS ?? 'runbooks')
  .option('--param <name=value>', 'a runbook parameter (repeat for each)', collect, [])
  .action(async (runbook: string, options: { runbooks: string; param: string[] }) => {
    const { drillCommand } = await import('./drill.js');
    process.exitCode = await drillCommand(runbook, {
      runbooks: options.runbooks,
      params: options.param,
      ...(process.env.LIFEBOAT_CONFIG ? { config: process.env.LIFEBOAT_CONFIG } : {}),
    });
  });

program
  .command('demo')
  .description(
    'Run the bot against a local Slack-like workspace in the browser, with embedded S3 and (where installed) a sandbox etcd. Ctrl-C stops it all.',
  )
  .option('--port <port>', 'port for the workspace page (the next free one if taken)', '3000')
  .action(async (options: { port: string }) => {
    const { demoCommand } = await import('../sandbox/demo-command.js');
    process.exitCode = await demoCommand({ port: Number(options.port) });
  });

program
  .command('backup')
  .description('Take backups (run hourly by the CronJob in deploy/etcd-backup).')
  .command('etcd')
  .description(
    "Snapshot a cluster's etcd and upload it with its sha256, cluster name and identity, etcd version, revision and time (LIFEBOAT_CONFIG clusters.NAME.etcd and backups.etcd). Exit 1 when no snapshot was uploaded, 3 when the bucket does not protect it.",
  )
  .requiredOption('--cluster <name>', 'cluster name from the config (clusters and backups.etcd)')
  .option('--config <file>', 'LIFEBOAT_CONFIG file', process.env.LIFEBOAT_CONFIG)
  .option('--endpoints <urls>', "etcd client URLs, comma-separated, instead of the config's")
  .option('--format <format>', 'text or json', 'text')
  .action(async (options: { cluster: string; config?: string; endpoints?: string; format: string }) => {
    const { backupEtcdCommand } = await import('./backup.js');
    process.exitCode = await backupEtcdCommand({
      cluster: options.cluster,
      format: options.format,
      ...(options.endpoints ? { endpoints: options.endpoints.split(',').filter(Boolean) } : {}),
      ...(options.config ? { config: options.config } : {}),
    });
  });

await program.parseAsync();
