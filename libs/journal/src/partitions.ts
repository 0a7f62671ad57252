/** 'YYYY-MM' of an instant (UTC months: partitions are the same for every tenant). */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function partitionName(month: string): string {
  return `connection_events_y${month.replace('-', 'm')}`;
}
