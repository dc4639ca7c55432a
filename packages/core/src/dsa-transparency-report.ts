import { HOUR_MS } from './clock.ts';
import { median } from './compliance.ts';

/**
 * The DSA transparency report (Art. 15(1) and 24(1)) filled from what takedown knows, laid out after the
 * quantitative template of Commission Implementing Regulation (EU) 2024/2835, Annex I, Part II, point 1:
 * 1.1 report identification, 1.2 Member State orders (Art. 15(1)(a)), 1.3 notices under Art. 16 (Art. 15(1)(b)),
 * 1.4 own-initiative content moderation (Art. 15(1)(c)), 1.5 complaints, out-of-court disputes and suspensions
 * (Art. 15(1)(d), 24(1)(a) and (b)), 1.6 automated means (Art. 15(1)(e)), 1.7–1.8 (very large platforms only).
 * Each row says whether takedown filled it, does not hold the figure, or the row does not apply. Pure arithmetic:
 * the server loads the records, `docs/dsa-reports.md` maps each row.
 */

/** A removal request item that came from a notice (Art. 16), not from the known-copy sweep. */
export interface NoticeItemRecord {
  caseId: string;
  receivedAt: Date;
  state: string;
  decidedAt?: Date;
  /** The request said the person shown was under 18 when the imagery was made. */
  minor: boolean;
}

/** An item the known-copy sweep found on the platform's content (own-initiative, Art. 15(1)(c)). */
export interface OwnInitiativeRecord {
  state: string;
  /** Confirmed without a person: an exact copy of content a person had confirmed (decision 004). */
  decidedAutomatically: boolean;
  minor: boolean;
}

/** An uploader's appeal (internal complaint, Art. 20) opened in the period. */
export interface ComplaintRecord {
  openedAt: Date;
  state: string;
  decidedAt?: Date;
}

export interface DsaReportInput {
  from: Date;
  to: Date;
  notices: NoticeItemRecord[];
  ownInitiative: OwnInitiativeRecord[];
  complaints: ComplaintRecord[];
  /** Notifiers suspended in the period for frequently submitting manifestly unfounded notices (Art. 23(2)). */
  notifierSuspensions: number;
}

export type DsaRowStatus = 'filled' | 'not_held' | 'not_applicable';

export interface DsaReportRow {
  /** The template's section, e.g. "1.3". */
  section: string;
  /** The DSA provision the row reports on. */
  provision: string;
  /** What the row counts, in words. */
  field: string;
  value: number | string | null;
  status: DsaRowStatus;
  /** Why a figure is not held or not applicable, or how it was counted. */
  note: string;
}

export interface DsaTransparencyReport {
  template: 'Commission Implementing Regulation (EU) 2024/2835, Annex I';
  from: string;
  to: string;
  rows: DsaReportRow[];
}

/** The type of alleged illegal content, in the Transparency Database's words (its 2025 category list). */
const NCII = 'Cyber violence: non-consensual (intimate) material sharing';
const CSAM = 'Protection of minors: child sexual abuse material';

const hoursOf = (ms: number | undefined) => (ms === undefined ? null : Math.round((ms / HOUR_MS) * 100) / 100);
const acted = (state: string) => state === 'confirmed' || state === 'removed';

/**
 * Builds the report's rows from the period's records.
 * @example dsaTransparencyReport({ from, to, notices, ownInitiative, complaints, notifierSuspensions: 0 }).rows.find((r) => r.section === '1.3')
 */
