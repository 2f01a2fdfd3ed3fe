/**
 * Strict parsing of HTTP dates (RFC 9110, section 5.6.7): the three forms a recipient must accept, all
 * in GMT, and nothing else. No lenient `Date.parse`, which reads an asctime date in the process's time
 * zone and takes text such as `Retry 2` for a date in 2001.
 *
 * @since 0.2.0
 * @internal
 */

const months: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11
}
const month = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
const time = "(\\d{2}):(\\d{2}):(\\d{2})"

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const imfFixdate = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${month} (\\d{4}) ${time} GMT$`)
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const rfc850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${month}-(\\d{2}) ${time} GMT$`
)
/** `Sun Nov  6 08:49:37 1994` (day padded with a space) */
const asctime = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${month} ( \\d|\\d{2}) ${time} (\\d{4})$`)

/** Epoch milliseconds of a calendar date and time in UTC, or `undefined` when a field is out of range. */
const utc = (
  year: number,
  monthIndex: number,
  day: number,
  hours: number,
  minutes: number,
  seconds: number
): number | undefined => {
  // 60 is a leap second: RFC 9110 allows it; it reads as the first second of the next minute.
  if (hours > 23 || minutes > 59 || seconds > 60 || day < 1) return undefined
  const millis = Date.UTC(year, monthIndex, day, hours, minutes, seconds)
  // Date.UTC rolls 31 Feb over into March: refuse a day the month does not have.
  return new Date(Date.UTC(year, monthIndex, day)).getUTCDate() === day ? millis : undefined
}

/**
 * RFC 850's two-digit year: a year that would be more than 50 years after `now` is the most recent
 * past year with the same last two digits (RFC 9110).
 */
const fullYear = (twoDigits: number, now: number): number => {
  const current = new Date(now).getUTCFullYear()
  let year = current - (current % 100) + twoDigits
  if (year > current + 50) year -= 100
  return year
}

/**
 * Epoch milliseconds of an HTTP date in any of its three forms (IMF-fixdate, RFC 850, asctime), all
 * read as GMT; `undefined` for anything else. `now` (epoch milliseconds) places RFC 850's two-digit year.
 *
 * @since 0.2.0
 * @internal
 */
export const parseHttpDate = (value: string, now: number): number | undefined => {
  const text = value.trim()
  let match = imfFixdate.exec(text)
  if (match !== null) {
    const [, day, mon, year, h, m, s] = match
    return utc(Number(year), months[mon!]!, Number(day), Number(h), Number(m), Number(s))
  }
  match = rfc850.exec(text)
  if (match !== null) {
    const [, day, mon, year, h, m, s] = match
    return utc(fullYear(Number(year), now), months[mon!]!, Number(day), Number(h), Number(m), Number(s))
  }
  match = asctime.exec(text)
  if (match !== null) {
    const [, mon, day, h, m, s, year] = match
    return utc(Number(year), months[mon!]!, Number(day!.trim()), Number(h), Number(m), Number(s))
  }
  return undefined
}
