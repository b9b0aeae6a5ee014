// Weeks as gatherWeek gives them, built in memory with fixed dates, for the golden tests of every platform's digest renderer.
import { DIGEST_LIST_MAX, type DigestDecision, type DigestFinished, type DigestPoll, type DigestReminder, type DigestResource, type DigestTask, type DigestWeek } from '../../src/digest-week.js';

/** Monday 30 November 2026, 09:00 in Lima (UTC-5): when the fixtures' digest is due. */
export const DIGEST_AT = new Date('2026-11-30T14:00:00Z');
export const DIGEST_ZONE = 'America/Lima';
export const DIGEST_TODAY = '2026-11-30';

/** A week with nothing in it. */
export function emptyWeek(): DigestWeek {
  const none = { items: [], total: 0 };
  return {
    at: DIGEST_AT,
    timeZone: DIGEST_ZONE,
    today: DIGEST_TODAY,
    overdue: none,
    dueSoon: none,
    openPolls: none,
    openProposals: 0,
    decisions: none,
    finished: none,
    reminders: none,
    newMembers: none,
    newOrganizations: none,
    newResources: none,
  };
}

const all = <T>(items: T[]) => ({ items, total: items.length });

/**
 * An ordinary week of a Peruvian alliance working in both languages: three tasks overdue, five due (today, tomorrow, later;
 * for people, organizations and nobody), a proposal and two polls open (one hiding its results, one with no deadline),
 * three decisions (a choice, a proposal blocked by name, an anonymous proposal blocked), four tasks done in two
 * organizations and one of a member's own, two reminders, and newcomers.
 */
export function seededWeek(): DigestWeek {
  return {
    ...emptyWeek(),
    overdue: all<DigestTask>([
      { number: 4, title: 'Actualizar la web de la alianza', dueOn: '2026-11-23', assignee: { kind: 'member', name: '@ana' } },
      { number: 7, title: 'Send the budget to the donor', dueOn: '2026-11-27', assignee: { kind: 'organization', name: 'Red Norte' } },
      { number: 9, title: 'Reservar el local para la asamblea', dueOn: '2026-11-28', assignee: null },
    ]),
    dueSoon: all<DigestTask>([
      { number: 11, title: 'Imprimir volantes para la marcha', dueOn: '2026-11-30', assignee: { kind: 'organization', name: 'Colectivo Sur' } },
      { number: 12, title: 'Draft the joint statement', dueOn: '2026-12-01', assignee: { kind: 'member', name: '@luis' } },
      { number: 13, title: 'Confirmar el transporte desde Cusco', dueOn: '2026-12-02', assignee: { kind: 'member', name: '@María Huamán' } },
      { number: 14, title: 'Call the press contacts', dueOn: '2026-12-03', assignee: { kind: 'organization', name: 'Red Norte' } },
      { number: 15, title: 'Preparar el informe trimestral', dueOn: '2026-12-05', assignee: null },
    ]),
    openPolls: all<DigestPoll>([
      {
        number: 8, kind: 'proposal', question: 'Firmamos la carta conjunta contra la minería ilegal',
        closesAt: new Date('2026-12-02T23:00:00Z'), anonymous: false, hideResults: false, voters: 7, eligible: 12,
      },
      {
        number: 9, kind: 'choice', question: 'Where do we hold the December assembly?',
        closesAt: new Date('2026-12-04T22:00:00Z'), anonymous: false, hideResults: true, voters: 4, eligible: 12,
      },
      { number: 10, kind: 'choice', question: '¿Qué día hacemos la limpieza del río?', closesAt: null, anonymous: true, hideResults: false, voters: 2, eligible: 12 },
    ]),
    openProposals: 1,
    decisions: all<DigestDecision>([
      {
        number: 5, kind: 'proposal', question: 'Adoptar el código de conducta de la alianza', closedAt: new Date('2026-11-25T23:00:00Z'),
        anonymous: false, voters: 8,
        outcome: [
          { label: 'agree', code: 'agree', votes: 6 },
          { label: 'abstain', code: 'abstain', votes: 1 },
          { label: 'block', code: 'block', votes: 1 },
          { label: 'disagree', code: 'disagree', votes: 0 },
        ],
        blockedBy: ['@carlos'],
      },
      {
        number: 6, kind: 'choice', question: 'Which logo do we use?', closedAt: new Date('2026-11-27T17:00:00Z'), anonymous: false, voters: 9,
        outcome: [
          { label: 'Green hands', code: null, votes: 5 },
          { label: 'Blue river', code: null, votes: 3 },
          { label: 'Both together', code: null, votes: 1 },
        ],
        blockedBy: [],
      },
      {
        number: 7, kind: 'proposal', question: 'Pedimos una reunión con el ministerio', closedAt: new Date('2026-11-29T15:30:00Z'),
        anonymous: true, voters: 10,
        outcome: [
          { label: 'agree', code: 'agree', votes: 5 },
          { label: 'disagree', code: 'disagree', votes: 2 },
          { label: 'block', code: 'block', votes: 2 },
          { label: 'abstain', code: 'abstain', votes: 1 },
        ],
        blockedBy: [],
      },
    ]),
    finished: all<DigestFinished>([
      { number: 5, title: 'Recoger donaciones de ropa', by: '@María Huamán', organization: 'Colectivo Sur' },
      { number: 2, title: 'Print the banners', by: '@luis', organization: 'Red Norte' },
      { number: 8, title: 'Enviar las invitaciones', by: '@ana', organization: 'Red Norte' },
      { number: 10, title: 'Update the contact list', by: '@ana', organization: null },
    ]),
    reminders: all<DigestReminder>([
      { number: 3, text: 'Enviar las fotos de la jornada', at: new Date('2026-12-01T14:00:00Z'), target: { kind: 'organization', name: 'Colectivo Sur' } },
      { number: 4, text: 'Weekly call at 10:00, the link is in the channel topic', at: new Date('2026-12-04T15:00:00Z'), target: { kind: 'channel', conversation: 'slack:T1:general' } },
    ]),
    newMembers: all(['@carla', '@Jorge Quispe']),
    newOrganizations: all(['Asociación Tierra Viva']),
    newResources: all<DigestResource>([
      { number: 6, title: 'Guía de incidencia política para organizaciones comunitarias', url: 'https://redes.example.org/guias/incidencia', tags: ['incidencia', 'guia'], sharedBy: '@ana' },
      { number: 7, title: 'Digital security toolkit for land defenders', url: 'https://example.org/toolkit', tags: [], sharedBy: null },
    ]),
  };
}

