// Server clock minus local clock, from the HTTP Date header. The header has one-second resolution, so the
// estimate compares the middle of that second with the middle of the request, and ignores differences
// smaller than the resolution.
export function clockSkewFromDate(
  dateHeader: string | undefined,
  startedAt: number,
  receivedAt: number,
): number {
  if (!dateHeader) return 0;
  const server = Date.parse(dateHeader);
  if (!Number.isFinite(server)) return 0;
  const skew = server + 500 - (startedAt + receivedAt) / 2;
  const uncertainty = 1000 + (receivedAt - startedAt) / 2;
  return Math.abs(skew) <= uncertainty ? 0 : Math.round(skew);
}
