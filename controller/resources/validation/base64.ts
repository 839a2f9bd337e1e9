const alphabet = /[A-Za-z0-9+/]/;
const isNewline = (ch: string | undefined) => ch === "\n" || ch === "\r";

/**
 * The decoded length of standard base64 as Go's encoding/json decodes []byte fields (line breaks
 * skipped, padding required), or Go's error naming the input byte where decoding failed.
 */
export function decodedBase64Length(src: string): number | { error: string } {
  const fail = (at: number) => ({ error: `illegal base64 data at input byte ${at}` });
  let si = 0;
  let total = 0;
  while (si < src.length) {
    let j = 0;
    let length = 4;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return total;
        return fail(si - j);
      }
      const ch = src[si++];
      if (alphabet.test(ch)) continue;
      if (isNewline(ch)) {
        j--;
        continue;
      }
      if (ch !== "=" || j < 2) return fail(si - 1);
      if (j === 2) {
        while (isNewline(src[si])) si++;
        if (si === src.length) return fail(src.length);
        if (src[si] !== "=") return fail(si - 1);
        si++;
      }
      while (isNewline(src[si])) si++;
      if (si < src.length) return fail(si);
      length = j;
      break;
    }
    total += length === 4 ? 3 : length - 1;
  }
  return total;
}
