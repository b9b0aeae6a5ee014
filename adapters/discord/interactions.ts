// Answers Discord interactions through the core: /minga commands, autocomplete (task and poll numbers, a poll's options), and button or select clicks.
import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Command, MemberMention } from '../../src/commands/command.js';
import type { VouchedChannel } from '../../src/identity.js';
import { newErrorRef } from '../../src/errors.js';
import type { Core } from '../../src/handler.js';
import { localeFromPlatform, t, type Locale } from '../../src/i18n/index.js';
import type { Logger } from '../../src/log.js';
import { renderInternalError, renderUserError } from '../../src/render/general.js';
import type { Reply } from '../../src/reply.js';
import { OPTION } from './commands.js';
import { parseCustomId } from './custom-ids.js';
import { commandFromOptions, type OptionSource } from './options.js';
import { isEphemeral, renderMemberChoices, renderMessage, renderPollChoices, renderTaskChoices, renderVoteChoices, type DiscordMessage } from './render.js';
import { mentionOf, requesterOf } from './requester.js';
import { within } from '../../src/within.js';

export const COMMAND_NAME = 'minga';

export interface InteractionContext {
  core: Core;
  log: Logger;
  /** The deployment's language, for the few answers given before the core has met the member. */
  defaultLocale: Locale;
  /** How long to wait for the core before deferring (Discord wants a first answer within 3 s); 0 defers at once. */
  deferAfterMs: number;
}

export async function handleInteraction(interaction: Interaction, context: InteractionContext): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await suggest(interaction, context);
    else if (interaction.isChatInputCommand()) await command(interaction, context);
    else if (interaction.isButton() || interaction.isStringSelectMenu()) await click(interaction, context);
  } catch (err) {
    const ref = newErrorRef();
    context.log.error({ ref, err, platform: 'discord', interaction: interaction.id }, 'discord interaction failed');
    await apologize(interaction, renderInternalError(localeOf(interaction, context), ref)).catch((again: unknown) =>
      context.log.warn({ ref, err: again, platform: 'discord' }, 'could not tell the member about the failure'),
    );
  }
}

/** As everywhere in Minga: a short apology naming the log's reference, if the interaction can still be answered. */
async function apologize(interaction: Interaction, apology: Reply): Promise<void> {
  if (!interaction.isRepliable() || interaction.replied) return;
  if (interaction.deferred) await interaction.followUp(replyOptions(renderMessage(apology)));
  else await interaction.reply(replyOptions(renderMessage(apology)));
}

async function command(interaction: ChatInputCommandInteraction, context: InteractionContext): Promise<void> {
  if (interaction.commandName !== COMMAND_NAME) return;
  if (!interaction.inGuild()) return refuse(interaction, guildOnly(localeOf(interaction, context)));
  // A USER option is resolved by Discord itself: the people it names are the ones Discord vouches for.
  const vouched: MemberMention[] = [];
  // So is a CHANNEL option: the channels it names are the ones a reminder may go to.
  const channels: VouchedChannel[] = [];
  const mapped = commandFromOptions(interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(true), {
    string: (name) => interaction.options.getString(name) ?? undefined,
    integer: (name) => interaction.options.getInteger(name) ?? undefined,
    boolean: (name) => interaction.options.getBoolean(name) ?? undefined,
    member: (name) => {
      const user = interaction.options.getUser(name);
      const mention = user ? mentionOf(user, interaction.options.getMember(name)) : undefined;
      if (mention) vouched.push(mention);
      return mention;
    },
    channel: (name) => {
      const picked = interaction.options.getChannel(name);
      if (!picked) return undefined;
      const channel = { id: picked.id, ...('name' in picked && picked.name && { name: picked.name }) };
      channels.push(channel);
      return channel;
    },
  } satisfies OptionSource);
  // Caught before the core, so in the language of the Discord client rather than the member's own choice.
  if ('error' in mapped) return refuse(interaction, renderUserError(localeOf(interaction, context), mapped.error));
  const work = context.core.handleCommand(mapped.command, { ...requesterOf(interaction), vouched, ...(channels.length && { channels }) });
  await answer(interaction, expectedVisibility(mapped.command), work, context.deferAfterMs, context.log);
}

async function click(interaction: ButtonInteraction | StringSelectMenuInteraction, context: InteractionContext): Promise<void> {
  // A select menu carries the button convention in the chosen value; a button in its custom_id.
  const carried = interaction.isStringSelectMenu() ? interaction.values[0] : interaction.customId;
  const action = carried === undefined ? undefined : parseCustomId(carried);
  if (!action) return; // not one of ours
  if (!interaction.inGuild()) return refuse(interaction, guildOnly(localeOf(interaction, context)));
  // The custom_id came from a client: the core checks the action and the id against the member's alliance.
  const work = context.core.handleAction(action.action, action.value, requesterOf(interaction));
  // A vote's receipt is the voter's own; the poll message itself is refreshed by the core's coalesced job.
  await answer(interaction, action.action === 'poll.vote' ? 'ephemeral' : 'public', work, context.deferAfterMs, context.log);
}

