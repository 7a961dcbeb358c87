/** Whether `zone` is an IANA time zone the platform knows (`Europe/London`), as `Intl` reads it. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
