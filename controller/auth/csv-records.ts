import { invalidArgument } from "../../lib/errors.js";

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records as Go's encoding/csv reads them (Kubernetes' token file format): comma
 * separated, a field may be "quoted" (with "" for a quote, commas and newlines inside), blank
 * lines skipped, CRLF accepted. Errors name the line, never the content: it may be a secret.
 */
export function parseCsv(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const fail = (line: number, why: string) =>
    invalidArgument(`${source}: line ${line}: ${why}`, { field: source });
  let i = 0;
  let line = 1;
  while (i < text.length) {
    if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] === "\n")) {
      i += text[i] === "\r" ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw fail(start, "a quoted field is not closed");
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        if (i < text.length && !atFieldEnd(text, i)) {
          throw fail(line, 'extraneous text after a closing quote (write "" for a quote)');
        }
      } else {
        while (i < text.length && !atFieldEnd(text, i)) {
          if (text[i] === '"') throw fail(line, 'a bare " in an unquoted field');
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (text[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    records.push({ line: start, fields });
  }
  return records;
}

function atFieldEnd(text: string, i: number): boolean {
  const c = text[i];
  return c === "," || c === "\n" || (c === "\r" && text[i + 1] === "\n");
}
