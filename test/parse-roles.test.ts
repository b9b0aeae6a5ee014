// The language of the alliance's structure, table-driven in both languages: alliance, the newer org subcommands, coordinators, history.
import { describe } from 'vitest';
import { FIXED_NOW } from './support/core.js';
import { parseTable, type ErrorCase, type ParseCase } from './support/parse-table.js';

const context = { now: FIXED_NOW, timeZone: 'UTC' };
const ana = { userId: 'ana', name: 'ana' };

const parses: ParseCase[] = [
  ['alliance', { kind: 'alliance.show' }],
  ['alianza', { kind: 'alliance.show' }],
  ['alianza ver', { kind: 'alliance.show' }],
  ['alliance rename "Red Andina"', { kind: 'alliance.rename', name: 'Red Andina' }],
  ['alianza renombrar Red de Huertas Urbanas', { kind: 'alliance.rename', name: 'Red de Huertas Urbanas' }],
  ['org leave', { kind: 'org.leave' }],
  ['org salir', { kind: 'org.leave' }],
  ['org leave huertas', { kind: 'org.leave', slug: 'huertas' }],
  ['org dejar org:Huertas', { kind: 'org.leave', slug: 'huertas' }],
  ['org leave huertas @ana', { kind: 'org.leave', slug: 'huertas', member: ana }],
  ['org salir @ana', { kind: 'org.leave', member: ana }],
  ['org show huertas', { kind: 'org.show', slug: 'huertas' }],
  ['org ver huertas', { kind: 'org.show', slug: 'huertas' }],
  // `org ver` alone stays the list it always was.
  ['org ver', { kind: 'org.list' }],
  ['org rename huertas "Huertas del Sur"', { kind: 'org.rename', slug: 'huertas', name: 'Huertas del Sur' }],
  ['org renombrar huertas Huertas del Sur', { kind: 'org.rename', slug: 'huertas', name: 'Huertas del Sur' }],
  ['org remove huertas', { kind: 'org.remove', slug: 'huertas' }],
  ['org quitar huertas', { kind: 'org.remove', slug: 'huertas' }],
  ['organizacion eliminar huertas', { kind: 'org.remove', slug: 'huertas' }],
  ['coordinators', { kind: 'coordinator.list' }],
  ['coordinacion', { kind: 'coordinator.list' }],
  ['coordinador lista', { kind: 'coordinator.list' }],
  ['coordinator add @ana', { kind: 'coordinator.add', member: ana }],
  ['coordinacion agregar @ana', { kind: 'coordinator.add', member: ana }],
  ['coordinadora sumar <@U1|ana>', { kind: 'coordinator.add', member: { userId: 'U1', name: 'ana' } }],
  ['coordinator remove @ana', { kind: 'coordinator.remove', member: ana }],
  ['coordinación quitar @ana', { kind: 'coordinator.remove', member: ana }],
  ['history', { kind: 'history', page: 1 }],
  ['historial', { kind: 'history', page: 1 }],
  ['history page 2', { kind: 'history', page: 2 }],
  ['history task 3', { kind: 'history', about: { kind: 'task', number: 3 }, page: 1 }],
  ['historial tarea #3 página 2', { kind: 'history', about: { kind: 'task', number: 3 }, page: 2 }],
  ['history poll 2', { kind: 'history', about: { kind: 'poll', number: 2 }, page: 1 }],
  ['historial encuesta 2 pagina 3', { kind: 'history', about: { kind: 'poll', number: 2 }, page: 3 }],
  ['history org huertas', { kind: 'history', about: { kind: 'org', slug: 'huertas' }, page: 1 }],
  ['historial org:huertas', { kind: 'history', about: { kind: 'org', slug: 'huertas' }, page: 1 }],
];

const errors: ErrorCase[] = [
  ['alliance dance', 'error.unknownCommand', { input: 'alliance dance' }],
  ['alliance rename', 'error.allianceNameMissing'],
  ['alliance rename ""', 'error.allianceNameMissing'],
  [`alliance rename ${'x'.repeat(101)}`, 'error.orgNameTooLong', { length: 101, max: 100 }],
  ['alianza ver todo', 'error.unexpectedInput'],
  ['org leave Huertas!', 'error.orgSlugInvalid'],
  ['org leave huertas ana', 'error.memberInvalid', { input: 'ana' }],
  ['org show huertas extra', 'error.unexpectedInput'],
  ['org rename huertas', 'error.orgNameMissing'],
  ['org rename', 'error.orgSlugInvalid'],
  ['org remove', 'error.orgSlugInvalid'],
  ['coordinator add', 'error.memberMissing'],
  ['coordinator add ana', 'error.memberInvalid', { input: 'ana' }],
  ['coordinator remove @ana @bob', 'error.unexpectedInput'],
  ['coordinator promote @ana', 'error.unknownCommand', { input: 'coordinator promote' }],
  ['history task', 'error.taskNumberMissing'],
  ['history task x', 'error.taskNumberInvalid'],
  ['history poll', 'error.pollNumberMissing'],
  ['history org', 'error.orgSlugInvalid'],
  ['history page', 'error.pageMissing'],
  ['history page 0', 'error.pageInvalid'],
  ['history everything', 'error.unexpectedInput'],
];

describe('alliance, organizations, coordinators and history', () => {
  parseTable(context, parses, errors);
});