const FIRST = ['Ana', 'Luis', 'María', 'Carlos', 'Jorge', 'Carla', 'Rosa', 'Peter', 'Sofía', 'James', 'Lucía', 'Emma'];
const LAST = ['Huamán', 'Quispe', 'Mamani', 'Smith', 'Ccori', 'Torres', 'Brown', 'Flores'];
/** Distinct names, Spanish and English, as members show: "@Ana Huamán". */
const memberAt = (i: number) => `@${FIRST[i % FIRST.length]} ${LAST[(i + Math.floor(i / FIRST.length)) % LAST.length]}`;
const ORGANIZATIONS = [
  'Red Norte', 'Colectivo Sur', 'Asociación Tierra Viva', 'Women for Water', 'Frente de Defensa del Valle', 'Mesa de Concertación de Ayacucho',
  'Climate Action Network Peru', 'Casa de la Mujer de Puno', 'Youth for the Amazon', 'Comedores Populares Unidos', 'Open Data Lima', 'Radio Comunitaria Wayra',
];

/** Text in one language cut at a word to at most `max` characters (titles: 200; questions: 300), the longest it may be. */
function upTo(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  return cut.slice(0, cut.lastIndexOf(' ')).replace(/[,;:]$/, '');
}

const LONG_TITLES = [
  'Coordinate the logistics of the regional assembly with every member organization: transport, lodging, meals, interpretation, accessibility and childcare for the delegates coming from the northern provinces',
  'Coordinar la logística de la asamblea regional con cada organización miembro: transporte, alojamiento, comidas, interpretación, accesibilidad y cuidado infantil para las delegadas que llegan de las provincias del norte',
];
const LONG_QUESTIONS = [
  'We propose that the alliance reviews its statutes, its budget for next year and its calendar of assemblies together with every member organization before the end of January, and that each organization names one person to the review committee, which reports back to the plenary in March with a single proposal for all three',
  'Proponemos que la alianza revise sus estatutos, su presupuesto del próximo año y su calendario de asambleas junto con cada organización miembro antes de fin de enero, y que cada organización nombre a una persona para la comisión revisora, que informará al plenario en marzo con una sola propuesta para los tres temas',
];
const LONG_REMINDERS = [
  'Remember to send the monthly reports and the receipts of every expense to the treasurer, scanned and named by date. ',
  'Recuerden enviar los informes mensuales y los comprobantes de cada gasto a la tesorera, escaneados y nombrados por fecha. ',
];

/**
 * A week big enough to hit every cut of every platform: each list gathered to its 25 with more beyond, titles of up to 200
 * characters (the limit), questions of up to 300, reminder texts of 1,000, names by the dozen. Rendered, it has more than
 * 50 lines.
 */
