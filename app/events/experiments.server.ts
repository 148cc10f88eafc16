import { createHash } from "node:crypto";
import { statementCache, type Db } from "~/db/db.server";
import { seededRandom } from "./seeded-random";
import type { Surface } from "~/search/search-request";
import type { Services } from "~/services.server";
import { loadSearchOutcomes, type AnalyticsRange, type SearchOutcome } from "./analytics.server";
import { isErrorNamed } from "~/errors";

export interface Experiment {
  id: number;
  name: string;
  surface: Surface;
  presetA: string;
  presetB: string;
  /** Share of sessions given preset B. */
  splitB: number;
  startedAt: string;
  stoppedAt: string | null;
  createdBy: string | null;
}

export type Arm = "A" | "B";

/** A surface already has a running experiment: stop it first. */
export class ExperimentConflictError extends Error {
  override name = "ExperimentConflictError";
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "ExperimentConflictError");
  }
}

const COLUMNS = `id, name, surface, preset_a AS presetA, preset_b AS presetB, split_b AS splitB,
  started_at AS startedAt, stopped_at AS stoppedAt, created_by AS createdBy`;

/** Preset A/B tests (data access only). */
export class ExperimentStore {
  /** Statements on every search's path, compiled once. */
  private readonly statement: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.statement = statementCache(db);
  }

  list(): Experiment[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM experiments ORDER BY started_at DESC, id DESC`).all() as Experiment[];
  }

  get(id: number): Experiment | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM experiments WHERE id = ?`).get(id) as Experiment | undefined;
  }

  running(surface: Surface): Experiment | undefined {
    return this.statement(`SELECT ${COLUMNS} FROM experiments WHERE surface = ? AND stopped_at IS NULL`).get(surface) as Experiment | undefined;
  }

  create(input: { name: string; surface: Surface; presetA: string; presetB: string; splitB: number; createdBy?: string }): Experiment {
    if (this.running(input.surface)) throw new ExperimentConflictError(`An experiment is already running on the ${input.surface} surface: stop it first.`);
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO experiments (name, surface, preset_a, preset_b, split_b, created_by) VALUES (@name, @surface, @presetA, @presetB, @splitB, @createdBy)`)
      .run({ createdBy: null, ...input });
    return this.get(Number(lastInsertRowid))!;
  }

  stop(id: number): boolean {
    return this.db.prepare(`UPDATE experiments SET stopped_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND stopped_at IS NULL`).run(id).changes === 1;
  }
}

/**
 * A session's arm: a stable hash of (experiment, session) against the split, so a person keeps
 * their arm across searches and visits, and arms of different experiments are independent.
 */
export function assignArm(experiment: Pick<Experiment, "id" | "splitB">, sessionKey: string): Arm {
  const digest = createHash("sha256").update(`${experiment.id}:${sessionKey}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < experiment.splitB ? "B" : "A";
}

/**
 * Which preset a search runs with: an explicit `preset=` wins, then the running experiment's
 * arm for this session on the request's surface, then (nothing set here) the surface default.
 */
export function experimentFor<R extends { surface: Surface; preset?: string }>(
  experiments: ExperimentStore,
  request: R,
  sessionKey: string,
): { request: R; experimentId: number | null; variant: Arm | null } {
  if (request.preset) return { request, experimentId: null, variant: null };
  const experiment = experiments.running(request.surface);
  if (!experiment) return { request, experimentId: null, variant: null };
  const variant = assignArm(experiment, sessionKey);
  return { request: { ...request, preset: variant === "A" ? experiment.presetA : experiment.presetB }, experimentId: experiment.id, variant };
}

// ---------------------------------------------------------------------------------------------
// Results

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface ArmResult {
  arm: Arm;
  preset: string;
  sessions: number;
  searches: number;
  ctr: Interval;
  mrr: Interval;
}

export interface ExperimentReport {
  experiment: Experiment;
  arms: [ArmResult, ArmResult];
  /** B − A, with its interval; `significant` when the interval excludes 0. */
  ctrDifference: Interval & { lift: number | null; significant: boolean };
  mrrDifference: Interval & { lift: number | null; significant: boolean };
  bootstrapSamples: number;
}

interface SessionTotals {
  searches: number;
  clicks: number;
  reciprocalRanks: number;
}

export const BOOTSTRAP_SAMPLES = 2000;

