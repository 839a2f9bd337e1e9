/** Tokens registries' realms issue when none says how long they last (Docker's default). */
export const defaultTokenLifetimeS = 60;

interface Entry {
  token: string;
  usableUntil: number;
}

/**
 * Bearer tokens by key (registry + service + scopes + whose credentials), kept until shortly
 * before they expire; concurrent fetches for one key share a single request to the realm.
 */
export class TokenCache {
  private readonly tokens = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const entry = this.tokens.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.usableUntil) {
      this.tokens.delete(key);
      return undefined;
    }
    return entry.token;
  }

  /** `expiresInS` as the realm said (`expires_in`); missing or nonsense means the default. */
  set(key: string, token: string, expiresInS?: number): void {
    const lifetimeS =
      expiresInS !== undefined && Number.isFinite(expiresInS) && expiresInS > 0
        ? expiresInS
        : defaultTokenLifetimeS;
    // Renew a little early so a token does not expire between being picked and being checked.
    const marginS = Math.min(10, lifetimeS / 10);
    this.tokens.set(key, { token, usableUntil: this.now() + (lifetimeS - marginS) * 1000 });
  }

  delete(key: string): void {
    this.tokens.delete(key);
  }

  /** The cached token, or the one `fetch` gets (shared by everyone asking meanwhile). */
  async getOrFetch(
    key: string,
    fetch: () => Promise<{ token: string; expiresInS?: number }>,
  ): Promise<string> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = fetch()
        .then(({ token, expiresInS }) => {
          this.set(key, token, expiresInS);
          return token;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }
}
