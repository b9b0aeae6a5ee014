// Runs the resource commands inside the command's transaction: share, search, remove.
import type { Command, CommandContext } from './commands/command.js';
import { renderResourceList, renderResourceRemoved, renderResourceShared } from './render/resources.js';
import type { Reply } from './reply.js';
import { checkTags, removeResource, searchResources, shareResource } from './resources.js';

type ResourceCommand = Extract<Command, { kind: `resource.${string}` }>;

export async function executeResource(context: CommandContext, command: ResourceCommand): Promise<Reply> {
  const { tx, actor } = context;
  const { locale } = actor;
  switch (command.kind) {
    case 'resource.share':
      return renderResourceShared(await shareResource(tx, actor, command), locale);
    case 'resource.search': {
      // Typed lines come checked; Discord's options carry tags as typed (`#Agua`), checked here alike.
      const search = { words: command.words, tags: checkTags(command.tags) };
      return renderResourceList(search, await searchResources(tx, actor, search), locale);
    }
    case 'resource.remove':
      return renderResourceRemoved(await removeResource(tx, actor, command.resource.number), locale);
  }
}
