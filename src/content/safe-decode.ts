/**
 * Percent-decoding that never throws: text that is not valid percent-encoding
 * (`%zz`, a lone `%`) is kept as written, as a browser keeps it.
 */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
