import { z } from 'zod';
import { errorMessage } from '../../errors.js';
import { implement } from '../contract.js';
import type { Egress } from '../egress.js';
import { pinnedRequest, shownUrl } from '../pinned-request.js';
import { queryContract } from './query-contract.js';

/** The answer of GET /api/v1/query (https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries). */
const Answer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({
        resultType: z.literal('vector'),
        result: z.array(
          z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
        ),
      }),
      z.object({ resultType: z.literal('scalar'), result: z.tuple([z.number(), z.string()]) }),
      z.object({ resultType: z.enum(['matrix', 'string']), result: z.unknown() }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

type Sample = { labels: Record<string, string>; at: number; text: string };

export type PrometheusDeps = { readonly egress: Egress; readonly url?: string };

/** Asks Prometheus once; a query with no series, a NaN or an error is a failure that says what to check. */
export const prometheusQuery = (deps: PrometheusDeps) =>
  implement(queryContract, async ({ query, url }, context) => {
    const base = url ?? deps.url;
    if (base === undefined)
      return {
        completed: false,
        result: {},
        error: 'no Prometheus URL: give url, or set prometheus.url in LIFEBOAT_CONFIG',
      };
    const target = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
    target.searchParams.set('query', query);
    let answer;
    try {
      answer = await pinnedRequest(deps.egress, {
        method: 'GET',
        url: target,
        headers: { accept: 'application/json' },
        signal: AbortSignal.any([context.signal, AbortSignal.timeout(context.timeoutMs)]),
      });
    } catch (error) {
      return { completed: false, result: {}, error: errorMessage(error) };
    }
    const where = shownUrl(new URL(base));
    let parsed;
    try {
      parsed = Answer.safeParse(JSON.parse(answer.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success)
      return {
        completed: false,
        result: { status: answer.status },
        error: `${where} answered ${answer.status} with something that is not a Prometheus API answer: is the URL Prometheus's?`,
      };
    const body = parsed.data;
    if (body.status === 'error')
      return {
        completed: false,
        result: {},
        error: `Prometheus refused the query (${body.errorType}): ${body.error}`,
      };
    const { data } = body;
    let samples: Sample[];
    if (data.resultType === 'vector')
      samples = data.result.map(({ metric, value: [at, text] }) => ({ labels: metric, at, text }));
    else if (data.resultType === 'scalar')
      samples = [{ labels: {}, at: data.result[0], text: data.result[1] }];
    else
      return {
        completed: false,
        result: {},
        error: `the query gives a ${data.resultType}, not a number: drop the range ([5m]) or wrap it in a function such as max_over_time`,
      };
    if (samples.length === 0)
      return {
        completed: false,
        result: { series: 0 },
        error: `the query "${query}" returned no series: check the metric name and labels, and that Prometheus scrapes the exporter (${where}targets)`,
      };
    const numbers = samples.map((sample) => ({ ...sample, value: Number(sample.text) }));
    const known = numbers.filter((sample) => !Number.isNaN(sample.value));
    if (known.length === 0)
      return {
        completed: false,
        result: { series: samples.length },
        error: `the query "${query}" gives NaN: no value to judge`,
      };
    const worst = known.reduce((a, b) => (b.value > a.value ? b : a));
    const result = {
      value: worst.value,
      series: samples.length,
      labels: worst.labels,
      evaluatedAt: new Date(worst.at * 1000).toISOString(),
    };
    return { completed: true, result };
  });
