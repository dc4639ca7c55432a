/** Binning times-to-removal for the compliance chart. Pure. */

export interface Bin {
  fromHours: number;
  /** Infinity for the last, open-ended bin. */
  toHours: number;
  count: number;
}

/** Bins of `widthHours` up to `lastEdgeHours`, then one bin for everything later. */
export function binDurations(hours: number[], widthHours = 4, lastEdgeHours = 72): Bin[] {
  const bins: Bin[] = [];
  for (let from = 0; from < lastEdgeHours; from += widthHours) bins.push({ fromHours: from, toHours: from + widthHours, count: 0 });
  bins.push({ fromHours: lastEdgeHours, toHours: Infinity, count: 0 });
  for (const h of hours) {
    const index = h >= lastEdgeHours ? bins.length - 1 : Math.max(0, Math.floor(h / widthHours));
    bins[index].count++;
  }
  return bins;
}
