/**
 * The package version, sent in the `User-Agent` header (a test keeps it equal to package.json's).
 *
 * @since 0.1.0
 * @category Constants
 */
export const version = "0.1.0"
