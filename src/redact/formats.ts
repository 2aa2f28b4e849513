/**
 * Secrets recognised by their own shape wherever they appear. The list follows the formats of
 * secretlint's recommended preset (@secretlint/secretlint-rule-preset-recommend 13.x: AWS, GitHub,
 * GitLab, Slack, Vault, npm, Stripe, OpenAI, Anthropic, SendGrid, Docker, Grafana, Hugging Face,
 * Tailscale, Databricks, Shopify, Linear, Notion, Groq, Figma, 1Password, Google API keys) plus JWTs;
 * why the engine is ours rather than secretlint's is in ./detect.ts.
 * Each alternative is a literal prefix then one character class: one attempt per token start,
 * which is what keeps the scan linear.
 */

/** A token starts at the start of the text, after a non-token character, or after an escaped line break or tab. */
export const TOKEN_START = String.raw`(?<=^|[^A-Za-z0-9_-]|\\[nrt])`;

const TOKENS = [
  // AWS access key ids (IAM users, STS temporary credentials, roles, groups).
  String.raw`(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
  // Slack bot, user, app-level, configuration and refresh tokens (`xoxe.xoxp-…`, `xoxe-1-…`).
  String.raw`xox(?:e\.xox)?[abposre]-[A-Za-z0-9-]{10,}`,
  String.raw`xapp-[A-Za-z0-9-]{10,}`,
  // GitHub classic, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs.
  String.raw`gh[pousr]_[A-Za-z0-9_]{20,}`,
  String.raw`github_pat_[A-Za-z0-9_]{20,}`,
  String.raw`glpat-[A-Za-z0-9_-]{20,}`,
  // Vault service, batch and recovery tokens.
  String.raw`hv[sbr]\.[A-Za-z0-9_-]{20,}`,
  String.raw`npm_[A-Za-z0-9]{36}`,
  String.raw`[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`,
  String.raw`sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`,
  String.raw`AIza[0-9A-Za-z_-]{35}`,
  String.raw`SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}`,
  String.raw`dckr_pat_[A-Za-z0-9_-]{20,}`,
  String.raw`gl(?:c|sa)_[A-Za-z0-9+/_]{32,}`,
  String.raw`hf_[A-Za-z]{30,}`,
  String.raw`dop_v1_[a-f0-9]{64}`,
  String.raw`tskey-[a-z]{2,20}-[A-Za-z0-9_-]{16,}`,
  String.raw`dapi[a-f0-9]{32}`,
  String.raw`shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,}`,
  String.raw`(?:lin_api|gsk|ntn|figd)_[A-Za-z0-9_-]{30,}`,
  String.raw`ops_ey[A-Za-z0-9+/=]{100,}`,
  // JWTs (a service account's token from `kubectl create token`, OIDC id tokens): header.payload.signature.
  String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
];

export const TOKEN_PATTERN = new RegExp(`${TOKEN_START}(?:${TOKENS.join('|')})`, 'g');

/** Slack incoming webhooks and workflow triggers: the path is the credential. */
export const SLACK_WEBHOOK = /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]+)/dg;

/** `Authorization: Bearer …` / `Basic …` and the same scheme words anywhere. */
export const AUTH_SCHEME = new RegExp(
  String.raw`${TOKEN_START}(?:Bearer|Basic)[ \t]+([A-Za-z0-9._~+/=-]{8,})`,
  'dgi',
);
