// Progress in the terminal while scenarios run: a live, redrawn line per step on a TTY; plain,
// uncoloured lines in CI or when piped; colour unless NO_COLOR; a Markdown summary for GitHub Actions.
import { appendFile as fsAppendFile } from 'node:fs/promises';
import type { RunReport, ScenarioReport, TimingReport, Verdict } from './report-model.js';
import { isoSpanMs } from './format.js';
import { formatMs } from '../util/duration.js';
import { failureMessage } from './junit-report.js';
import { verdictSummary } from './html-report.js';
import { renderMarkdownSummary } from './markdown-summary.js';

export interface TerminalReporterOptions {
  stream: NodeJS.WritableStream;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** Appends to $GITHUB_STEP_SUMMARY; injected for tests. */
  appendFile?: (path: string, text: string) => Promise<void>;
  /** How often the live line redraws its elapsed time on a TTY; 0 turns the timer off. */
  tickMs?: number;
}

const ANSI = { green: 32, red: 31, magenta: 35, grey: 90, bold: 1, cyan: 36 } as const;
const MARK: Record<Verdict, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };
const TONE: Record<Verdict, keyof typeof ANSI> = { passed: 'green', failed: 'red', error: 'magenta', skipped: 'grey' };
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** True when the environment says CI (CI=true, CI=1, ...). */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI?.toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

/** Removes terminal control sequences and newlines from text that came from the cluster. */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r?\n/g, ' ').replace(/[\u0000-\u001F\u007F-\u009F]/g, '?');
}

/** Writes progress for one run; the runner calls it as scenarios and steps start and end. */
export class TerminalReporter {
  /** Live (redrawn) step lines: a TTY, not CI, not TERM=dumb. */
  readonly live: boolean;
  readonly color: boolean;
  private step?: { scenario: string; name: string; startedAt: number };
  private frame = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly opts: TerminalReporterOptions) {
    const dumb = opts.env.TERM === 'dumb';
    this.live = opts.isTTY && !isCI(opts.env) && !dumb;
    this.color = opts.isTTY && !dumb && !opts.env.NO_COLOR && !isCI(opts.env);
  }

  /** Wraps text in an ANSI colour when colour is on. */
  private paint(tone: keyof typeof ANSI, text: string): string {
    return this.color ? `\x1b[${ANSI[tone]}m${text}\x1b[0m` : text;
  }

  /** Prints a whole line, keeping the live step line below it. */
  private line(text: string): void {
    if (this.live && this.step) this.opts.stream.write('\r\x1b[2K');
    this.opts.stream.write(`${text}\n`);
    if (this.live && this.step) this.drawLive();
  }

  /** Redraws the live line of the running step with its elapsed time. */
  private drawLive(): void {
    if (!this.step) return;
    const spin = SPINNER[this.frame++ % SPINNER.length]!;
    const took = formatMs(this.opts.now() - this.step.startedAt);
    this.opts.stream.write(`\r\x1b[2K  ${this.paint('cyan', spin)} ${terminalSafe(this.step.name)} ${this.paint('grey', took)}`);
  }

  /** A scenario begins. */
  scenarioStart(name: string, file: string): void {
    this.line(`${this.paint('bold', '▶')} ${this.paint('bold', terminalSafe(name))} ${this.paint('grey', `(${terminalSafe(file)})`)}`);
  }

  /** A step begins: live line on a TTY, a plain "→" line otherwise. */
  stepStart(scenario: string, step: string): void {
    this.stopTimer();
    this.step = { scenario, name: step, startedAt: this.opts.now() };
    if (!this.live) {
      this.opts.stream.write(`  → ${terminalSafe(step)}\n`);
      return;
    }
    this.drawLive();
    const tick = this.opts.tickMs ?? 1000;
    if (tick > 0) {
      this.timer = setInterval(() => this.drawLive(), tick);
      this.timer.unref();
    }
  }

  /** A step ended: its final line with verdict, duration and error. */
  stepEnd(_scenario: string, step: string, verdict: Verdict, ms: number, error?: string): void {
    this.stopTimer();
    if (this.live) this.opts.stream.write('\r\x1b[2K');
    this.step = undefined;
    const why = error ? ` ${this.paint(TONE[verdict], terminalSafe(error))}` : '';
    this.line(`  ${this.paint(TONE[verdict], MARK[verdict])} ${terminalSafe(step)} ${this.paint('grey', formatMs(ms))}${why}`);
  }

  /** A timing was measured. */
  timing(_scenario: string, t: TimingReport): void {
    const limit = t.thresholdMs !== undefined ? ` (threshold ${formatMs(t.thresholdMs)})` : '';
    this.line(`    ${this.paint(TONE[t.verdict], MARK[t.verdict])} timing ${terminalSafe(t.name)}: ${formatMs(t.ms)}${limit}`);
  }

  /** A `t.log(...)` line from a scenario (or a runner warning). */
  log(_scenario: string, line: string): void {
    this.line(`    ${this.paint('grey', '·')} ${terminalSafe(line)}`);
  }

  /** A scenario ended: verdict line, each failed assertion's expected and observed, and every undo or teardown that failed. */
  scenarioEnd(s: ScenarioReport): void {
    const why = s.verdict === 'failed' || s.verdict === 'error' ? `: ${terminalSafe(failureMessage(s))}` : s.error ? `: ${terminalSafe(s.error)}` : '';
    this.line(`${this.paint(TONE[s.verdict], s.verdict.toUpperCase())} ${terminalSafe(s.name)} ${this.paint('grey', formatMs(s.durationMs))}${why}`);
    for (const a of s.assertions.filter((x) => x.verdict === 'failed')) {
      this.line(`    ${this.paint('red', '✗')} ${terminalSafe(a.name)}\n      expected: ${terminalSafe(a.expected)}\n      observed: ${terminalSafe(a.observed)}`);
    }
    for (const g of s.gaps ?? []) {
      this.line(`    ${this.paint('magenta', '~')} not observed from +${formatMs(g.fromMs)} ${g.toMs === undefined ? 'to the end' : `to +${formatMs(g.toMs)}`}: ${terminalSafe(g.reason)}`);
    }
    for (const c of s.cleanup.filter((x) => !x.ok)) {
      this.line(`    ${this.paint('magenta', '!')} cleanup failed: ${terminalSafe(c.what)}: ${terminalSafe(c.error ?? 'unknown error')}`);
    }
  }

  /** The run ended: a summary line with the report path; the Markdown summary when $GITHUB_STEP_SUMMARY is set. */
  async runEnd(run: RunReport, reportDir: string): Promise<void> {
    this.stopTimer();
    const took = formatMs(isoSpanMs(run.startedAt, run.endedAt));
    this.line(`${this.paint(TONE[run.verdict], `rollcall: ${run.verdict.toUpperCase()}`)} ${verdictSummary(run)} in ${took}`);
    this.line(`report: ${reportDir}/index.html`);
    const summaryFile = this.opts.env.GITHUB_STEP_SUMMARY;
    if (!summaryFile) return;
    try {
      await (this.opts.appendFile ?? fsAppendFile)(summaryFile, renderMarkdownSummary(run, reportDir));
    } catch (err) {
      this.line(`rollcall: warning: could not append to GITHUB_STEP_SUMMARY (${summaryFile}): ${(err as Error).message}`);
    }
  }

  /** Stops the live redraw timer. */
  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
