// SNMPv3 timeliness for traps (RFC 3414 3.2 step 7b, as a non-authoritative receiver): this
// receiver keeps its notion of each sender engine's boots and time, learnt from authenticated
// traps, and refuses one more than 150 seconds older than that notion or from an earlier boot.
// A captured trap replayed later is then refused. Only authenticated messages move the notion.
const TIME_WINDOW_SECONDS = 150;
const MAX_BOOTS = 2147483647;

interface Notion {
  boots: number;
  time: number;
  /** Local clock (ms) when `time` was learnt. */
  learntAt: number;
}

export class EngineClock {
  private readonly notions = new Map<string, Notion>();

  /** Whether an authenticated message with these boots/time is timely; learns from it if so. */
  accept(key: string, boots: number, time: number, now = Date.now()): boolean {
    if (boots >= MAX_BOOTS) return false;
    const n = this.notions.get(key);
    if (n) {
      const expected = n.time + Math.floor((now - n.learntAt) / 1000);
      if (boots < n.boots || (boots === n.boots && time < expected - TIME_WINDOW_SECONDS)) return false;
      if (boots === n.boots && time <= expected) return true;
    }
    this.notions.set(key, { boots, time, learntAt: now });
    return true;
  }
}
