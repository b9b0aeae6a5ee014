// What Minga listens to on Slack: the /minga command (answered in its ack when quick), clicks on its buttons, and its modals.
import { performance } from 'node:perf_hooks';
import { ErrorCode, type App, type webApi } from '@slack/bolt';
import type { MemberMention } from '../../src/commands/command.js';
import { formCommand } from '../../src/forms.js';
import type { Core } from '../../src/handler.js';
import type { Requester } from '../../src/identity.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import { chosenAction, renderMessage, responseMessage } from './blocks.js';
import { deliverFile } from './files.js';
import type { SlackSender } from './sender.js';
import type { SlackIdentity, SlackOrigin } from './identity.js';
import { FORM_CALLBACK, formIdOf, formValues, readFormOrigin, renderModal, type FormOrigin } from './modal.js';
import { fromSlackText, mentionedChannels, mentionedUsers } from './text.js';
import { receiptClock, slackActionMicros } from '../../src/acted.js';
import { within } from '../../src/within.js';

export const SLASH_COMMAND = '/minga';

/** How many people named in one command are looked up: a command names one at most; users.info is not free. */
const MENTIONS_LOOKED_UP = 3;

/** Our buttons' action_ids look like `task.done:42`, our menu's `minga.select:buttons`; see blocks.ts. */
const OUR_ACTIONS = /^[a-z]+\.[a-z]+:/;

/** When a request came in, for input Slack gives no time of its own: taken first, before users.info and the like are awaited. */
const received = receiptClock();

/**
 * How long a slash command's answer may take and still go in the ack: Slack waits 3 s for it, and the network and Bolt
 * need their share of the rest.
 */
export const ACK_BUDGET_MS = 2_000;

export interface ListenerDeps {
  core: Core;
  /** Minga's own sender: a file goes to the asker's direct messages through it (see files.ts). */
  sender: Pick<SlackSender, 'uploadDirect'>;
  identity: SlackIdentity;
  log: Logger;
  /** How long an answer may take to go in the ack; ACK_BUDGET_MS unless a test says otherwise. */
  ackBudgetMs?: number;
}

