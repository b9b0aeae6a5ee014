// Registers the /minga command idempotently: fetch what Discord has, compare, and write only when something changed.
import { Routes, type APIApplicationCommand, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

type Wanted = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The command, its options or its localizations, with Discord's defaults filled in and ids dropped, in a fixed key order. */
type Comparable = Record<string, unknown>;

export async function registerCommands(
  rest: REST,
  applicationId: string,
  guildId: string | undefined,
  wanted: Wanted[],
): Promise<'unchanged' | 'written'> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  // Without with_localizations Discord sends only the requester's localized name, and every start would look like a change.
  const registered = (await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as APIApplicationCommand[];
  if (sameCommands(wanted, registered)) return 'unchanged';
  // PUT replaces this application's commands in that scope as one set: also removes commands an older Minga registered.
  await rest.put(route, { body: wanted });
  return 'written';
}

/** True when Discord already has exactly these commands (order of commands aside; option order matters to Discord). */
export function sameCommands(wanted: Wanted[], registered: APIApplicationCommand[]): boolean {
  const key = (list: Comparable[]) => JSON.stringify([...list].sort((a, b) => String(a.name).localeCompare(String(b.name))));
  return key(wanted.map((command) => comparableCommand(command, command))) === key(registered.map((command) => comparableCommand(command, wanted.find((w) => w.name === command.name))));
}

/** Only what Minga sets is compared, so fields Discord adds (ids, versions, new defaults) never force a write. */
function comparableCommand(command: Wanted | APIApplicationCommand, wanted: Wanted | undefined): Comparable {
  return {
    type: command.type ?? 1,
    name: command.name,
    name_localizations: localizations(command.name_localizations),
    description: command.description,
    description_localizations: localizations(command.description_localizations),
    default_member_permissions: command.default_member_permissions ?? null,
    ...(wanted?.contexts !== undefined && { contexts: command.contexts ?? null }),
    ...(wanted?.integration_types !== undefined && { integration_types: command.integration_types ?? null }),
    options: comparableOptions(command.options),
  };
}

// Options are loose here on purpose: wanted and registered shapes differ only in optional fields, which are defaulted below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function comparableOptions(options: readonly any[] | undefined): Comparable[] {
  return (options ?? []).map((option) => ({
    type: option.type,
    name: option.name,
    name_localizations: localizations(option.name_localizations),
    description: option.description,
    description_localizations: localizations(option.description_localizations),
    required: option.required ?? false,
    autocomplete: option.autocomplete ?? false,
    choices: (option.choices ?? []).map((choice: { name: string; name_localizations?: Record<string, string> | null; value: unknown }) => ({
      name: choice.name,
      name_localizations: localizations(choice.name_localizations),
      value: choice.value,
    })),
    min_value: option.min_value ?? null,
    max_value: option.max_value ?? null,
    min_length: option.min_length ?? null,
    max_length: option.max_length ?? null,
    options: comparableOptions(option.options),
  }));
}

function localizations(map: Partial<Record<string, string | null>> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {})
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
