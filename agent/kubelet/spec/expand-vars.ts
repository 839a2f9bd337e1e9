/** Looks a variable up; undefined when it is not defined. */
export type VarLookup = (name: string) => string | undefined;

type VarSource = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/** A lookup over several maps, the first that defines a name winning. */
export function lookupIn(...sources: VarSource[]): VarLookup {
  return (name) => {
    for (const source of sources) {
      if (source instanceof Map) {
        if (source.has(name)) return source.get(name);
      } else if (Object.hasOwn(source, name)) {
        return (source as Record<string, string>)[name];
      }
    }
    return undefined;
  };
}

/**
 * Kubernetes' $(VAR) expansion, for env values, command and args:
 * - $(NAME) becomes NAME's value when NAME is defined, else stays as written;
 * - $$ becomes $, so $$(NAME) is the literal text $(NAME);
 * - any other $ (a lone one, "$(" with no closing ")", "$x") stays as written.
 */
export function expandVars(input: string, lookup: VarLookup): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const dollar = input.indexOf("$", i);
    if (dollar < 0 || dollar === input.length - 1) break;
    out += input.slice(i, dollar);
    const next = input[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "(") {
      const close = input.indexOf(")", dollar + 2);
      if (close < 0) {
        out += "$(";
        i = dollar + 2;
      } else {
        const name = input.slice(dollar + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += "$" + next;
      i = dollar + 2;
    }
  }
  return out + input.slice(i);
}