export function registerListeners(app: App, { core, sender, identity, log, ackBudgetMs = ACK_BUDGET_MS }: ListenerDeps): void {
  // Slack gives us 3 seconds to acknowledge. The command runs first: an answer ready within ACK_BUDGET_MS goes in the ack
  // itself, one round trip fewer for the member; a slower one (or a form to open) follows the empty ack, on the response_url.
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    const actedAt = received();
    const arrived = performance.now();
    const answering = (async () => {
      const origin = { teamId: command.team_id, userId: command.user_id, userName: command.user_name, teamDomain: command.team_domain, channelId: command.channel_id, actedAt };
      const text = fromSlackText(command.text);
      const vouched = await identity.vouch(client, command.team_id, mentionedUsers(text, MENTIONS_LOOKED_UP));
      const channels = mentionedChannels(command.text, MENTIONS_LOOKED_UP);
      const requester = { ...(await identity.requester(client, origin)), vouched, ...(channels.length && { channels }) };
      return core.handleText(text, requester);
    })();
    const early = await within(answering.catch(() => undefined), ackBudgetMs - (performance.now() - arrived));
    // A file is uploaded after the ack (several calls): never answered in it.
    if (early && !early.form && !early.file) {
      await ack(responseMessage(early));
      return;
    }
    await ack();
    const reply = early ?? (await answering);
    if (await openForm(client, command.trigger_id, reply, { channelId: command.channel_id, responseUrl: command.response_url }, log)) return;
    const upload = (file: { name: string; content: string }, comment?: string) => sender.uploadDirect(command.team_id, command.user_id, file, comment);
    await respond(responseMessage(await deliverFile(upload, reply, log)));
  });

  // A click (or a choice in our menu) carries only an id; the core checks that the thing exists in this workspace's
  // alliance and that the clicker may act.
  app.action(OUR_ACTIONS, async ({ ack, body, action, respond, client }) => {
    const arrived = received();
    await ack();
    if (body.type !== 'block_actions' || !('action_id' in action)) return;
    const parsed = chosenAction(action);
    const teamId = body.team?.id ?? body.user.team_id;
    if (!parsed || !teamId) return;
    // Slack's own time of the click, to the microsecond: the deliveries of quick clicks may overtake each other.
    const actedAt = slackActionMicros(action.action_ts) ?? arrived;
    const origin = { teamId, userId: body.user.id, userName: body.user.username, ...(body.team?.domain && { teamDomain: body.team.domain }), ...(body.channel?.id && { channelId: body.channel.id }), actedAt };
    const requester = await identity.requester(client, origin);
    const reply = await core.handleAction(parsed.action, parsed.value, requester);
    if (await openForm(client, body.trigger_id, reply, { ...(body.channel?.id && { channelId: body.channel.id }), responseUrl: body.response_url }, log)) return;
    // A new message, not a replacement: the list or poll clicked in stays, and a public result is seen by the channel. A
    // vote's receipt is ephemeral, for the voter alone; the poll message itself is refreshed by the core's coalesced edit.
    await respond({ ...responseMessage(reply), replace_original: false });
  });

  // Closing the modal right away is the ack; the result (or an error) is then answered where the form was opened.
  app.view(FORM_CALLBACK, async ({ ack, body, view, client }) => {
    const actedAt = received();
    await ack();
    const formId = formIdOf(view.callback_id);
    const teamId = body.team?.id ?? body.user.team_id;
    if (!formId || !teamId) return;
    const where = readFormOrigin(view.private_metadata);
    const origin: SlackOrigin = { teamId, userId: body.user.id, userName: body.user.name, ...(body.team?.domain && { teamDomain: body.team.domain }), ...(where.channelId && { channelId: where.channelId }), actedAt };
    const command = formCommand(formId, formValues(view.state.values));
    // A person picked in the form comes as a bare user id: users.info vouches for them and gives the name the task shows.
    const picked = mentionsIn(command).map((mention) => mention.userId).slice(0, MENTIONS_LOOKED_UP);
    const requester = { ...(await identity.requester(client, origin)), vouched: await identity.vouch(client, teamId, picked) };
    const reply = await core.handleCommand(command, requester);
    await answerForm(client, reply, where, requester, log);
  });

  app.error(async (error) => {
    // A workspace that has not installed Minga (or uninstalled it) is not our failure.
    if (error.code === ErrorCode.AuthorizationError) log.warn({ err: error }, 'slack request from a workspace without an installation');
    else log.error({ err: error }, 'slack listener failed');
  });
}

/** Every member named in a command (`{ userId, name? }` anywhere in it), whatever the command. */
function mentionsIn(value: unknown): MemberMention[] {
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = typeof record.userId === 'string' ? [record as unknown as MemberMention] : [];
  return [...own, ...Object.values(record).flatMap(mentionsIn)];
}

/** Opens the modal a reply asks for. False when there is none, or Slack refused (a trigger lasts 3 s): the reply's text then stands in. */
async function openForm(client: webApi.WebClient, triggerId: string, reply: Reply, origin: FormOrigin, log: Logger): Promise<boolean> {
  if (!reply.form || reply.error) return false;
  try {
    await client.views.open({ trigger_id: triggerId, view: renderModal(reply.form, reply.locale, origin) });
    return true;
  } catch (err) {
    log.warn({ err, form: reply.form.id }, 'slack views.open failed');
    return false;
  }
}

/**
 * A submitted form's result: on the response_url of the command that opened it (works in any channel, no scope needed),
 * else in the channel (public) or to the person alone (ephemeral, errors).
 */
async function answerForm(client: webApi.WebClient, reply: Reply, where: FormOrigin, requester: Requester, log: Logger): Promise<void> {
  // The response_url comes from our own private_metadata, in a payload Slack signed: only Minga can have put it there.
  if (where.responseUrl) {
    const sent = await fetch(where.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(10_000),
      body: JSON.stringify({ ...responseMessage(reply), replace_original: false }),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (sent) return;
  }
  const message = renderMessage(reply);
  const channel = where.channelId ?? requester.userId;
  try {
    if (reply.visibility === 'public' && !reply.error) await client.chat.postMessage({ channel, ...message });
    else if (where.channelId) await client.chat.postEphemeral({ channel, user: requester.userId, ...message });
    else await client.chat.postMessage({ channel: requester.userId, ...message });
  } catch (err) {
    log.error({ err, workspace: requester.workspaceId }, 'slack form answer failed');
  }
}