export function dsaTransparencyReport(input: DsaReportInput): DsaTransparencyReport {
  const rows: DsaReportRow[] = [];
  const filled = (section: string, provision: string, field: string, value: number | string | null, note = '') => rows.push({ section, provision, field, value, status: 'filled', note });
  const notHeld = (section: string, provision: string, field: string, note: string) => rows.push({ section, provision, field, value: null, status: 'not_held', note });
  const notApplicable = (section: string, provision: string, field: string, note: string) => rows.push({ section, provision, field, value: null, status: 'not_applicable', note });

  // 1.1 Report identification.
  filled('1.1', 'Art. 15(1)', 'Start of the reporting period', input.from.toISOString().slice(0, 10));
  filled('1.1', 'Art. 15(1)', 'End of the reporting period (exclusive)', input.to.toISOString().slice(0, 10));
  notHeld('1.1', 'Art. 15(1)', 'Name of the provider and of the service', 'The provider fills it in: takedown serves the platform and does not record its legal identity.');

  // 1.2 Member State orders (Art. 9 and 10).
  notHeld('1.2', 'Art. 15(1)(a)', 'Orders to act against illegal content and to provide information, by Member State and type, with median times', 'takedown has no intake for Member State orders; the provider reports those it received.');

  // 1.3 Notices under Art. 16.
  const cases = new Map<string, { minor: boolean; items: NoticeItemRecord[] }>();
  for (const item of input.notices) {
    const entry = cases.get(item.caseId) ?? { minor: item.minor, items: [] };
    entry.items.push(item);
    cases.set(item.caseId, entry);
  }
  const noticesMinor = [...cases.values()].filter((c) => c.minor).length;
  filled('1.3', 'Art. 15(1)(b)', 'Notices received', cases.size, 'One request (case) is one notice, whatever number of items it names.');
  filled('1.3', 'Art. 15(1)(b)', `Notices received, type of alleged illegal content: ${NCII}`, cases.size - noticesMinor);
  filled('1.3', 'Art. 15(1)(b)', `Notices received, type of alleged illegal content: ${CSAM}`, noticesMinor, 'The request said the person shown was under 18 when the imagery was made.');
  filled('1.3', 'Art. 15(1)(b)', 'Notices submitted by trusted flaggers', 0, 'takedown has no trusted-flagger channel: every notice comes from the person shown or someone acting for them.');
  const actedItems = input.notices.filter((i) => acted(i.state));
  filled('1.3', 'Art. 15(1)(b)', 'Actions taken on the basis of the law (items removed or to be removed)', actedItems.length, 'Every removal is decided on legal grounds (the statement of reasons names the law).');
  filled('1.3', 'Art. 15(1)(b)', "Actions taken on the basis of the provider's terms and conditions", 0, 'takedown decides on the law only.');
  filled('1.3', 'Art. 15(1)(b)', 'Notices processed by solely automated means', 0, 'A person decides every notice; only exact copies found later are confirmed automatically (section 1.4).');
  const actionTimes = actedItems.flatMap((i) => (i.decidedAt ? [i.decidedAt.getTime() - i.receivedAt.getTime()] : [])).sort((a, b) => a - b);
  filled('1.3', 'Art. 15(1)(b)', 'Median time to take action, in hours (receipt of the notice to the decision)', hoursOf(median(actionTimes)), 'Over items acted on; the compliance report gives time to removal per jurisdiction.');
  filled('1.3', 'Art. 15(1)(b)', 'Notices whose items were all declined', [...cases.values()].filter((c) => c.items.every((i) => i.state === 'declined')).length);

  // 1.4 Own-initiative content moderation.
  const ownActed = input.ownInitiative.filter((i) => acted(i.state));
  filled('1.4', 'Art. 15(1)(c)', 'Own-initiative actions: removals of known copies found by hash matching', ownActed.length, 'Copies of confirmed content that the known-copy sweep found on the platform (TAKE IT DOWN Act §3(a)(3)(B)).');
  filled('1.4', 'Art. 15(1)(c)', `Own-initiative actions, type of illegal content: ${NCII}`, ownActed.filter((i) => !i.minor).length);
  filled('1.4', 'Art. 15(1)(c)', `Own-initiative actions, type of illegal content: ${CSAM}`, ownActed.filter((i) => i.minor).length);
  filled('1.4', 'Art. 15(1)(c)', 'Own-initiative actions detected by automated means', ownActed.length, 'All of them: perceptual and exact hash matching.');
  filled('1.4', 'Art. 15(1)(c)', 'Own-initiative actions decided by automated means', ownActed.filter((i) => i.decidedAutomatically).length, 'Exact copies of content a person confirmed (decision 004); near copies go to a person.');
  notHeld('1.4', 'Art. 15(1)(c)', 'Restrictions other than removal (visibility, monetary, account)', 'takedown only ever asks for removal; other measures are the provider’s.');

  // 1.5 Complaints (Art. 20), out-of-court disputes (Art. 21), suspensions (Art. 23).
  const decided = input.complaints.filter((c) => c.decidedAt !== undefined);
  const decideTimes = decided.map((c) => c.decidedAt!.getTime() - c.openedAt.getTime()).sort((a, b) => a - b);
  filled('1.5', 'Art. 15(1)(d)', 'Complaints received through the internal complaint-handling system', input.complaints.length, "Uploaders' appeals against removals, sent by the platform.");
  filled('1.5', 'Art. 15(1)(d)', 'Complaints decided', decided.length);
  filled('1.5', 'Art. 15(1)(d)', 'Decisions reversed (complaint upheld)', decided.filter((c) => c.state === 'upheld').length);
  filled('1.5', 'Art. 15(1)(d)', 'Decisions confirmed (complaint rejected)', decided.filter((c) => c.state === 'rejected').length);
  filled('1.5', 'Art. 15(1)(d)', 'Median time to decide a complaint, in hours', hoursOf(median(decideTimes)));
  filled('1.5', 'Art. 15(1)(d)', 'Complaints still open at the end of the period', input.complaints.length - decided.length);
  notHeld('1.5', 'Art. 24(1)(a)', 'Disputes submitted to out-of-court dispute settlement bodies, outcomes and median time', 'Settlement bodies deal with the provider; takedown is not told of them.');
  filled('1.5', 'Art. 24(1)(b)', 'Suspensions for frequently submitting manifestly unfounded notices', input.notifierSuspensions, 'Art. 23(2), after a warning (decision 017).');
  notHeld('1.5', 'Art. 24(1)(b)', 'Suspensions for frequently providing manifestly illegal content', 'Uploader accounts are the provider’s: takedown never sees who uploaded.');
  notHeld('1.5', 'Art. 24(1)(b)', 'Suspensions for frequently submitting manifestly unfounded complaints', 'Not done by takedown: complaints come through the platform.');

  // 1.6 Automated means.
  filled('1.6', 'Art. 15(1)(e)', 'Automated means used', 'Hash matching (PDQ, vPDQ, MD5, SHA-256) against content a person confirmed', 'Thresholds are logged with every match.');
  notHeld('1.6', 'Art. 15(1)(e)', 'Indicators of accuracy and possible rate of error of the automated means', 'Not measured per period yet; near matches always go to a person.');

  // 1.7 and 1.8: very large online platforms and search engines only.
  notApplicable('1.7', 'Art. 42(2)(a), (b)', 'Human resources dedicated to content moderation, by official language', 'Very large online platforms and search engines only.');
  notApplicable('1.8', 'Art. 42(3)', 'Average monthly active recipients per Member State', 'Very large online platforms and search engines only.');

  return { template: 'Commission Implementing Regulation (EU) 2024/2835, Annex I', from: input.from.toISOString(), to: input.to.toISOString(), rows };
}

/** A CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled (RFC 4180). */
function csvField(value: number | string | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The report as CSV (RFC 4180: CRLF line ends, a header row), UTF-8: a machine-readable file (Art. 15(1)) to
 * copy into the Commission's own template files, which are the form to publish (see docs/dsa-reports.md).
 */
export function dsaReportCsv(report: DsaTransparencyReport): string {
  const header = ['section', 'provision', 'field', 'value', 'status', 'note'];
  const lines = [header.join(','), ...report.rows.map((r) => [r.section, r.provision, r.field, r.value, r.status, r.note].map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
