// Runs the link commands inside the command's transaction: a code for another workspace, joining with it, leaving, and the home channel.
import type { Command, CommandContext } from './commands/command.js';
import { conversationIn } from './conversation.js';
import { createLinkCode, joinAlliance, LINK_CODE_MINUTES, setHomeChannel, unlinkWorkspace } from './alliance-links.js';
import { UserError } from './errors.js';
import { vouchedChannel } from './reminders.js';
import { renderHomeChannel, renderJoined, renderLinkCode, renderUnlinked, renderWrongCode } from './render/links.js';
import type { Reply } from './reply.js';

type LinkCommand = Extract<Command, { kind: 'alliance.link' | 'alliance.join' | 'alliance.unlink' | 'alliance.channel' }>;

export async function executeLink(context: CommandContext, command: LinkCommand): Promise<Reply> {
  const { tx, actor, now } = context;
  const { locale } = actor;
  switch (command.kind) {
    case 'alliance.link': {
      const { code } = await createLinkCode(tx, actor, now);
      return renderLinkCode(code, actor.alliance.name, LINK_CODE_MINUTES, locale);
    }
    case 'alliance.join': {
      const outcome = await joinAlliance(tx, actor, command.code, now);
      // A wrong code is answered, not thrown: the failed attempt must be committed to count against the next ones.
      return outcome.kind === 'joined' ? renderJoined(outcome.alliance.name, outcome.organizations, locale) : renderWrongCode(outcome.attemptsLeft, LINK_CODE_MINUTES, locale);
    }
    case 'alliance.unlink':
      await unlinkWorkspace(tx, actor, now);
      return renderUnlinked(actor.alliance.name, locale);
    case 'alliance.channel': {
      const { platform, channelId: typedIn } = actor.requester;
      const named = command.channel && vouchedChannel(actor, command.channel);
      const channelId = named?.channelId ?? typedIn;
      const conversation = conversationIn(actor.requester, channelId);
      if (!conversation) throw new UserError('error.hereUnknown');
      const shown = `#${named?.name ?? channelId}`;
      await setHomeChannel(tx, actor, conversation, shown);
      // Whether Minga may post there is the platform's to say, after the commit: the coordinator learns now, not at the
      // first post meant for everyone. Cannot tell (the console, a failed call): the plain confirmation.
      const canPost = context.canPost;
      if (platform !== 'console' && canPost) {
        context.afterDelivery = async () => {
          const allowed = await canPost(conversation).catch(() => undefined);
          return allowed === undefined ? undefined : renderHomeChannel(shown, locale, { platform, allowed });
        };
      }
      return renderHomeChannel(shown, locale);
    }
  }
}