export function bigWeek(): DigestWeek {
  const n = DIGEST_LIST_MAX;
  const organization = (i: number) => ORGANIZATIONS[i % ORGANIZATIONS.length]!;
  const assignee = (i: number): DigestTask['assignee'] =>
    i % 3 === 0 ? { kind: 'member', name: memberAt(i) } : i % 3 === 1 ? { kind: 'organization', name: organization(i) } : null;
  const day = (offset: number) => new Date(Date.UTC(2026, 10, 30 + offset)).toISOString().slice(0, 10);
  const title = (i: number) => upTo(LONG_TITLES[i % 2]!, 120 + (i % 5) * 20);
  const question = (i: number) => (i % 4 === 3 ? LONG_QUESTIONS[i % 2]!.slice(0, 300) : upTo(LONG_QUESTIONS[i % 2]!, 150 + (i % 4) * 50));
  return {
    ...emptyWeek(),
    overdue: {
      items: Array.from({ length: n }, (_, i) => ({ number: 100 + i, title: title(i), dueOn: day(-30 + i), assignee: assignee(i) })),
      total: 40,
    },
    dueSoon: {
      items: Array.from({ length: n }, (_, i) => ({ number: 200 + i, title: LONG_TITLES[i % 2]!.slice(0, 200), dueOn: day(Math.floor(i / 4)), assignee: assignee(i + 1) })),
      total: 31,
    },
    openPolls: {
      items: Array.from({ length: n }, (_, i) => ({
        number: 300 + i,
        kind: i % 2 ? 'proposal' : 'choice',
        question: question(i),
        closesAt: i < 20 ? new Date(DIGEST_AT.getTime() + (i + 1) * 6 * 3_600_000) : null,
        anonymous: i % 4 === 1,
        hideResults: i % 3 === 0,
        voters: i % 13,
        eligible: 48,
      })),
      total: 30,
    },
    openProposals: 14,
    decisions: {
      items: Array.from({ length: n }, (_, i): DigestDecision => {
        const closedAt = new Date(DIGEST_AT.getTime() - (7 * 24 - i * 6) * 3_600_000);
        if (i % 2) {
          const blocks = i % 3;
          return {
            number: 400 + i, kind: 'proposal', question: question(i), closedAt, anonymous: i % 5 === 0, voters: 20,
            outcome: [
              { label: 'agree', code: 'agree', votes: 14 - blocks },
              { label: 'disagree', code: 'disagree', votes: 3 },
              { label: 'abstain', code: 'abstain', votes: 3 },
              { label: 'block', code: 'block', votes: blocks },
            ],
            blockedBy: i % 5 === 0 ? [] : Array.from({ length: blocks }, (_, b) => memberAt(i + b)),
          };
        }
        return {
          number: 400 + i, kind: 'choice', question: question(i), closedAt, anonymous: false, voters: 20,
          outcome: [
            { label: 'Lima', code: null, votes: 9 },
            { label: 'Cusco', code: null, votes: i % 4 ? 7 : 9 },
            { label: 'Arequipa', code: null, votes: 4 },
          ],
          blockedBy: [],
        };
      }),
      total: 27,
    },
    finished: {
      items: Array.from({ length: n }, (_, i) => ({
        number: 500 + i,
        title: LONG_TITLES[i % 2]!.slice(0, 200),
        by: i % 7 === 6 ? null : memberAt(i),
        organization: i < 22 ? [...ORGANIZATIONS].sort()[Math.floor(i / 5)]! : null,
      })),
      total: 60,
    },
    reminders: {
      items: Array.from({ length: n }, (_, i) => ({
        number: 600 + i,
        text: LONG_REMINDERS[i % 2]!.repeat(10).slice(0, 1000),
        at: new Date(DIGEST_AT.getTime() + (i + 1) * 6 * 3_600_000),
        target: i % 2 ? { kind: 'organization', name: organization(i) } : { kind: 'channel', conversation: `discord:G1:${1100 + i}` },
      })),
      total: 30,
    },
    newMembers: { items: Array.from({ length: n }, (_, i) => memberAt(i)), total: 48 },
    newOrganizations: { items: ORGANIZATIONS, total: ORGANIZATIONS.length },
    newResources: {
      items: Array.from({ length: n }, (_, i) => ({
        number: 700 + i,
        title: LONG_TITLES[i % 2]!.slice(0, 200),
        // Every other link is longer than a digest shows whole.
        url: i % 2 ? `https://example.org/recursos/${'guia-'.repeat(60)}${i}` : `https://example.org/r/${i}`,
        tags: Array.from({ length: 10 }, (_, t) => `etiqueta-${t}`),
        sharedBy: i % 5 === 4 ? null : memberAt(i),
      })),
      total: 31,
    },
  };
}
