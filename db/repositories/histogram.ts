/**
 * A histogram summed in an array by bucket index (the buckets of `stats-rollup.ts`'s `bucketExpr`):
 * adding a year of an agency's rows into a Map cost more than reading them.
 */
export class DenseHistogram {
  private readonly counts = new Float64Array(DENSE_BUCKETS);
  private readonly beyond = new Map<number, number>();

  /** Adds a stored histogram (JSON `{"bucket": count}`). */
  addJson(json: string): void {
    const parsed = JSON.parse(json) as Record<string, number>;
    for (const key in parsed) {
      const bucket = +key;
      const i = bucketIndex(bucket);
      // A value off the bucket grid (none is written so) keeps its own entry rather than being lost.
      if (Number.isInteger(i) && i < DENSE_BUCKETS) this.counts[i]! += parsed[key]!;
      else this.beyond.set(bucket, (this.beyond.get(bucket) ?? 0) + parsed[key]!);
    }
  }

  /** The sum as `{bucket lower bound → count}` (non-zero buckets only). */
  toMap(): Map<number, number> {
    const out = new Map<number, number>();
    for (let i = 0; i < DENSE_BUCKETS; i += 1) if (this.counts[i]! > 0) out.set(bucketOfIndex(i), this.counts[i]!);
    for (const [bucket, n] of this.beyond) out.set(bucket, n);
    return out;
  }
}

/** Buckets held in the array: up to 1,440 + 815 × 60 office minutes (~112 office days); the rare later ones in a Map. */
const DENSE_BUCKETS = 1024;

/** A bucket's lower bound → its index: 60 one-minute buckets, 84 of 5 minutes, 64 of 15, then hours (the order of `bucketExpr`). */
function bucketIndex(b: number): number {
  if (b < 60) return b;
  if (b < 480) return 60 + (b - 60) / 5;
  if (b < 1440) return 144 + (b - 480) / 15;
  return 208 + (b - 1440) / 60;
}

function bucketOfIndex(i: number): number {
  if (i < 60) return i;
  if (i < 144) return 60 + (i - 60) * 5;
  if (i < 208) return 480 + (i - 144) * 15;
  return 1440 + (i - 208) * 60;
}
