// Benchmark: 10,000 subscribed channels (alliances of 50 tasks and 5 polls, seeded in SQL) all due at once, posted by two scheduler instances (two processes) to a fake platform answering in 20 ms; lateness, throughput, statements per digest, memory, duplicates and misses, beside the bare posts and bare gathers.
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { and, count, eq, isNull, like, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { alliances, deliveries, digestSubscriptions, scheduledJobs } from '../db/schema.js';
import { digestKey } from '../src/digests.js';
import { DEFAULT_BATCH, DEFAULT_CONCURRENCY } from '../src/scheduler/scheduler.js';
import { nextOccurrence, type Recurrence, type Weekday } from '../src/time/recurrence.js';
import type { Counted, WorkerCommand, WorkerReport } from './digests-worker.js';
import { startFakePlatform } from './fake-platform.js';
import { recordResult, summarize, type Figures } from './stats.js';

/** How the fake platform answers: each call after this long, as a platform API on a good day. */
const PLATFORM_MS = 20;
const INSTANCES = 2;
/** Connections per instance, as Minga opens by default. */
const POOL = 10;
/** The digests fall due this long after they are queued: the instances are already ticking. */
const LEAD_MS = 5_000;
/** What an alliance holds: the issue's figures, and a small one to show the statements do not grow with them. */
const BIG = { tasks: 50, polls: 5 };
const SMALL = { tasks: 5, polls: 1, alliances: 200 };
/** The goal: every digest posted within this long of its time. */
const GOAL_MS = 60_000;

interface Options {
  /** Subscribed channels in all. */
  channels: number;
  /** Channels per alliance: 1 gives as many alliances as channels, each digest gathering a different one. */
  perAlliance: number;
  concurrency: number;
  countQueries: boolean;
  /** An experiment: every statement prepared (see the worker). */
  prepareAll: boolean;
  /** Where the instances write a CPU profile each (node --cpu-prof), if asked. */
  profileDir: string | undefined;
}

/**
 * `-- digests [--quick] [--per-alliance=N] [--concurrency=N] [--uncounted] [--profile=DIR] [--prepare-all]`: 1,000 channels
 * for development; N channels of each alliance subscribed (10,000 channels are then 10,000 / N alliances); another pool
 * size; without postgres.js's statement hook, to see what counting costs; a CPU profile of each instance written in DIR;
 * every statement prepared, to see what parsing and planning each one again costs.
 */
function options(): Options {
  const args = process.argv.slice(2);
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return {
    channels: args.includes('--quick') ? 1_000 : 10_000,
    perAlliance: Number(value('per-alliance') ?? 1),
    concurrency: Number(value('concurrency') ?? DEFAULT_CONCURRENCY),
    countQueries: !args.includes('--uncounted'),
    profileDir: value('profile'),
    prepareAll: args.includes('--prepare-all'),
  };
}

export async function benchDigests(database: Database, label: string, url?: string): Promise<void> {
  if (database.kind !== 'postgres' || !url) {
    console.log(`\ndigests on ${label}: skipped (two instances in two processes need the real server)`);
    return;
  }
  const { channels: n, perAlliance, concurrency, countQueries, profileDir, prepareAll } = options();
  const allianceCount = Math.ceil(n / perAlliance);
  const platform = await startFakePlatform(PLATFORM_MS, '/post', (body) => String(body.conversation));
  const children: ChildProcess[] = [];
  try {
    console.log(
      `\ndigests on ${label}: ${n} channels subscribed (${allianceCount} alliances × ${perAlliance}, each alliance ${BIG.tasks} tasks and ${BIG.polls} polls), ` +
        `all due at the same instant, ${INSTANCES} instances (processes) × ${concurrency} jobs, platform answering in ${PLATFORM_MS} ms` +
        (prepareAll ? ', every statement prepared (experiment)' : ''),
    );
    // The instances start first (a process takes seconds to load), ticking on an empty queue meanwhile, as in production.
    const instances = Array.from({ length: INSTANCES }, () => worker(children, profileDir));
    const ready = Promise.all(instances.map((instance) => instance.ask({ kind: 'schedule', url, platform: platform.url, concurrency, batch: DEFAULT_BATCH, pool: POOL, countQueries, prepareAll }, 'ready')));
    const seeding = performance.now();
    const big = await seed(database, 'bd-big-', allianceCount, BIG, perAlliance);
    const small = await seed(database, 'bd-small-', SMALL.alliances, SMALL, 0);
    await database.db.execute(sql`analyze`);
    console.log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s: ${await sizes(database)}`);
    await ready;

    await Promise.all(instances.map((instance) => instance.ask({ kind: 'count' }, 'counting')));
    const { due, rule, conversations } = await queue(database, big.prefix);
    console.log(`queued ${conversations.length} digests; due in ${((due.getTime() - Date.now()) / 1000).toFixed(1)} s`);
    const deadline = due.getTime() + GOAL_MS + 120_000;
    while (platform.reached(conversations) < conversations.length && Date.now() < deadline) await sleep(200);
    // A duplicate would come after the first post: give it a moment to show.
    await sleep(2_000);
    const stats = await Promise.all(instances.map((instance) => instance.ask({ kind: 'stop' }, 'stopped')));

    const posts = new Map(platform.accepted);
    const lateness: number[] = [];
    let duplicates = 0;
    let misses = 0;
    let last = 0;
    for (const conversation of conversations) {
      const times = posts.get(conversation) ?? [];
      posts.delete(conversation);
      if (times.length === 0) misses += 1;
      else lateness.push(Math.min(...times) - due.getTime());
      duplicates += Math.max(0, times.length - 1);
      last = Math.max(last, ...times);
    }
    // Posts to any channel not expected would be duplicates of a kind too.
    for (const times of posts.values()) duplicates += times.length;
    const delivered = summarize('scheduler: lateness (posted − due)', lateness, Math.max(0.001, (last - due.getTime()) / 1000));
    const found = await check(database, big.prefix, due, rule);

    const floors = await measureFloors(children, platform.url, url, conversations, big.allianceIds, small.allianceIds, concurrency, prepareAll);
    print({ n, floors, delivered, lateness, last: last - due.getTime(), duplicates, misses, found, stats });
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await platform.close();
  }
}

/**
 * `count` alliances named `<prefix><i>`, each with a Slack workspace, 10 members (the first a coordinator), 3
 * organizations, `tasks` tasks (overdue, due this week, done this week, due later, done long ago, in turn; assigned to a
 * member or an organization in turn) and `polls` polls (open, closed this week with ballots, closed long ago; choices and
 * proposals), and `channels` subscribed channels each (not yet due). All in SQL, a statement per table.
 */
async function seed(database: Database, prefix: string, count_: number, size: { tasks: number; polls: number }, channels: number) {
  const { db } = database;
  const mine = sql`(select id from alliances where name like ${`${prefix}%`})`;
  await db.execute(sql`insert into alliances (name) select ${prefix} || i from generate_series(1, ${count_}::int) i`);
  await db.execute(sql`insert into workspaces (alliance_id, platform, external_id) select id, 'slack', 'TB' || id from alliances where id in ${mine}`);
  await db.execute(sql`
    insert into members (alliance_id, workspace_id, platform_user_id, display_name, role)
    select w.alliance_id, w.id, 'U' || g, 'member ' || g, case when g = 1 then 'coordinator' else 'member' end
    from workspaces w cross join generate_series(1, 10) g where w.alliance_id in ${mine}`);
  await db.execute(sql`
    insert into organizations (alliance_id, slug, name)
    select a.id, 'org-' || g, 'Organization ' || g from alliances a cross join generate_series(1, 3) g where a.id in ${mine}`);
  await db.execute(sql`
    insert into organization_members (alliance_id, organization_id, member_id)
    select m.alliance_id, o.id, m.id from members m
    join organizations o on o.alliance_id = m.alliance_id and o.slug = 'org-' || (substr(m.platform_user_id, 2)::int % 3 + 1)
    where m.alliance_id in ${mine} and m.platform_user_id <> 'U1'`);
  // Task g: g % 5 = 0 overdue, 1 due this week, 2 done this week, 3 due later, 4 done long ago; odd g for a member, even for an organization.
  await db.execute(sql`
    insert into tasks (alliance_id, number, title, status, assignee_member_id, assignee_organization_id, due_on, created_by, completed_by, completed_at)
    select a.id, g, 'Task ' || g || ' of the alliance, with a title of a realistic length',
      case when g % 5 in (2, 4) then 'done' else 'open' end,
      case when g % 2 = 1 then m.id end,
      case when g % 2 = 0 then o.id end,
      case g % 5 when 0 then current_date - (g % 7 + 1) when 1 then current_date + (g % 6) when 3 then current_date + 30 + g else current_date - 10 end,
      c.id,
      case when g % 5 in (2, 4) then m.id end,
      case g % 5 when 2 then now() - make_interval(days => g % 6, hours => 1) when 4 then now() - interval '60 days' end
    from alliances a cross join generate_series(1, ${size.tasks}::int) g
    join members m on m.alliance_id = a.id and m.platform_user_id = 'U' || (g % 10 + 1)
    join members c on c.alliance_id = a.id and c.platform_user_id = 'U1'
    join organizations o on o.alliance_id = a.id and o.slug = 'org-' || (g % 3 + 1)
    where a.id in ${mine}`);
  // Poll p: p % 5 = 1 or 2 open, 3 or 4 closed this week, 0 closed long ago; even p are proposals.
  await db.execute(sql`
    insert into polls (alliance_id, number, kind, question, status, closes_at, conversation, created_by, closed_at)
    select a.id, p, case when p % 2 = 0 then 'proposal' else 'choice' end, 'Question ' || p || ': where and when do we meet next?',
      case when p % 5 in (1, 2) then 'open' else 'closed' end,
      case p % 5 when 1 then now() + make_interval(days => p) when 2 then now() + make_interval(days => p) when 3 then now() - interval '1 day' when 4 then now() - interval '3 days' else now() - interval '30 days' end,
      'slack:TB' || a.id || ':C1', c.id,
      case p % 5 when 3 then now() - interval '1 day' when 4 then now() - interval '3 days' when 0 then now() - interval '30 days' end
    from alliances a cross join generate_series(1, ${size.polls}::int) p
    join members c on c.alliance_id = a.id and c.platform_user_id = 'U1'
    where a.id in ${mine}`);
  await db.execute(sql`
    insert into poll_options (alliance_id, poll_id, position, label, code)
    select p.alliance_id, p.id, k,
      case when p.kind = 'proposal' then (array['Agree', 'Abstain', 'Disagree', 'Block'])[k] else 'Option ' || k end,
      case when p.kind = 'proposal' then (array['agree', 'abstain', 'disagree', 'block'])[k] end
    from polls p cross join generate_series(1, 4) k
    where p.alliance_id in ${mine} and (p.kind = 'proposal' or k <= 3)`);
  await db.execute(sql`
    insert into ballots (alliance_id, poll_id, voter_key, member_id, choices, acted)
    select p.alliance_id, p.id, 'm:' || m.id, m.id, array[(m.id % 3) + 1], 1
    from polls p join members m on m.alliance_id = p.alliance_id and substr(m.platform_user_id, 2)::int <= 6
    where p.alliance_id in ${mine}`);
  if (channels > 0) {
    await db.execute(sql`
      insert into digest_subscriptions (alliance_id, conversation, schedule, time_zone, created_by)
      select a.id, 'slack:TB' || a.id || ':C' || ch, '{}', 'UTC', c.id
      from alliances a cross join generate_series(1, ${channels}::int) ch
      join members c on c.alliance_id = a.id and c.platform_user_id = 'U1'
      where a.id in ${mine}`);
  }
  const ids = await db.select({ id: alliances.id }).from(alliances).where(like(alliances.name, `${prefix}%`)).orderBy(alliances.id);
  return { prefix, allianceIds: ids.map((row) => row.id) };
}

async function sizes(database: Database): Promise<string> {
  const rowsOf = rowsOn(database);
  const rows = await rowsOf<{ name: string; n: string }>(sql`
    select 'alliances' as name, count(*)::text as n from alliances union all select 'members', count(*)::text from members
    union all select 'tasks', count(*)::text from tasks union all select 'polls', count(*)::text from polls
    union all select 'ballots', count(*)::text from ballots union all select 'subscriptions', count(*)::text from digest_subscriptions`);
  return rows.map((row) => `${row.n} ${row.name}`).join(', ');
}

/**
 * Makes every subscription due at one instant LEAD_MS from now (a weekly rule at that minute) and queues its job as
 * scheduleNextDigest would, in one statement; the first job's key is checked against digestKey.
 */
async function queue(database: Database, prefix: string) {
  const rowsOf = rowsOn(database);
  const due = new Date(Date.now() + LEAD_MS);
  const iso = due.toISOString();
  const rule: Recurrence = { kind: 'weekly', days: [due.getUTCDay() as Weekday], time: { hour: due.getUTCHours(), minute: due.getUTCMinutes() } };
  const list = await rowsOf<{ id: number; conversation: string }>(sql`
    with due as (
      update digest_subscriptions set next_at = ${iso}::timestamptz, schedule = ${JSON.stringify(rule)}::jsonb
      where alliance_id in (select id from alliances where name like ${`${prefix}%`})
      returning id, alliance_id, conversation
    ), queued as (
      insert into scheduled_jobs (alliance_id, kind, key, run_at, payload)
      select alliance_id, 'digest.send', 'digest:' || id || ':' || ${iso}, ${iso}::timestamptz, jsonb_build_object('subscriptionId', id, 'due', ${iso}::text)
      from due
    )
    select id, conversation from due`);
  const first = list[0]!;
  const [job] = await database.db.select({ key: scheduledJobs.key }).from(scheduledJobs).where(eq(scheduledJobs.key, digestKey(first.id, due)));
  if (!job) throw new Error(`no job queued under digestKey(${first.id}, ${iso}): the seeded keys are not digestKey's`);
  return { due, rule, conversations: list.map((row) => row.conversation) };
}

/** What the database says after the run: posts recorded, subscriptions moved to next week, and their next jobs waiting. */
async function check(database: Database, prefix: string, due: Date, rule: Recurrence) {
  const { db } = database;
  const nextWeek = nextOccurrence(rule, due, 'UTC');
  const [recorded] = await db.select({ n: count() }).from(deliveries).where(like(deliveries.key, 'digest:%'));
  const [moved] = await db
    .select({ n: count() })
    .from(digestSubscriptions)
    .innerJoin(alliances, eq(alliances.id, digestSubscriptions.allianceId))
    .where(and(like(alliances.name, `${prefix}%`), eq(digestSubscriptions.nextAt, nextWeek)));
  const [waiting] = await db
    .select({ n: count() })
    .from(scheduledJobs)
    .where(and(eq(scheduledJobs.kind, 'digest.send'), isNull(scheduledJobs.doneAt), eq(scheduledJobs.runAt, nextWeek)));
  const [failed] = await db.select({ n: count() }).from(scheduledJobs).where(sql`${scheduledJobs.lastError} is not null`);
  return { recorded: recorded!.n, moved: moved!.n, waiting: waiting!.n, failed: failed!.n };
}


/** A child process running bench/digests-worker.ts, asked one thing at a time. */
function worker(children: ChildProcess[], profileDir?: string) {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(fileURLToPath(new URL('./digests-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx', ...profile] });
  children.push(child);
  return {
    ask<K extends WorkerReport['kind']>(command: WorkerCommand, expect: K): Promise<Extract<WorkerReport, { kind: K }>> {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null, signal: string | null) => reject(new Error(`worker exited (${signal ?? code}) while asked to ${command.kind}`));
        const onMessage = (report: WorkerReport) => {
          if (report.kind === 'failed') reject(new Error(`worker failed: ${report.message}`));
          else if (report.kind === expect) resolve(report as Extract<WorkerReport, { kind: K }>);
          else return;
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(command);
      });
    },
  };
}

