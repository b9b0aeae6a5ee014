// The Slack adapter at the wire: signed requests into the real Bolt app, the real core on PGlite and the server, answers checked at the fake Web API and in the database.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, pollOptions, polls, tasks, workspaces } from '../../db/schema.js';
import { conversationId } from '../../src/conversation.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { blockButtons, blockTexts, CHANNEL, PEOPLE, startSlackRig, TEAM, type SlackRig, type Who } from '../support/slack.js';

describe.each(databaseTargets())('Slack adapter on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  // Each test gets a workspace of its own, so one test's tasks never show in another's.
  let workspaceCount = 0;
  const newTeam = () => `T0W${kind.slice(0, 2).toUpperCase()}${(workspaceCount += 1)}`;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startSlackRig(database);
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  /** A new workspace whose first visitor, the admin, has already used Minga; returns who is who in it. */
  async function workspace() {
    const teamId = newTeam();
    const as = (person: keyof typeof PEOPLE, channelId = CHANNEL): Who => ({ teamId, userId: PEOPLE[person].id, channelId });
    await rig.command('help', as('coord'));
    return { teamId, as };
  }

  async function tasksOf(teamId: string) {
    return database.db
      .select({ id: tasks.id, number: tasks.number, title: tasks.title, status: tasks.status, dueOn: tasks.dueOn, assignee: members.platformUserId })
      .from(tasks)
      .innerJoin(workspaces, eq(workspaces.allianceId, tasks.allianceId))
      .leftJoin(members, eq(members.id, tasks.assigneeMemberId))
      .where(and(eq(workspaces.platform, 'slack'), eq(workspaces.externalId, teamId)))
      .orderBy(tasks.number);
  }

  /** The modal's ack comes before the work: poll the database until the submission's rows appear. */
  async function waitForRows<T>(select: () => Promise<T[]>): Promise<T[]> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const found = await select();
      if (found.length > 0) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return select();
  }

  async function memberOf(teamId: string, userId: string) {
    const [row] = await database.db
      .select({ member: members })
      .from(members)
      .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
      .where(and(eq(workspaces.externalId, teamId), eq(members.platformUserId, userId)));
    return row?.member;
  }

  it('GIVEN /minga help THEN the help comes in the ack itself, only for the asker, and nothing follows on the response_url', async () => {
    const teamId = newTeam();
    const { ack, responseId } = await rig.send('help', { teamId, userId: PEOPLE.coord.id });
    expect(ack.status).toBe(200);
    const body = ack.body as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    expect(rig.fake.responses.some((response) => response.id === responseId)).toBe(false);
    expect(blockTexts(body)[0]).toBe('Minga: what I can do');
    expect(blockTexts(body).join('\n')).toContain('`task add &lt;title&gt; [@member | org:&lt;slug&gt;] [due &lt;date&gt;]`: add a task');
    // Workspace admins coordinate; users.info also gave the zone and the language.
    const coord = await memberOf(teamId, PEOPLE.coord.id);
    expect(coord).toMatchObject({ role: 'coordinator', displayName: 'coord', platformLocale: 'en-US', timeZone: 'America/Lima' });
  });

  it('GIVEN a member whose Slack speaks Spanish THEN replies and errors are in Spanish, and `lang en` switches them', async () => {
    const { teamId, as } = await workspace();
    const list = await rig.command('tareas', as('rosa'));
    expect(blockTexts(list)).toEqual(['Tareas abiertas', 'No hay tareas aquí. Crea una con `tarea nueva &lt;título&gt;`.']);
    const error = await rig.command('hola', as('rosa'));
    expect(error.response_type).toBe('ephemeral');
    expect(blockTexts(error)).toEqual([':warning: No conozco «hola». Escribe `ayuda` para ver lo que puedo hacer.']);

    expect(blockTexts(await rig.command('lang en', as('rosa')))).toEqual(['Done: I will answer you in English.']);
    expect(blockTexts(await rig.command('foo', as('rosa')))).toEqual([':warning: I don\'t know "foo". Type `help` to see what I can do.']);
    expect((await memberOf(teamId, PEOPLE.rosa.id))?.locale).toBe('en');
    expect(blockTexts(await rig.command('idioma es', as('rosa')))).toEqual(['Listo: te responderé en español.']);
  });

  it('GIVEN task add with a mention and a date, in digits or in words THEN the channel sees it and the task is stored with its assignee', async () => {
    const { teamId, as } = await workspace();
    const added = await rig.command('task add Buy banners &amp; paint for the march <@U0BOB1|bob> due 2026-12-01', as('ana'));
    expect(added.response_type).toBe('in_channel');
    expect(blockTexts(added)).toEqual([
      'Task #1 added: Buy banners &amp; paint for the march',
      '*Assigned to*\n@bob',
      '*Due*\nTue, Dec 1',
    ]);
    // A mention without its name (newer Slack clients send these) is named through users.info.
    await rig.command('tarea nueva Imprimir volantes <@U0ROSA1> vence el 5 de diciembre', as('ana'));
    expect(await tasksOf(teamId)).toMatchObject([
      { number: 1, title: 'Buy banners & paint for the march', status: 'open', dueOn: '2026-12-01', assignee: PEOPLE.bob.id },
      { number: 2, title: 'Imprimir volantes', status: 'open', dueOn: '2026-12-05', assignee: PEOPLE.rosa.id },
    ]);
    expect((await memberOf(teamId, PEOPLE.rosa.id))?.displayName).toBe('rosa');
  });

  it('GIVEN open tasks THEN task list shows each with a Done button carrying only its id', async () => {
    const { teamId, as } = await workspace();
    await rig.command('task add One due 2026-12-01', as('coord'));
    await rig.command('task add Two <@U0ANA1|ana>', as('coord'));
    await rig.command('task add Three', as('coord'));
    await rig.command('task done 3', as('coord'));
    const list = await rig.command('task list', as('bob'));
    expect(list.response_type).toBe('ephemeral');
    expect(blockTexts(list)).toEqual(['Open tasks', '#1 One · due Tue, Dec 1', '#2 Two · @ana']);
    const [one, two] = await tasksOf(teamId);
    expect(blockButtons(list)).toEqual([
      { action_id: `task.done:${one!.id}`, value: String(one!.id), text: 'Done' },
      { action_id: `task.done:${two!.id}`, value: String(two!.id), text: 'Done' },
    ]);
  });

  it('GIVEN task done, assign, reopen and delete THEN each changes the task and the channel hears of it', async () => {
    const { teamId, as } = await workspace();
    await rig.command('task add Write the minutes', as('ana'));
    expect(blockTexts(await rig.command('task assign 1 <@U0BOB1|bob>', as('ana')))).toEqual(['Task #1 assigned to @bob: Write the minutes']);
    expect(blockTexts(await rig.command('task done #1', as('bob')))).toEqual(['Task #1 done: Write the minutes']);
    expect((await tasksOf(teamId))[0]).toMatchObject({ status: 'done', assignee: PEOPLE.bob.id });
    // Spanish command words, English answer: Bob's Slack speaks English.
    expect(blockTexts(await rig.command('tarea reabrir 1', as('bob')))).toEqual(['Task #1 reopened: Write the minutes']);
    expect((await tasksOf(teamId))[0]?.status).toBe('open');

    // Only its creator or a coordinator may delete a task.
    const refused = await rig.command('task delete 1', as('bob'));
    expect(refused.response_type).toBe('ephemeral');
    expect(blockTexts(refused)).toEqual([':warning: Only the task\'s creator or a coordinator may do that.']);
    const deleted = await rig.command('task delete 1', as('ana'));
    expect(deleted.response_type).toBe('in_channel');
    expect(blockTexts(deleted)).toEqual(['Task #1 deleted: Write the minutes']);
    expect(await tasksOf(teamId)).toEqual([]);
  });

  it('GIVEN commands with mistakes THEN each error is ephemeral, in the member\'s language, and nothing is stored', async () => {
    const { teamId, as } = await workspace();
    expect(blockTexts(await rig.command('task done 9', as('ana')))).toEqual([':warning: There is no task #9 in this alliance.']);
    expect(blockTexts(await rig.command('tarea nueva Algo para 2020-01-01', as('rosa')))).toEqual([':warning: El 2020-01-01 ya pasó.']);
    expect(blockTexts(await rig.command('task assign 1', as('ana')))).toEqual([
      ':warning: Who should do it? Name a member (@name) or an organization (org:&lt;slug&gt;).',
    ]);
    expect(await tasksOf(teamId)).toEqual([]);
  });

  it('GIVEN a click on a Done button THEN the task is done and the channel is told, once', async () => {
    const { teamId, as } = await workspace();
    await rig.command('task add Call the press', as('coord'));
    const [task] = await tasksOf(teamId);
    const done = await rig.click(`task.done:${task!.id}`, String(task!.id), as('ana'));
    expect(done).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(blockTexts(done)).toEqual(['Task #1 done: Call the press']);
    expect((await tasksOf(teamId))[0]?.status).toBe('done');
    const again = await rig.click(`task.done:${task!.id}`, String(task!.id), as('ana'));
    expect(again.response_type).toBe('ephemeral');
    expect(blockTexts(again)).toEqual([':warning: Task #1 is already done.']);
  });

  it('GIVEN task add with no title THEN a modal opens on the trigger, and nothing is answered in the channel', async () => {
    const { as } = await workspace();
    const { ack, triggerId, responseId } = await rig.send('task add', as('ana'));
    expect(ack.status).toBe(200);
    const opened = await rig.fake.waitForCall('views.open', (call) => call.body.trigger_id === triggerId);
    const view = opened.body.view as Record<string, unknown>;
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'minga.form:task.add',
      title: { text: 'New task' },
      submit: { text: 'Add task' },
      close: { text: 'Cancel' },
    });
    expect(view.blocks).toMatchObject([
      { type: 'input', block_id: 'title', optional: false, label: { text: 'Title' }, element: { type: 'plain_text_input', action_id: 'title', max_length: 200 } },
      { type: 'input', block_id: 'assignee', optional: true, label: { text: 'Assign to' }, element: { type: 'users_select', action_id: 'assignee' } },
      { type: 'input', block_id: 'due', optional: true, label: { text: 'Due date' }, element: { type: 'datepicker', action_id: 'due' } },
    ]);
    expect(JSON.parse(view.private_metadata as string)).toEqual({ channelId: CHANNEL, responseUrl: rig.fake.responseUrl(responseId) });
    expect(rig.fake.responses.some((response) => response.id === responseId)).toBe(false);
  });

  it('GIVEN the task modal submitted THEN the task is stored and announced where the command was typed', async () => {
    const { teamId, as } = await workspace();
    const { triggerId } = await rig.send('tarea nueva', as('rosa'));
    const opened = await rig.fake.waitForCall('views.open', (call) => call.body.trigger_id === triggerId);
    const view = opened.body.view as { private_metadata: string; title: { text: string } };
    expect(view.title.text).toBe('Nueva tarea');

    const ack = await rig.submit(
      'minga.form:task.add',
      {
        title: { title: { type: 'plain_text_input', value: 'Reservar la sala' } },
        assignee: { assignee: { type: 'users_select', selected_user: PEOPLE.bob.id } },
        due: { due: { type: 'datepicker', selected_date: '2026-12-04' } },
      },
      as('rosa'),
      view.private_metadata,
    );
    expect(ack).toEqual({ status: 200, body: '' });
    const { responseUrl } = JSON.parse(view.private_metadata) as { responseUrl: string };
    const answered = await rig.answer(decodeURIComponent(responseUrl.split('/response/')[1]!));
    expect(answered.body.response_type).toBe('in_channel');
    expect(blockTexts(answered.body)).toEqual(['Tarea #1 creada: Reservar la sala', '*Asignada a*\n@bob', '*Vence*\nvie, 4 dic']);
    expect(await tasksOf(teamId)).toMatchObject([{ title: 'Reservar la sala', dueOn: '2026-12-04', assignee: PEOPLE.bob.id }]);
  });

  it('GIVEN the poll form THEN the same plumbing opens it with lines and checkboxes, and its submission creates the poll', async () => {
    const { teamId, as } = await workspace();
    const { triggerId } = await rig.send('poll', as('coord'));
    const opened = await rig.fake.waitForCall('views.open', (call) => call.body.trigger_id === triggerId);
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: { block_id: string; element: Record<string, unknown> }[] };
    expect(view.callback_id).toBe('minga.form:poll.create');
    expect(view.blocks.find((block) => block.block_id === 'options')?.element).toMatchObject({ type: 'plain_text_input', multiline: true });
    expect(view.blocks.find((block) => block.block_id === 'anonymous')?.element).toMatchObject({ type: 'checkboxes', options: [{ value: 'yes' }] });

    const checked = { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text' as const, text: 'Yes' }, value: 'yes' }] };
    await rig.submit(
      'minga.form:poll.create',
      {
        question: { question: { type: 'plain_text_input', value: 'Where do we meet?' } },
        options: { options: { type: 'plain_text_input', value: 'Lima\nQuito\n' } },
        anonymous: { anonymous: checked },
        multi: { multi: { type: 'checkboxes', selected_options: [] } },
      },
      as('coord'),
      view.private_metadata,
    );
    const stored = await waitForRows(() =>
      database.db
        .select({ question: polls.question, anonymous: polls.anonymous, maxChoices: polls.maxChoices, option: pollOptions.label })
        .from(polls)
        .innerJoin(workspaces, eq(workspaces.allianceId, polls.allianceId))
        .innerJoin(pollOptions, eq(pollOptions.pollId, polls.id))
        .where(eq(workspaces.externalId, teamId))
        .orderBy(pollOptions.position),
    );
    expect(stored).toEqual([
      { question: 'Where do we meet?', anonymous: true, maxChoices: 1, option: 'Lima' },
      { question: 'Where do we meet?', anonymous: true, maxChoices: 1, option: 'Quito' },
    ]);
  });

  it('GIVEN a modal submitted with a past date THEN the member alone is told why, and nothing is stored', async () => {
    const { teamId, as } = await workspace();
    await rig.submit(
      'minga.form:task.add',
      { title: { title: { type: 'plain_text_input', value: 'Too late' } }, due: { due: { type: 'datepicker', selected_date: '2026-01-02' } } },
      as('ana'),
      JSON.stringify({ channelId: 'C0LATE' }),
    );
    const told = await rig.fake.waitForCall('chat.postEphemeral', (call) => call.body.channel === 'C0LATE');
    expect(told.body.user).toBe(PEOPLE.ana.id);
    expect(blockTexts(told.body)).toEqual([':warning: 2026-01-02 has already passed.']);
    expect(await tasksOf(teamId)).toEqual([]);
  });

  it('GIVEN a bad signature or a stale timestamp THEN Bolt answers 401 and nothing changes', async () => {
    const teamId = newTeam();
    const callsBefore = rig.fake.calls.length;
    const forged = await rig.send('task add Forged', { teamId, userId: PEOPLE.ana.id }, { badSignature: true });
    const stale = await rig.send('task add Stale', { teamId, userId: PEOPLE.ana.id }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(forged.ack.status).toBe(401);
    expect(stale.ack.status).toBe(401);
    // Bolt rejects before any listener runs: no Slack call, no workspace, no answer.
    expect(rig.fake.calls.length).toBe(callsBefore);
    expect(await database.db.select().from(workspaces).where(eq(workspaces.externalId, teamId))).toEqual([]);
    expect(rig.fake.responses.some((response) => [forged.responseId, stale.responseId].includes(response.id))).toBe(false);
  });

  it('GIVEN a user of another workspace THEN they see none of this alliance\'s tasks and can change none', async () => {
    const { teamId, as } = await workspace();
    await rig.command('task add Private plan', as('coord'));
    const stranger: Who = { teamId: newTeam(), userId: PEOPLE.bob.id };
    expect(blockTexts(await rig.command('task list all', stranger))).toEqual(['All tasks', 'No tasks here. Add one with `task add &lt;title&gt;`.']);
    expect(blockTexts(await rig.command('task done 1', stranger))).toEqual([':warning: There is no task #1 in this alliance.']);
    expect(blockTexts(await rig.command('task delete 1', stranger))).toEqual([':warning: There is no task #1 in this alliance.']);
    expect(await tasksOf(teamId)).toMatchObject([{ title: 'Private plan', status: 'open' }]);
    const [mine, theirs] = await Promise.all([
      database.db.select({ alliance: workspaces.allianceId }).from(workspaces).where(eq(workspaces.externalId, teamId)),
      database.db.select({ alliance: workspaces.allianceId }).from(workspaces).where(eq(workspaces.externalId, stranger.teamId!)),
    ]);
    expect(mine[0]?.alliance).not.toBe(theirs[0]?.alliance);
  });

  it('GIVEN a forged button naming another alliance\'s task THEN the click is refused and the task stays open', async () => {
    const { teamId, as } = await workspace();
    await rig.command('task add Not yours', as('coord'));
    const [task] = await tasksOf(teamId);
    const stranger: Who = { teamId: newTeam(), userId: PEOPLE.ana.id };
    const refused = await rig.click(`task.done:${task!.id}`, String(task!.id), stranger);
    expect(refused.response_type).toBe('ephemeral');
    expect(blockTexts(refused)).toEqual([':warning: There is no task #? in this alliance.']);
    // Nonsense after the action is refused the same way.
    expect(blockTexts(await rig.click('task.done:1; drop table tasks', 'x', stranger))).toEqual([':warning: There is no task #? in this alliance.']);
    expect((await tasksOf(teamId))[0]?.status).toBe('open');
  });

  it('GIVEN the same member twice THEN users.info is asked once: the facts are cached', async () => {
    const teamId = newTeam();
    const asked = () => rig.fake.callsTo('users.info').filter((call) => call.body.user === PEOPLE.bob.id).length;
    await rig.command('help', { teamId, userId: PEOPLE.bob.id });
    const after = asked();
    await rig.command('task list', { teamId, userId: PEOPLE.bob.id });
    expect(asked()).toBe(after);
    expect(rig.fake.callsTo('users.info').find((call) => call.body.user === PEOPLE.bob.id)?.body.include_locale).toBe('true');
  });

  describe('the sender', () => {
    const at = (channelId: string) => conversationId({ platform: 'slack', workspaceId: TEAM, channelId });
    const reply = (text: string) => ({ visibility: 'public' as const, locale: 'en' as const, heading: 'Weekly digest', lines: [{ text }] });

    it('GIVEN a post and then an edit THEN chat.postMessage and chat.update reach the channel by its ts', async () => {
      const ts = await rig.adapter.post(at('C0DIGEST'), reply('3 tasks done'));
      const posted = await rig.fake.waitForCall('chat.postMessage', (call) => call.body.channel === 'C0DIGEST');
      expect(posted.token).toBe('xoxb-test-token');
      expect(blockTexts(posted.body)).toEqual(['Weekly digest', '3 tasks done']);
      expect(posted.body.text).toBe('Weekly digest');

      await rig.adapter.edit(at('C0DIGEST'), ts, reply('4 tasks done'));
      const updated = await rig.fake.waitForCall('chat.update', (call) => call.body.ts === ts);
      expect(updated.body.channel).toBe('C0DIGEST');
      expect(blockTexts(updated.body)).toEqual(['Weekly digest', '4 tasks done']);
    });

    it('GIVEN a direct message THEN the DM is opened with conversations.open and the message posted there', async () => {
      const ts = await rig.adapter.sendDirect(TEAM, PEOPLE.ana.id, reply('Your task is due tomorrow'));
      expect(rig.fake.callsTo('conversations.open').map((call) => call.body.users)).toContain(PEOPLE.ana.id);
      const dm = rig.fake.dmChannelFor(PEOPLE.ana.id);
      const posted = await rig.fake.waitForCall('chat.postMessage', (call) => call.body.channel === dm);
      expect(blockTexts(posted.body)).toContain('Your task is due tomorrow');
      // The DM is a conversation like any other: its message can be edited by the person's id.
      await rig.adapter.edit(at(PEOPLE.ana.id), ts, reply('Done, thanks'));
      expect((await rig.fake.waitForCall('chat.update', (call) => call.body.ts === ts)).body.channel).toBe(dm);
    });

    it('GIVEN Slack answers 429 THEN the post is retried after Retry-After and succeeds', async () => {
      rig.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
      const ts = await rig.adapter.post(at('C0BUSY'), reply('Rate limited once'));
      const attempts = rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0BUSY');
      expect(attempts.map((call) => call.injected)).toEqual([{ status: 429, retryAfter: 1 }, undefined]);
      expect(ts).toMatch(/^\d+\.\d{6}$/);
    });

    it('GIVEN a conversation of another workspace THEN the single-workspace token refuses it and nothing is sent', async () => {
      const before = rig.fake.calls.length;
      await expect(rig.adapter.post(conversationId({ platform: 'slack', workspaceId: 'T0OTHER', channelId: 'C1' }), reply('x'))).rejects.toThrow(/serves workspace T0MINGA/);
      await expect(rig.adapter.post('discord:G1:C1', reply('x'))).rejects.toThrow(/Not a Slack conversation/);
      expect(rig.fake.calls.length).toBe(before);
    });
  });
});

describe('Slack answers that take longer than the ack may wait', () => {
  let database: TestDatabase;
  let rig: SlackRig;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    // No time at all for the answer to go in the ack: every command takes the later path.
    rig = await startSlackRig(database, { ackBudgetMs: 0 });
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN an answer not ready in time THEN Bolt acks empty and the answer follows on the response_url', async () => {
    const { ack, responseId } = await rig.send('task add Rent the hall', { teamId: TEAM, userId: PEOPLE.ana.id });
    expect(ack).toEqual({ status: 200, body: '' });
    const { body } = await rig.answer(responseId);
    expect(body.response_type).toBe('in_channel');
    expect(blockTexts(body)[0]).toBe('Task #1 added: Rent the hall');
  });
});
