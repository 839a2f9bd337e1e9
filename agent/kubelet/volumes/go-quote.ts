// Go's strconv.Quote (fmt's %q), which kubelet uses for label and annotation values in downward
// API files: printable characters stay as they are, everything else becomes a Go escape.

const shortEscapes: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (shortEscapes[ch]) out += shortEscapes[ch];
    // A lone surrogate cannot come from JSON that Go decoded: it would have been U+FFFD already.
    else if (code >= 0xd800 && code <= 0xdfff) out += "\ufffd";
    else if (printable.test(ch)) out += ch;
    else if (code < 0x80) out += `\\x${hex(code, 2)}`;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