interface Floors {
  posts: Figures;
  bigGathers: Figures & Counted & { gathers: number };
  smallGathers: Figures & Counted & { gathers: number };
}

/**
 * The floors, each split between the processes at the instances' concurrency: the same posts with nothing around them; each
 * alliance's week gathered and rendered with nothing around it (its statements counted), for the seeded alliances and for
 * small ones (5 tasks, 1 poll).
 */
async function measureFloors(
  children: ChildProcess[],
  platform: string,
  url: string,
  conversations: string[],
  big: number[],
  small: number[],
  concurrency: number,
  prepareAll: boolean,
): Promise<Floors> {
  const halves = <T>(list: T[]) => Array.from({ length: INSTANCES }, (_, i) => list.filter((_, j) => j % INSTANCES === i));
  const loops = Array.from({ length: INSTANCES }, () => worker(children));
  const posted = await Promise.all(loops.map((loop, i) => loop.ask({ kind: 'posts', platform, conversations: halves(conversations)[i]!, concurrency }, 'posts')));
  const gathered = async (ids: number[], name: string) => {
    const results = await Promise.all(loops.map((loop, i) => loop.ask({ kind: 'gathers', url, pool: POOL, allianceIds: halves(ids)[i]!, concurrency, prepareAll }, 'gathers')));
    const byKind: Record<string, number> = {};
    for (const result of results) for (const [kind, n] of Object.entries(result.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    return {
      ...summarize(name, results.flatMap((result) => result.latencies), Math.max(...results.map((result) => result.seconds))),
      gathers: ids.length,
      statements: results.reduce((sum, result) => sum + result.statements, 0),
      byKind,
    };
  };
  const bigGathers = await gathered(big, `floor: bare gather + render, ${BIG.tasks} tasks ${BIG.polls} polls, ${INSTANCES} × c=${concurrency}`);
  const smallGathers = await gathered(small, `floor: bare gather + render, ${SMALL.tasks} tasks ${SMALL.polls} poll, ${INSTANCES} × c=${concurrency}`);
  await Promise.all(loops.map((loop) => loop.ask({ kind: 'stop' }, 'stopped')));
  const postsFloor = summarize(`floor: bare loop of ${conversations.length} posts, ${INSTANCES} × c=${concurrency} (call latency)`, posted.flatMap((result) => result.latencies), Math.max(...posted.map((result) => result.seconds)));
  return { posts: postsFloor, bigGathers, smallGathers };
}

function print(run: {
  n: number;
  floors: Floors;
  delivered: Figures;
  lateness: number[];
  last: number;
  duplicates: number;
  misses: number;
  found: { recorded: number; moved: number; waiting: number; failed: number };
  stats: Extract<WorkerReport, { kind: 'stopped' }>[];
}): void {
  const { floors, delivered, stats } = run;
  const row = (f: Figures) => ({ case: f.name, n: f.count, 'per s': f.perSecond.toFixed(0), 'p50 ms': f.p50.toFixed(1), 'p99 ms': f.p99.toFixed(1) });
  console.table([row(floors.posts), row(floors.bigGathers), row(floors.smallGathers), row(delivered)]);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const within = run.lateness.filter((ms) => ms <= GOAL_MS).length;
  console.log(
    `total time to the last digest: ${seconds(run.last)} after they fell due; lateness p50 ${seconds(delivered.p50)}, p99 ${seconds(delivered.p99)}, max ${seconds(Math.max(0, ...run.lateness))}; ` +
      `${within} of ${run.n} within ${GOAL_MS / 1000} s of their time (goal: all)`,
  );
  console.log(`throughput: ${delivered.perSecond.toFixed(0)} digests/s from their time to the last; the bare posts' floor ran ${floors.posts.perSecond.toFixed(0)}/s, the bare gathers' ${floors.bigGathers.perSecond.toFixed(0)}/s`);
  recordResult({
    benchmark: 'digests on PostgreSQL',
    scenario: `${run.n} channels' digests due at once (50 tasks, 5 polls each), 2 instances, platform answering in 20 ms`,
    figure: `last ${seconds(run.last)} after due (${within} of ${run.n} within ${GOAL_MS / 1000} s); lateness p99 ${seconds(delivered.p99)}; ${delivered.perSecond.toFixed(0)}/s; ${run.duplicates} duplicates, ${run.misses} misses`,
    floor: `bare gather + render ${floors.bigGathers.perSecond.toFixed(0)}/s; bare posts ${floors.posts.perSecond.toFixed(0)}/s`,
    ratio: `${(delivered.perSecond / floors.bigGathers.perSecond).toFixed(2)}× the gather floor's rate`,
  });
  const jobs = stats.reduce((sum, s) => sum + s.jobs, 0);
  const statements = stats.reduce((sum, s) => sum + s.statements, 0);
  if (statements > 0) {
    const byKind: Record<string, number> = {};
    for (const s of stats) for (const [kind, n] of Object.entries(s.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    const perDigest = (total: number, of: number) => (total / Math.max(1, of)).toFixed(2);
    const breakdown = (counts: Record<string, number>, of: number) =>
      Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([kind, total]) => `${kind} ${perDigest(total, of)}`)
        .join(', ');
    console.log(`statements per digest in the instances: ${perDigest(statements, jobs)} (${statements} for ${jobs} jobs, claims, finishes and idle ticks included): ${breakdown(byKind, jobs)}`);
    console.log(
      `statements per gather (bare): ${perDigest(floors.bigGathers.statements, floors.bigGathers.gathers)} with ${BIG.tasks} tasks and ${BIG.polls} polls, ` +
        `${perDigest(floors.smallGathers.statements, floors.smallGathers.gathers)} with ${SMALL.tasks} tasks and ${SMALL.polls} poll (constant: the same)` +
        (floors.bigGathers.statements > 0 ? `: ${breakdown(floors.bigGathers.byKind, floors.bigGathers.gathers)}` : ''),
    );
  } else console.log('statements: not counted (--uncounted)');
  const steps = (name: string, values: number[]) => {
    const figures = summarize(name, values, 1);
    return `${name} p50 ${figures.p50.toFixed(0)} ms, p99 ${figures.p99.toFixed(0)} ms`;
  };
  console.log(
    `where the time goes: ${steps('handler started after due', stats.flatMap((s) => s.waits))}; ${steps('handler (load, gather, render, post, record, finish)', stats.flatMap((s) => s.handling))}, ` +
      `${steps('its post', stats.flatMap((s) => s.posting))}; ` +
      `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`,
  );
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  console.log(`peak memory per instance: ${stats.map((s) => `RSS ${mb(s.peakRss)} (heap ${mb(s.peakHeap)})`).join(', ')}`);
  console.log(
    `duplicates: ${run.duplicates}, misses: ${run.misses} (goal: 0 and 0); deliveries rows: ${run.found.recorded}, subscriptions moved to next week: ${run.found.moved}, ` +
      `next week's jobs waiting: ${run.found.waiting}, jobs that failed once: ${run.found.failed}; jobs per instance: ${stats.map((s) => s.jobs).join(', ')}; ` +
      `ticks run / skipped per instance: ${stats.map((s) => `${s.ticks}/${s.skipped}`).join(', ')}`,
  );
}

/** Rows of a raw query: postgres.js gives them as an array (this benchmark runs on the server only). */
const rowsOn = (database: Database) => async <T>(query: SQL) => [...((await database.db.execute(query)) as unknown as Iterable<T>)];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
