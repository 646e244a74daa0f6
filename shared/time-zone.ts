/**
 * Time-zone offsets from the runtime's IANA database (Intl), for wall-clock times typed with a
 * zone. Used by the metadata edit (a date typed offline sorts by its UTC time until the server
 * answers) and by the PhotoPrism emulator (which derives UTC from the local time as the server does).
 */

/**
 * The UTC offset (ms) of `zone` at the instant `utcMs`, or undefined for a zone the runtime does
 * not know (Go's time.LoadLocation fails the same way; PhotoPrism pkg/txt/time_zone.go, TimeZone → nil).
 */
export function zoneOffsetAtInstantMs(zone: string, utcMs: number): number | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  const part = (type: string) => Number(format.formatToParts(new Date(utcMs)).find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  // The parts have whole seconds: compare with the instant's whole seconds.
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC offset (ms) of `zone` at the wall-clock time `localMs` (its digits read as UTC), or
 * undefined for an unknown zone. Twice: the offset at the guessed instant, then at the instant it
 * gives, so a time just across a daylight-saving change gets that side's offset.
 */
export function zoneOffsetAtWallTimeMs(zone: string, localMs: number): number | undefined {
  const guess = zoneOffsetAtInstantMs(zone, localMs);
  if (guess === undefined) return undefined;
  return zoneOffsetAtInstantMs(zone, localMs - guess) ?? guess;
}
