/**
 * The control API's operations (POST/GET /training-runs, GET /training-runs/{id}, GET /models,
 * POST /models/{version}/promote) over the runs repository and the workflow starter — HTTP-free, so the handler only
 * routes and maps, and the CLI can call the same functions.
 */
import { z } from 'zod';
import { ErrorCode, RequestError } from '../errors';
import { parseModelVersion } from '../names';
import type { ModelVersionItem, PromoteResult, RunsRepository, ServedPointerItem } from '../store/runs';
import type { RunItem } from '../types';
import { describeZodError, TrainingParamsSchema } from './params';
import { startTrainingRun, type WorkflowStarter } from './start-run';

export interface ControlDeps {
  runs: RunsRepository;
  starter: WorkflowStarter;
}

/** Largest page of runs or models, items. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  next: z.string().min(1).optional(),
});

function invalid(message: string, suggestion: string): RequestError {
  return new RequestError(ErrorCode.INVALID_REQUEST, message, { suggestion });
}

function parsePageQuery(query: Record<string, string>): z.output<typeof PageQuery> {
  const parsed = PageQuery.safeParse(query);
  if (!parsed.success) throw invalid(`Invalid query: ${describeZodError(parsed.error)}`, `Use ?limit=1-${MAX_PAGE_SIZE} and the \`next\` cursor of the previous page.`);
  return parsed.data;
}

function notFound(message: string, suggestion: string): RequestError {
  return new RequestError(ErrorCode.NOT_FOUND, message, { suggestion });
}

/** POST /training-runs: validate the body (TrainingParams, defaults applied), create the run and start it. */
export async function startRunFromBody(deps: ControlDeps, body: string | undefined): Promise<RunItem> {
  let json: unknown = {};
  if (body !== undefined && body.trim() !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      throw invalid('The body is not JSON', 'Send a JSON object such as {"epochs": 250, "split": "random", "seed": 42}, or no body for the defaults.');
    }
  }
  const parsed = TrainingParamsSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(
      `Invalid training parameters: ${describeZodError(parsed.error)}`,
      'Fields: epochs (1-1000, default 250), split ("random" | "actor"), seed (integer, default 42), testActors (actor numbers 1-24, split "actor" only), force (boolean), models (subset of perceptron, mlp, mlp_tanh_adam, conv1d).',
    );
  }
  return startTrainingRun({ runs: deps.runs, starter: deps.starter, params: parsed.data });
}

/** GET /training-runs: newest first, paginated. */
export async function listRuns(deps: ControlDeps, query: Record<string, string>): Promise<{ runs: RunItem[]; next?: string }> {
  const { limit, next } = parsePageQuery(query);
  const page = await deps.runs.listRuns({ limit, next });
  return { runs: page.items, ...(page.next ? { next: page.next } : {}) };
}

/** GET /training-runs/{id}; NOT_FOUND when there is no such run. */
export async function getRun(deps: ControlDeps, runId: string): Promise<RunItem> {
  const run = await deps.runs.getRun(runId);
  if (!run) throw notFound(`No training run ${runId}`, 'List runs with GET /training-runs.');
  return run;
}

/** GET /models: model versions newest first, each flagged `served`, plus the served pointer. */
export async function listModels(
  deps: ControlDeps,
  query: Record<string, string>,
): Promise<{ served: ServedPointerItem | null; models: (ModelVersionItem & { served: boolean })[]; next?: string }> {
  const { limit, next } = parsePageQuery(query);
  const [served, page] = await Promise.all([deps.runs.getServed(), deps.runs.listModels({ limit, next })]);
  return {
    served: served ?? null,
    models: page.items.map((m) => ({ ...m, served: m.version === served?.version })),
    ...(page.next ? { next: page.next } : {}),
  };
}

/** POST /models/{version}/promote: serve an existing version whatever its accuracy (rollback). */
export async function promoteVersion(deps: ControlDeps, version: string): Promise<PromoteResult> {
  if (!parseModelVersion(version)) {
    throw invalid(`"${version}" is not a model version`, 'A version looks like run-YYYYMMDD-HHMMSS-xxxxxx.<model>; list them with GET /models.');
  }
  const item = await deps.runs.getModelVersion(version);
  if (!item) throw notFound(`No model version ${version}`, 'List versions with GET /models.');
  return deps.runs.promote(item, { force: true });
}
