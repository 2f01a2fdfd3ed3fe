/**
 * Timestamps in the form Instantly sends (`2026-03-05T23:09:42.527Z`: 24 characters, milliseconds, UTC),
 * read character by character: the common case of `Lead`'s strict RFC 3339 check and of the fast
 * decoder's `DateTime.Utc`, without a regular expression, a `Date` or an allocation.
 *
 * @since 0.2.0
 * @internal
 */

/** The digit at `index` of `text`, or `NaN` if it is not one (which every sum it enters then is). */
const digit = (text: string, index: number): number => {
  const value = text.charCodeAt(index) - 48
  return value >= 0 && value <= 9 ? value : Number.NaN
}

/** The two-digit number at `index` of `text`, or `NaN`. */
const twoDigits = (text: string, index: number): number => digit(text, index) * 10 + digit(text, index + 1)

/** How many days `month` (1 to 12) has in `year`, by the proleptic Gregorian calendar. */
const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28)
    : month === 4 || month === 6 || month === 9 || month === 11
    ? 30
    : 31

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear -
    719_468
}

/**
 * The epoch milliseconds of `text` when it is a real instant written `YYYY-MM-DDTHH:mm:ss.sssZ` (what
 * `Date.parse` gives for it); `undefined` for any other text, valid in another form or not.
 *
 * @since 0.2.0
 * @internal
 */
export const canonicalMillis = (text: string): number | undefined => {
  if (
    text.length !== 24 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46 ||
    text.charCodeAt(23) !== 90
  ) return undefined
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2)
  const month = twoDigits(text, 5)
  const day = twoDigits(text, 8)
  const hours = twoDigits(text, 11)
  const minutes = twoDigits(text, 14)
  const seconds = twoDigits(text, 17)
  const millis = twoDigits(text, 20) * 10 + digit(text, 22)
  // A NaN (a character that is not a digit) fails every comparison.
  if (
    !(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hours <= 23 &&
      minutes <= 59 && seconds <= 59 && millis >= 0)
  ) return undefined
  return ((daysFromCivil(year, month, day) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1_000 + millis
}
