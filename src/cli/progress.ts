// A terminal progress bar: on a TTY one line redrawn in place; elsewhere (pipes, files, tests)
// one line per update, so the output reads as a log.

export interface ProgressOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;

export class ProgressBar {
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput = process.stdout,
    readonly tty: boolean = out.isTTY === true,
  ) {}

  /**
   * TTY: redraws `[████░░░░]  45% <text>`. Otherwise prints `line` (the event as a log line).
   * `progress` is from 0 to 1.
   */
  update(progress: number, text: string, line: string): void {
    if (!this.tty) {
      this.out.write(`${line}\n`);
      return;
    }
    const p = Math.max(0, Math.min(1, Number.isFinite(progress) ? progress : 0));
    const filled = Math.round(p * BAR_WIDTH);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${`${Math.round(p * 100)}%`.padStart(4)} ${text}`;
    const columns = this.out.columns || 80;
    this.out.write(`\r\x1b[2K${bar.length >= columns ? `${bar.slice(0, Math.max(columns - 2, 0))}…` : bar}`);
    this.drawn = true;
  }

  /** A line of its own: above the bar on a TTY (the bar is redrawn by the next update). */
  log(line: string): void {
    if (this.tty && this.drawn) {
      this.out.write(`\r\x1b[2K${line}\n`);
      this.drawn = false;
    } else {
      this.out.write(`${line}\n`);
    }
  }

  /** Leaves the bar as drawn last and moves to a fresh line. */
  end(): void {
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