async function suggest(interaction: AutocompleteInteraction, context: InteractionContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (!interaction.inGuild()) return interaction.respond([]);
  const requester = requesterOf(interaction);
  const typed = String(focused.value);
  if (focused.name === OPTION.number) return interaction.respond(renderTaskChoices(await context.core.suggestTasks(requester, typed)));
  if (focused.name === OPTION.historyTask) return interaction.respond(renderTaskChoices(await context.core.suggestTasks(requester, typed)));
  if (focused.name === OPTION.poll) return interaction.respond(renderPollChoices(await context.core.suggestPolls(requester, typed)));
  if (focused.name === OPTION.linked) return interaction.respond(renderMemberChoices(await context.core.suggestMembers(requester, typed)));
  if (focused.name === OPTION.choice) {
    // The options of the poll already chosen in the same command; Discord sends what was typed there, possibly not yet a number.
    const number = Number(interaction.options.get(OPTION.poll)?.value);
    const poll = Number.isInteger(number) && number > 0 ? (await context.core.suggestPolls(requester, String(number))).find((p) => p.number === number) : undefined;
    return interaction.respond(poll ? renderVoteChoices(poll, typed) : []);
  }
  await interaction.respond([]);
}

/**
 * Replies directly when the core answers in time; otherwise defers (with the visibility the answer will most likely have)
 * and edits the original once it is ready. Whether a reply is private is fixed when deferring, so an answer that turns out
 * otherwise (an error after a public defer) goes out as a follow-up of the right kind and the placeholder is removed.
 */
async function answer(interaction: RepliableInteraction, expected: Reply['visibility'], work: Promise<Reply>, deferAfterMs: number, log: Logger): Promise<void> {
  const quick = await within(work, deferAfterMs);
  if (quick) {
    await withFile(quick, (message) => interaction.reply(replyOptions(message)), log);
    return;
  }
  await interaction.deferReply(expected === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
  const reply = await work;
  if (isEphemeral(reply) === (expected === 'ephemeral')) {
    await withFile(reply, (message) => interaction.editReply(editOptions(message)), log);
    return;
  }
  await withFile(reply, (message) => interaction.followUp(replyOptions(message)), log);
  await interaction.deleteReply();
}

/**
 * Sends a reply; when Discord refuses one carrying a file (larger than the server allows, an outage), sends it again
 * without the file, saying so: the member hears what happened rather than an apology for a command that worked.
 */
async function withFile(reply: Reply, send: (message: DiscordMessage) => Promise<unknown>, log: Logger): Promise<void> {
  const { file, ...rest } = reply;
  try {
    await send(renderMessage(reply));
  } catch (err) {
    if (!file || reply.error) throw err;
    log.warn({ err, platform: 'discord', file: file.name }, 'discord attachment refused');
    await send(renderMessage({ ...rest, lines: [...reply.lines, { text: t(reply.locale, 'file.attachFailed', { name: file.name }) }] }));
  }
}

/** An answer the adapter gives itself, at once: nothing slow stands before it. */
async function refuse(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  await interaction.reply(replyOptions(renderMessage(reply)));
}

/** Questions are answered privately; changes are announced to the channel. Only a guess for deferring: the reply decides. */
function expectedVisibility(command: Command): Reply['visibility'] {
  switch (command.kind) {
    case 'help':
    case 'lang.show':
    case 'task.form':
    case 'task.list':
    case 'org.list':
    case 'poll.form':
    case 'poll.create':
    case 'poll.vote':
    case 'poll.close':
    case 'poll.results':
    case 'poll.list':
    case 'poll.export':
    case 'poll.remind':
    case 'reminder.create':
    case 'reminder.list':
    case 'reminder.cancel':
    case 'timezone.show':
    case 'alliance.link':
      // A poll's creation and close are announced by the channel posts the core's jobs make; the answer is the member's own.
      return 'ephemeral';
    case 'lang.set':
    case 'timezone.set':
      return command.scope === 'member' ? 'ephemeral' : 'public';
    default:
      return 'public';
  }
}

function replyOptions(message: DiscordMessage): InteractionReplyOptions {
  return { ...messageOptions(message), ...(message.ephemeral && { flags: MessageFlags.Ephemeral }) };
}

function editOptions(message: DiscordMessage): InteractionEditReplyOptions {
  return messageOptions(message);
}

function messageOptions(message: DiscordMessage) {
  return {
    ...(message.content !== undefined && { content: message.content }),
    embeds: message.embeds,
    components: message.components,
    files: message.files.map((file) => ({ attachment: file.data, name: file.name, contentType: file.contentType })),
    allowedMentions: { parse: [] },
  };
}

function localeOf(interaction: Interaction, context: InteractionContext): Locale {
  return localeFromPlatform(interaction.locale) ?? context.defaultLocale;
}

function guildOnly(locale: Locale): Reply {
  return { visibility: 'ephemeral', locale, error: true, lines: [{ text: t(locale, 'discord.guildOnly') }] };
}
