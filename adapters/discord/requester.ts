// Who is asking, from a Discord interaction: the server is the workspace, the user the member, Manage Server makes a coordinator.
import { GuildMember, PermissionFlagsBits, type Interaction, type User } from 'discord.js';
import type { MemberMention } from '../../src/commands/command.js';
import type { Requester } from '../../src/identity.js';
import { snowflakeMicros } from '../../src/acted.js';

export function requesterOf(interaction: Interaction<'cached' | 'raw'>): Requester {
  const member = interaction.member;
  const actedAt = snowflakeMicros(interaction.id);
  return {
    platform: 'discord',
    workspaceId: interaction.guildId,
    ...(interaction.guild?.name && { workspaceName: interaction.guild.name }),
    userId: interaction.user.id,
    userName: (member instanceof GuildMember ? member.displayName : member.nick) ?? interaction.user.displayName,
    // The Discord client's language, sent with every interaction; the core prefers the member's own choice.
    platformLocale: interaction.locale,
    // Administrator implies Manage Server (discord.js checks it by default).
    isAdmin: interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild),
    ...(interaction.channelId && { channelId: interaction.channelId }),
    // An interaction's id is a snowflake made when the member acted: quick clicks may be handled out of that order.
    ...(actedAt !== undefined && { actedAt }),
  };
}

/** A member named in a USER option: the server nickname when Discord resolved one, else the user's display name. */
export function mentionOf(user: User, member: GuildMember | { nick?: string | null } | null): MemberMention {
  const nick = member instanceof GuildMember ? member.displayName : member?.nick;
  return { userId: user.id, name: nick ?? user.displayName };
}