/** Per-session totals: the unit of resampling, since searches of one session are not independent. */
function bySession(searches: readonly SearchOutcome[]): SessionTotals[] {
  const sessions = new Map<string, SessionTotals>();
  for (const s of searches) {
    const t = sessions.get(s.sessionKey) ?? { searches: 0, clicks: 0, reciprocalRanks: 0 };
    t.searches++;
    if (s.firstClick !== null) {
      t.clicks++;
      t.reciprocalRanks += 1 / (s.firstClick + 1);
    }
    sessions.set(s.sessionKey, t);
  }
  return [...sessions.values()];
}

const ratio = (sessions: readonly SessionTotals[], key: "clicks" | "reciprocalRanks") => {
  let num = 0;
  let den = 0;
  for (const s of sessions) {
    num += s[key];
    den += s.searches;
  }
  return den ? num / den : 0;
};

function resample<T>(items: readonly T[], random: () => number): T[] {
  return Array.from({ length: items.length }, () => items[Math.floor(random() * items.length)]!);
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))] ?? 0;
const round = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * CTR and MRR of each arm with 95% percentile-bootstrap intervals, resampling sessions (not
 * searches) within each arm, and the same for the difference B − A.
 */
export function compareArms(a: readonly SearchOutcome[], b: readonly SearchOutcome[], samples = BOOTSTRAP_SAMPLES, seed = 1) {
  const sa = bySession(a);
  const sb = bySession(b);
  const random = seededRandom(seed);
  const draws = { ctrA: [] as number[], ctrB: [] as number[], mrrA: [] as number[], mrrB: [] as number[], ctrD: [] as number[], mrrD: [] as number[] };
  if (sa.length && sb.length) {
    for (let i = 0; i < samples; i++) {
      const ra = resample(sa, random);
      const rb = resample(sb, random);
      const [ca, cb, ma, mb] = [ratio(ra, "clicks"), ratio(rb, "clicks"), ratio(ra, "reciprocalRanks"), ratio(rb, "reciprocalRanks")];
      draws.ctrA.push(ca);
      draws.ctrB.push(cb);
      draws.mrrA.push(ma);
      draws.mrrB.push(mb);
      draws.ctrD.push(cb - ca);
      draws.mrrD.push(mb - ma);
    }
  }
  for (const list of Object.values(draws)) list.sort((x, y) => x - y);
  const interval = (value: number, sorted: number[]): Interval => ({ value: round(value), low: round(quantile(sorted, 0.025)), high: round(quantile(sorted, 0.975)) });
  const difference = (va: number, vb: number, sorted: number[]) => {
    const i = interval(vb - va, sorted);
    return { ...i, lift: va ? round((vb - va) / va) : null, significant: sorted.length > 0 && (i.low > 0 || i.high < 0) };
  };
  const ctr = [ratio(sa, "clicks"), ratio(sb, "clicks")] as const;
  const mrr = [ratio(sa, "reciprocalRanks"), ratio(sb, "reciprocalRanks")] as const;
  return {
    a: { sessions: sa.length, searches: a.length, ctr: interval(ctr[0], draws.ctrA), mrr: interval(mrr[0], draws.mrrA) },
    b: { sessions: sb.length, searches: b.length, ctr: interval(ctr[1], draws.ctrB), mrr: interval(mrr[1], draws.mrrB) },
    ctrDifference: difference(ctr[0], ctr[1], draws.ctrD),
    mrrDifference: difference(mrr[0], mrr[1], draws.mrrD),
  };
}

/** Every experiment that ran during the range, with its arms compared on the range's searches. */
export function experimentReports(services: Services, range: AnalyticsRange): ExperimentReport[] {
  const experiments = new ExperimentStore(services.db).list().filter((e) => e.startedAt < range.to && (!e.stoppedAt || e.stoppedAt >= range.from));
  if (!experiments.length) return [];
  const searches = loadSearchOutcomes(services.db, { ...range, surface: "all" });
  return experiments.map((experiment) => {
    const mine = searches.filter((s) => s.experimentId === experiment.id);
    const cmp = compareArms(
      mine.filter((s) => s.variant === "A"),
      mine.filter((s) => s.variant === "B"),
      BOOTSTRAP_SAMPLES,
      experiment.id,
    );
    return {
      experiment,
      arms: [
        { arm: "A", preset: experiment.presetA, ...cmp.a },
        { arm: "B", preset: experiment.presetB, ...cmp.b },
      ],
      ctrDifference: cmp.ctrDifference,
      mrrDifference: cmp.mrrDifference,
      bootstrapSamples: BOOTSTRAP_SAMPLES,
    };
  });
}
